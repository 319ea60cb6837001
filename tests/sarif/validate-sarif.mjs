#!/usr/bin/env node
// validate-sarif.mjs FILE... — validates SARIF 2.1.0 logs against the OASIS
// SARIF 2.1.0 JSON schema (draft-07) with Ajv.
//
// The schema is not kept in this repository: it is read from the pinned npm
// package @datadog/datadog-ci-plugin-sarif (see package-lock.json), which ships
// the OASIS file as dist/json-schema/sarif-schema-2.1.0.json. Only that data
// file is used, never the package's code.
//
// Output: one line per problem, "FILE: <instancePath> <message>", then
//   sarif: N file(s), M result(s), E error(s)
// Exit status: 0 when every file is valid JSON and valid SARIF 2.1.0,
// 1 when any file is not (or cannot be read), 2 on usage errors or when the
// schema cannot be loaded.
//
// Options:
//   --schema-info   print the schema's path, $id, $schema and sha256, then exit

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

const SCHEMA_PACKAGE = '@datadog/datadog-ci-plugin-sarif';
const SCHEMA_FILE = 'dist/json-schema/sarif-schema-2.1.0.json';
const SCHEMA_ID = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json';
const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

function die(message) {
  console.error(`validate-sarif: ${message}`);
  process.exit(2);
}

function loadSchema() {
  let path;
  try {
    path = join(dirname(require.resolve(`${SCHEMA_PACKAGE}/package.json`)), SCHEMA_FILE);
  } catch {
    die(`${SCHEMA_PACKAGE} is not installed (run: npm ci, in ${dirname(new URL(import.meta.url).pathname)})`);
  }
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    die(`cannot read the SARIF schema ${path}: ${e.message}`);
  }
  const schema = JSON.parse(text);
  // Refuse to run against anything but the OASIS 2.1.0 schema (draft-07): a
  // different file under the same name must not silently change what passes.
  if (schema.$id !== SCHEMA_ID) die(`${path}: unexpected $id ${JSON.stringify(schema.$id)}`);
  if (schema.$schema !== SCHEMA_DIALECT) die(`${path}: unexpected $schema ${JSON.stringify(schema.$schema)}`);
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { path, schema, sha256 };
}

async function compile(schema) {
  const { default: Ajv } = await import('ajv'); // the default Ajv class is draft-07
  const { default: addFormats } = await import('ajv-formats');
  // strict: false — strict mode only checks the schema itself (unknown keywords,
  // ignored annotations), never the logs; it is off so that an annotation Ajv
  // does not know cannot stop the validator. allErrors: report every problem.
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: false });
  addFormats(ajv); // uri, uri-reference, date-time, ... are asserted, as the schema intends
  return ajv.compile(schema);
}

// Human-readable detail for the Ajv keywords whose default message hides the culprit.
function describe(err) {
  const p = err.params || {};
  switch (err.keyword) {
    case 'additionalProperties':
      return `${err.message} (${JSON.stringify(p.additionalProperty)})`;
    case 'enum':
      return `${err.message} (${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
    case 'const':
      return `${err.message} (${JSON.stringify(p.allowedValue)})`;
    default:
      return err.message;
  }
}

// With allErrors, a failed "anyOf"/"oneOf" is reported together with the
// failure of each of its branches (for an empty message: "must have required
// property 'text'" and "must have required property 'id'"), each of which alone
// would be misleading. Fold the branch failures into the anyOf/oneOf line.
function fold(errors) {
  const parents = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const childOf = (e, p) => e !== p && e.schemaPath.startsWith(`${p.schemaPath}/`) && e.instancePath.startsWith(p.instancePath);
  return errors
    .filter((e) => !parents.some((p) => childOf(e, p)))
    .map((e) => {
      if (!parents.includes(e)) return { path: e.instancePath, text: describe(e) };
      const branches = [...new Set(errors.filter((c) => childOf(c, e)).map((c) => {
        const rel = c.instancePath.slice(e.instancePath.length);
        return (rel ? `${rel} ` : '') + describe(c);
      }))];
      return { path: e.instancePath, text: `${e.message}${branches.length ? ` (${branches.join(' | ')})` : ''}` };
    });
}

function countResults(log) {
  if (!log || !Array.isArray(log.runs)) return 0;
  return log.runs.reduce((n, run) => n + (run && Array.isArray(run.results) ? run.results.length : 0), 0);
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) {
    console.log('usage: validate-sarif.mjs [--schema-info] FILE...');
    process.exit(0);
  }
  const loaded = loadSchema();
  if (args[0] === '--schema-info') {
    console.log(`path    ${loaded.path}`);
    console.log(`$id     ${loaded.schema.$id}`);
    console.log(`$schema ${loaded.schema.$schema}`);
    console.log(`sha256  ${loaded.sha256}`);
    process.exit(0);
  }
  const files = args[0] === '--' ? args.slice(1) : args;
  if (files.length === 0) {
    console.error('usage: validate-sarif.mjs [--schema-info] FILE...');
    process.exit(2);
  }
  const validate = await compile(loaded.schema);

  let errors = 0;
  let results = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      console.log(`${file}: cannot read: ${e.code || e.message}`);
      errors++;
      continue;
    }
    let log;
    try {
      log = JSON.parse(text);
    } catch (e) {
      console.log(`${file}: not JSON: ${e.message}`);
      errors++;
      continue;
    }
    results += countResults(log);
    if (!validate(log)) {
      for (const err of fold(validate.errors)) {
        console.log(`${file}: ${err.path || '/'} ${err.text}`);
        errors++;
      }
    }
  }
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  console.log(`sarif: ${files.length} file(s), ${results} result(s), ${plural(errors, 'error')}`);
  process.exit(errors === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`validate-sarif: ${e.stack || e}`);
  process.exit(2);
});
