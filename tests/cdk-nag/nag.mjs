// nag.mjs TEMPLATE... — runs cdk-nag's HIPAA Security pack (the rules AWS CDK teams run; it
// mirrors AWS Config's HIPAA conformance pack) over CloudFormation templates, as a CDK user would:
// each template is imported with cloudformation-include into a stack of its own and checked with
// `new HIPAASecurityChecks(app)`.
//
// A resource's `Metadata.cdk_nag.rules_to_suppress` (cdk-nag's own template format, which
// hipaa-synth writes for its suppressions) is honoured through CDK's Validations.of(resource)
// .acknowledge(), as cdk-nag 3 expects; the pack is also run without them, so suppressed findings
// are listed as such, and the two runs must agree.
//
// Prints one line per finding, sorted: `<severity> <rule> <logical id>[ suppressed: <reason>]`
// (the rule without its "HIPAA.Security-" prefix), one block per template headed `# <file>`.
// Exit status: 0 when it ran (whatever it found), 2 on usage or tool errors.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const require = createRequire(import.meta.url);
const cdk = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { HIPAASecurityChecks } = require('cdk-nag');

const PREFIX = 'HIPAA.Security-';

// The short-form intrinsics of a YAML template as their long forms, for cloudformation-include
// (which reads JSON or YAML, but only long-form YAML reliably).
function loadTemplate(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.json')) return JSON.parse(text);
  const tags = ['Ref', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'GetAZs', 'ImportValue', 'If', 'Equals',
    'Not', 'And', 'Or', 'Base64', 'Cidr', 'FindInMap', 'Condition'].map((name) => ({
    tag: `!${name}`,
    resolve(value) {
      const v = value?.toJSON ? value.toJSON() : value;
      if (name === 'Ref' || name === 'Condition') return { [name]: v };
      if (name === 'GetAtt' && typeof v === 'string') {
        const dot = v.indexOf('.');
        return { 'Fn::GetAtt': [v.slice(0, dot), v.slice(dot + 1)] };
      }
      return { [`Fn::${name}`]: v };
    },
    collection: undefined,
  }));
  const customTags = [];
  for (const t of tags) {
    for (const collection of [undefined, 'seq', 'map']) {
      customTags.push({ ...t, collection, identify: () => false });
    }
  }
  return YAML.parse(text, { customTags, maxAliasCount: -1 });
}

function run(template, acknowledge) {
  const app = new cdk.App();
  const stack = new cdk.Stack(app, 'Imported');
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR || '/tmp'), 'cdk-nag-'));
  const file = path.join(dir, 'template.json');
  fs.writeFileSync(file, JSON.stringify(template));
  const included = new CfnInclude(stack, 'Template', { templateFile: file });
  fs.rmSync(dir, { recursive: true, force: true });
  const suppressed = new Map();
  for (const [id, body] of Object.entries(template.Resources || {})) {
    for (const rule of body?.Metadata?.cdk_nag?.rules_to_suppress || []) {
      suppressed.set(`${id} ${rule.id}`, rule.reason);
      if (acknowledge) {
        cdk.Validations.of(included.getResource(id)).acknowledge({ id: rule.id, reason: rule.reason });
      }
    }
  }
  const report = new HIPAASecurityChecks(app).validateScope(app);
  const findings = [];
  for (const v of report.violations) {
    for (const r of v.violatingResources) {
      const logicalId = r.constructPath.split('/').pop();
      findings.push({ severity: v.severity, rule: v.ruleName, logicalId,
        reason: suppressed.get(`${logicalId} ${v.ruleName}`) });
    }
  }
  return findings;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node nag.mjs TEMPLATE...');
  process.exit(2);
}
let out = '';
for (const file of files) {
  const template = loadTemplate(file);
  const all = run(template, false);
  const honoured = run(template, true);
  const key = (f) => `${f.severity} ${f.rule} ${f.logicalId}`;
  const expected = all.filter((f) => f.reason === undefined).map(key).sort();
  const got = honoured.map(key).sort();
  if (JSON.stringify(expected) !== JSON.stringify(got)) {
    console.error(`cdk-nag: ${file}: acknowledging the template's cdk_nag metadata left\n  ${got.join('\n  ')}\n` +
      `but the metadata suppresses all but\n  ${expected.join('\n  ')}`);
    process.exit(2);
  }
  const lines = all.map((f) => `${f.severity} ${f.rule.startsWith(PREFIX) ? f.rule.slice(PREFIX.length) : f.rule} ` +
    `${f.logicalId}${f.reason === undefined ? '' : ` suppressed: ${f.reason}`}`);
  lines.sort();
  out += `# ${path.basename(file)}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}
process.stdout.write(out);
