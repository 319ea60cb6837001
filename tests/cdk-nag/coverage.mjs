// coverage.mjs HIPAA_SYNTH — every rule of cdk-nag's HIPAA Security pack is either covered by a
// hipaa-synth rule (the last column of `hipaa-synth rules --format markdown`) or listed as not
// covered, with its reason, in the section below that table; none is both, and neither names a
// rule the pack does not have. The pack's rules are read from the pack itself: its checkResource
// is run with applyRule recording each rule instead of applying it.
// Exit status: 0 complete, 1 a rule missing or misnamed, 2 usage or tool errors.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const cdk = require('aws-cdk-lib');
const { HIPAASecurityChecks } = require('cdk-nag');

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node coverage.mjs HIPAA_SYNTH');
  process.exit(2);
}

const pack = new HIPAASecurityChecks();
const packRules = new Set();
pack.applyRule = (params) => packRules.add(params.ruleSuffixOverride ?? params.rule.name);
const stack = new cdk.Stack(new cdk.App(), 'Probe');
pack.checkResource(new cdk.CfnResource(stack, 'Any', { type: 'AWS::S3::Bucket' }));
if (packRules.size === 0) {
  console.error('coverage: read no rule from the pack');
  process.exit(2);
}

const markdown = execFileSync(binary, ['rules', '--format', 'markdown'], { encoding: 'utf8' });
const [rulesPart, uncoveredPart] = markdown.split('\n## cdk-nag HIPAA rules not covered\n');
if (uncoveredPart === undefined) {
  console.error('coverage: `rules --format markdown` has no "cdk-nag HIPAA rules not covered" section');
  process.exit(2);
}
const covered = new Map();  // cdk-nag rule -> hipaa-synth rules
for (const line of rulesPart.split('\n')) {
  const cells = line.split(' | ');
  if (!line.startsWith('| HIPAA-')) continue;
  for (const [, id] of cells[cells.length - 1].matchAll(/`([^`]+)`/g)) {
    covered.set(id, [...(covered.get(id) ?? []), cells[0].slice(2)]);
  }
}
const uncovered = new Map();  // cdk-nag rule -> reason
for (const line of uncoveredPart.split('\n')) {
  const m = line.match(/^\| `([^`]+)` \| (.*) \|$/);
  if (m) uncovered.set(m[1], m[2]);
}

const problems = [];
for (const id of [...packRules].sort()) {
  if (covered.has(id) && uncovered.has(id)) {
    problems.push(`${id}: covered by ${covered.get(id).join(', ')} and also listed as not covered`);
  } else if (!covered.has(id) && !uncovered.has(id)) {
    problems.push(`${id}: neither covered by a rule nor listed as not covered`);
  } else if (uncovered.has(id) && uncovered.get(id).trim() === '') {
    problems.push(`${id}: listed as not covered without a reason`);
  }
}
for (const id of [...covered.keys(), ...uncovered.keys()]) {
  if (!packRules.has(id)) problems.push(`${id}: not a rule of cdk-nag's HIPAA Security pack`);
}
if (problems.length) {
  console.error(`coverage: cdk-nag's HIPAA pack against hipaa-synth's rules:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`cdk-nag coverage: ${packRules.size} HIPAA rules: ${[...packRules].filter((id) => covered.has(id)).length} ` +
  `covered by hipaa-synth rules, ${uncovered.size} not covered, each with its reason`);
