// validate-configs.mjs SCHEMA SOURCE_DIR
//
// Validates every config example of the repository against the schema `hipaa-synth schema`
// printed, with Ajv's draft 2020-12 validator (strict: an unknown keyword or a malformed schema is
// an error too). YAML is read with the `yaml` package's YAML 1.2 core schema, as the reader reads
// it (`yes` is a string, `true` a boolean).
//
// Which files are configs:
//   - tests/: every *.yaml, *.yml and *.json file, except
//       package.json, package-lock.json and node_modules/ (npm's);
//       the directories in SKIPPED: other formats (tests/golden/, tests/conformance/) and the
//         fuzzers' seed corpus (tests/fuzz/: malformed, over-deep, unknown keys on purpose);
//       the configs in TREE_INVALID: their tree fails validation on purpose, for a limit the
//         schema does not carry.
//     The configs in INVALID are the reader's refusals on purpose: they must fail validation.
//   - README.md and docs/*.md: every fenced ```yaml block, except those of the files in
//     NOT_CONFIG_DOCS (they show something else). JSON blocks in the docs are not configs.
//   - docs/man/*.1: every example (.EX ... .EE) after a paragraph that starts "A configuration
//     file".
// That INVALID's configs fail checks the validator too.
// At least MIN_TEST_CONFIGS test files and MIN_DOC_CONFIGS doc blocks must be found, so a moved
// directory cannot make the check pass by finding nothing.
//
// Exit status: 0 every config valid, 1 any invalid, 2 usage or schema problems.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import YAML from "yaml";

const SKIPPED = {
  "tests/golden/": "synthesized templates",
  "tests/conformance/": "template samples",
  "tests/fuzz/": "the fuzzers' seed corpus, malformed on purpose",
};
const INVALID = {
  "tests/sarif/configs/unknown-key.yaml": "a misspelled section (databse) the reader refuses",
};
// Configs of trees that fail validation for a reason the schema does not carry (a node's own
// limit, such as the function's memory): neither checked nor required to fail.
const TREE_INVALID = {
  "tests/sarif/configs/invalid-tree.yaml": "function.memory_mb 99999 is the Lambda node's limit, not the reader's",
};
const NOT_CONFIG_DOCS = {
  "docs/ci.md": "GitHub Actions and GitLab CI pipelines",
};
const MIN_TEST_CONFIGS = 30;
const MIN_DOC_CONFIGS = 2;

const [schemaFile, sourceDir] = process.argv.slice(2);
if (!schemaFile || !sourceDir) {
  console.error("usage: validate-configs.mjs SCHEMA SOURCE_DIR");
  process.exit(2);
}

let validate;
try {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
} catch (error) {
  console.error(`config-schema: the schema does not compile: ${error.message}`);
  process.exit(2);
}

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === "node_modules") continue;
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

// { name, text, json } for each config example.
const configs = [];
let testConfigs = 0;
for (const path of files(join(sourceDir, "tests"))) {
  const name = relative(sourceDir, path);
  if (!/\.(ya?ml|json)$/.test(name)) continue;
  if (/(^|\/)package(-lock)?\.json$/.test(name)) continue;
  if (Object.keys(SKIPPED).some((prefix) => name.startsWith(prefix))) continue;
  if (name in TREE_INVALID) continue;
  configs.push({ name, text: readFileSync(path, "utf8"), json: name.endsWith(".json") });
  ++testConfigs;
}
let docConfigs = 0;
const docs = ["README.md", ...readdirSync(join(sourceDir, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
for (const doc of docs) {
  if (doc in NOT_CONFIG_DOCS) continue;
  const lines = readFileSync(join(sourceDir, doc), "utf8").split("\n");
  for (let i = 0; i < lines.length; ++i) {
    if (lines[i] !== "```yaml") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== "```") ++end;
    configs.push({ name: `${doc}:${start + 1}`, text: lines.slice(start, end).join("\n"), json: false });
    ++docConfigs;
    i = end;
  }
}

for (const page of readdirSync(join(sourceDir, "docs/man")).filter((f) => f.endsWith(".1")).sort()) {
  const lines = readFileSync(join(sourceDir, "docs/man", page), "utf8").split("\n");
  let paragraph = "";
  for (let i = 0; i < lines.length; ++i) {
    if (lines[i] === ".PP") {
      if (!lines[i + 1]?.startsWith(".")) paragraph = lines[i + 1] ?? "";
      continue;
    }
    if (lines[i] !== ".EX" || !paragraph.startsWith("A configuration file")) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== ".EE") ++end;
    // roff's escapes for a hyphen and a backslash
    const text = lines.slice(i + 1, end).join("\n").replaceAll("\\-", "-").replaceAll("\\e", "\\");
    configs.push({ name: `docs/man/${page}:${i + 2}`, text, json: false });
    ++docConfigs;
    i = end;
  }
}

let failed = 0;
for (const config of configs) {
  let document;
  try {
    document = config.json ? JSON.parse(config.text) : YAML.parse(config.text, { version: "1.2", schema: "core" });
  } catch (error) {
    console.log(`FAIL ${config.name}: does not parse: ${error.message}`);
    ++failed;
    continue;
  }
  // An empty document changes no option, as the reader reads it.
  const ok = validate(document ?? {});
  const reason = INVALID[config.name];
  if (reason !== undefined) {
    if (ok) {
      console.log(`FAIL ${config.name}: should be invalid (${reason}) but the schema accepts it`);
      ++failed;
    } else {
      console.log(`ok   ${config.name} (invalid on purpose: ${reason})`);
    }
    continue;
  }
  if (ok) {
    console.log(`ok   ${config.name}`);
  } else {
    ++failed;
    console.log(`FAIL ${config.name}`);
    for (const error of validate.errors) {
      console.log(`       ${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
    }
  }
}
for (const name of Object.keys(INVALID)) {
  if (!configs.some((c) => c.name === name)) {
    console.log(`FAIL ${name}: listed as invalid on purpose but not found`);
    ++failed;
  }
}
if (testConfigs < MIN_TEST_CONFIGS || docConfigs < MIN_DOC_CONFIGS) {
  console.log(`FAIL found ${testConfigs} test configs (want ${MIN_TEST_CONFIGS}+) and ${docConfigs} doc blocks (want ${MIN_DOC_CONFIGS}+)`);
  ++failed;
}
console.log(`config-schema: ${configs.length - failed} of ${configs.length} configs as expected (${testConfigs} in tests/, ${docConfigs} in docs)`);
process.exit(failed === 0 ? 0 : 1);
