// differential.mjs ALLOW_LIST DIR NAG_OUTPUT RULES_MARKDOWN — compares what cdk-nag's HIPAA pack
// and hipaa-synth find on the same variants of the healthcare stack.
//
// DIR holds <variant>.template.json (CloudFormation) and <variant>.findings.json (`hipaa-synth
// check --format json`); NAG_OUTPUT is nag.mjs's output over those templates; RULES_MARKDOWN is
// `hipaa-synth rules --format markdown`, whose last column says which cdk-nag rules each
// hipaa-synth rule covers.
//
// A hipaa-synth finding is on a CloudFormation resource when the resource's logical id is the
// finding's path below the stack with every non-alphanumeric dropped and each part PascalCased
// (HealthcareStack/Audit/LogGroup -> AuditLogGroup), or that id plus a suffix (a node's secondary
// resources: AuditBucketPolicy). Two directions, unsuppressed findings only:
//   cdk-nag-only  a cdk-nag error with no finding, on the same resource, of a hipaa-synth rule
//                 that covers its rule;
//   hipaa-only    a finding of a hipaa-synth rule that names cdk-nag rules, with none of them
//                 reported (at any severity) on the same resource.
// Every divergence must match a line of ALLOW_LIST:
//   <direction> <rule> <logical id glob> <variant glob> -- <reason>
// and every line must match some divergence (a stale line fails too).
// Exit status: 0 all divergences allowed, 1 otherwise, 2 usage or input errors.
import fs from 'node:fs';
import path from 'node:path';

const [allowFile, dir, nagFile, rulesFile] = process.argv.slice(2);
if (!rulesFile) {
  console.error('usage: node differential.mjs ALLOW_LIST DIR NAG_OUTPUT RULES_MARKDOWN');
  process.exit(2);
}

// hipaa-synth rule -> the cdk-nag rules it covers.
const covers = new Map();
for (const line of fs.readFileSync(rulesFile, 'utf8').split('\n')) {
  if (!line.startsWith('| HIPAA-')) continue;
  const cells = line.split(' | ');
  covers.set(cells[0].slice(2), [...cells[cells.length - 1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

// variant -> cdk-nag findings.
const nag = new Map();
let current;
for (const line of fs.readFileSync(nagFile, 'utf8').split('\n')) {
  if (line.startsWith('# ')) {
    current = line.slice(2).replace(/\.template\.json$/, '');
    nag.set(current, []);
  } else if (line.trim() !== '') {
    const m = line.match(/^(error|warning) (\S+) (\S+)( suppressed: .*)?$/);
    if (!m || current === undefined) {
      console.error(`differential: cannot read cdk-nag line: ${line}`);
      process.exit(2);
    }
    // RDSLoggingEnabled[LogExport::upgrade] is RDSLoggingEnabled.
    nag.get(current).push({ severity: m[1], rule: m[2].replace(/\[.*\]$/, ''), id: m[3], suppressed: !!m[4] });
  }
}

function logicalId(constructPath) {
  let id = '';
  for (const part of constructPath.split('/').slice(1)) {
    let upper = true;
    for (const ch of part) {
      if (!/[A-Za-z0-9]/.test(ch)) {
        upper = true;
        continue;
      }
      id += upper ? ch.toUpperCase() : ch;
      upper = false;
    }
  }
  return id;
}
// A resource of hipaa-synth's finding (logical id `owner`) is the CloudFormation resource `id`, or
// emits it as a secondary resource.
const onResource = (owner, id) => owner !== '' && id.startsWith(owner);

const globToRegex = (glob) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
const allow = [];
for (const [n, line] of fs.readFileSync(allowFile, 'utf8').split('\n').entries()) {
  if (line.trim() === '' || line.startsWith('#')) continue;
  const m = line.match(/^(cdk-nag-only|hipaa-only) (\S+) (\S+) (\S+) -- (.+)$/);
  if (!m) {
    console.error(`differential: ${allowFile}:${n + 1}: not "<direction> <rule> <id glob> <variant glob> -- <reason>"`);
    process.exit(2);
  }
  allow.push({ line: n + 1, text: line, direction: m[1], rule: m[2], id: globToRegex(m[3]), variant: globToRegex(m[4]),
    used: 0 });
}
const allowedBy = (direction, rule, id, variant) =>
  allow.find((a) => a.direction === direction && a.rule === rule && a.id.test(id) && a.variant.test(variant));

const variants = fs.readdirSync(dir).filter((f) => f.endsWith('.findings.json')).map((f) => f.slice(0, -14)).sort();
const stats = {
  nagErrors: 0, nagMatched: 0, nagAllowed: 0,
  hipaaFindings: 0, hipaaMatched: 0, hipaaAllowed: 0,
};
const unexplained = [];
for (const variant of variants) {
  const findings = JSON.parse(fs.readFileSync(path.join(dir, `${variant}.findings.json`), 'utf8')).findings
    .filter((f) => !f.suppressed)
    .map((f) => ({ ...f, id: logicalId(f.path) }));
  const nagFindings = nag.get(variant);
  if (nagFindings === undefined) {
    console.error(`differential: cdk-nag did not check ${variant}`);
    process.exit(2);
  }
  for (const e of nagFindings.filter((f) => f.severity === 'error' && !f.suppressed)) {
    stats.nagErrors++;
    if (findings.some((f) => (covers.get(f.rule) ?? []).includes(e.rule) && onResource(f.id, e.id))) {
      stats.nagMatched++;
    } else if (allowedBy('cdk-nag-only', e.rule, e.id, variant)) {
      allowedBy('cdk-nag-only', e.rule, e.id, variant).used++;
      stats.nagAllowed++;
    } else {
      unexplained.push(`${variant}: cdk-nag-only ${e.rule} ${e.id}: no finding of a hipaa-synth rule covering it`);
    }
  }
  for (const f of findings.filter((x) => (covers.get(x.rule) ?? []).length > 0)) {
    stats.hipaaFindings++;
    const ids = covers.get(f.rule);
    if (nagFindings.some((n) => !n.suppressed && ids.includes(n.rule) && onResource(f.id, n.id))) {
      stats.hipaaMatched++;
    } else if (allowedBy('hipaa-only', f.rule, f.id || '(stack)', variant)) {
      allowedBy('hipaa-only', f.rule, f.id || '(stack)', variant).used++;
      stats.hipaaAllowed++;
    } else {
      unexplained.push(`${variant}: hipaa-only ${f.rule} ${f.id || '(stack)'}: cdk-nag reports none of ` +
        `${ids.join(', ')} there (${f.message})`);
    }
  }
}
for (const a of allow.filter((x) => x.used === 0)) {
  unexplained.push(`${allowFile}:${a.line}: matches no divergence (remove it): ${a.text}`);
}

console.log(`cdk-nag differential: ${variants.length} variants`);
console.log(`  cdk-nag errors: ${stats.nagErrors}, with a covering hipaa-synth finding on the same resource: ` +
  `${stats.nagMatched}, allow-listed: ${stats.nagAllowed}`);
console.log(`  hipaa-synth findings of rules with a cdk-nag counterpart: ${stats.hipaaFindings}, reported by cdk-nag ` +
  `too: ${stats.hipaaMatched}, allow-listed: ${stats.hipaaAllowed}`);
if (unexplained.length) {
  console.error(`differential: divergences not in ${path.basename(allowFile)}:\n  ${unexplained.join('\n  ')}`);
  process.exit(1);
}
