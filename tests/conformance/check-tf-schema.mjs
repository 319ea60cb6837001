#!/usr/bin/env node
// check-tf-schema.mjs PROVIDER_SCHEMA.json
//
// Cross-checks the schema that lib/tf-schema.mjs extracts from
// @cdktf/provider-aws against Terraform's own view of the provider
// (`terraform providers schema -json`, made by selftest.sh from the offline
// mirror). It guards the extraction itself: if a package upgrade changed the
// jsii layout, names or required flags would drift and this fails.
//
// Known, tolerated differences (cdktf generator behaviour, not extraction bugs):
//   * attributes of list/set-of-object type (e.g. aws_security_group.ingress)
//     are nested structs in cdktf but plain attributes in the dump;
//   * very deep or recursive types (quicksight definition, wafv2 statement) are
//     flattened to plain attributes by cdktf;
//   * a few attributes differ in required-ness;
//   * cdktf omits computed-only nested blocks of some data sources.
// Fails on: resource/data types missing on either side, resource argument or
// block names that Terraform has but cdktf lacks (these would become false
// "unknown argument" reports), or more than a handful of required mismatches.

import { loadTfSchema, loadProviderSchemaDump } from './lib/tf-schema.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: check-tf-schema.mjs PROVIDER_SCHEMA.json');
  process.exit(2);
}
const cdktf = loadTfSchema();
const tf = loadProviderSchemaDump(file);
const norm = (s) => s.toLowerCase().replace(/_/g, '');

const found = { typeMissing: [], typeExtra: [], argMissing: [], argExtra: [], required: [], computed: [] };

function compare(a, b, path, kind) {
  for (const [name, tb] of Object.entries(b.a)) {
    const ca = a.a[name];
    if (!ca) {
      (kind === 'data' ? found.computed : found.argMissing).push(`${path}.${name}`);
      continue;
    }
    if (!!ca.r !== !!tb.r) found.required.push(`${path}.${name} (cdktf ${ca.r ? 'required' : 'optional'})`);
    if (ca.b && tb.b) compare(ca.b, tb.b, `${path}.${name}`, kind);
  }
  for (const name of Object.keys(a.a)) if (!(name in b.a) && name !== 'alias') found.argExtra.push(`${path}.${name}`);
  const known = new Set([...(a.c ?? []), ...Object.keys(a.a)].map(norm));
  for (const c of b.c ?? []) if (!known.has(norm(c))) found.computed.push(`${path}.${c} (computed attribute)`);
}

for (const kind of ['resource', 'data']) {
  for (const [type, block] of Object.entries(tf[kind])) {
    if (!cdktf[kind][type]) found.typeMissing.push(`${kind} ${type}`);
    else compare(cdktf[kind][type], block, `${kind}.${type}`, kind);
  }
  for (const type of Object.keys(cdktf[kind])) if (!tf[kind][type]) found.typeExtra.push(`${kind} ${type}`);
}
compare(cdktf.provider, tf.provider, 'provider', 'provider');

const count = (k) => found[k].length;
console.log(
  `tf-schema parity (cdktf ${cdktf.packageVersion} / aws ${cdktf.providerVersion}): ` +
    `${Object.keys(cdktf.resource).length} resources, ${Object.keys(cdktf.data).length} data sources; ` +
    `types missing ${count('typeMissing')}, extra ${count('typeExtra')}; ` +
    `arguments missing ${count('argMissing')}, extra ${count('argExtra')}; ` +
    `required mismatches ${count('required')}; data/computed gaps ${count('computed')}`,
);
const fatal = [...found.typeMissing, ...found.typeExtra, ...found.argMissing];
for (const line of [...fatal, ...found.required]) console.log(`  ${line}`);
if (fatal.length || found.required.length > 10) {
  console.log('tf-schema parity: FAILED');
  process.exit(1);
}
console.log('tf-schema parity: ok');
