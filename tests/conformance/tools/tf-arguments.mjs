// node tools/tf-arguments.mjs aws_s3_bucket ... — prints, per Terraform resource type, its
// top-level arguments (required, optional; computed-only attributes marked) and nested blocks, from
// the hashicorp/aws 5.100 provider schema the conformance check caches under node_modules/.cache
// (run ./run.sh on any output once to create it). The schema does not say which arguments force
// a replacement: take that from the provider's documentation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const file = path.join(here, 'node_modules/.cache/hipaa-synth-conformance/aws-provider-schema-5.100.0.json');
const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
const resources = Object.values(schema.provider_schemas)[0].resource_schemas;
for (const type of process.argv.slice(2)) {
  const r = resources[type];
  if (!r) {
    console.log(`${type}: not in the provider schema`);
    continue;
  }
  console.log(type);
  for (const [name, a] of Object.entries(r.block.attributes || {})) {
    const kind = a.required ? 'required' : a.optional ? 'optional' : 'computed';
    console.log(`  ${name}: ${JSON.stringify(a.type)} ${kind}${a.write_only ? ' write-only' : ''}${a.deprecated ? ' deprecated' : ''}`);
  }
  for (const [name, b] of Object.entries(r.block.block_types || {})) {
    console.log(`  ${name} { } ${b.nesting_mode}${b.min_items ? ` min ${b.min_items}` : ''}${b.max_items ? ` max ${b.max_items}` : ''}`);
  }
}
