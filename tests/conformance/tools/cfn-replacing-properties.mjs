// node tools/cfn-replacing-properties.mjs AWS::S3::Bucket ... — prints, per CloudFormation type, the
// top-level properties whose change replaces the resource ("yes") and those that may ("maybe"),
// from the resource specification (@aws-cdk/aws-service-spec), space separated, as a node's
// kInfo declares them (hipaa/node.hpp: cloudformation_type(name, replaces, may_replace)).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const db = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(here, 'node_modules/@aws-cdk/aws-service-spec/db.json.gz'))));
const resources = new Map(db.schema.resource.entities.map((r) => [r.cloudFormationType, r]));
for (const type of process.argv.slice(2)) {
  const r = resources.get(type);
  if (!r) {
    console.log(`${type}: not in the specification`);
    continue;
  }
  const pick = (value) => Object.entries(r.properties).filter(([, p]) => p.causesReplacement === value)
    .map(([name]) => name).sort().join(' ');
  console.log(`${type}\n  replaces:    "${pick('yes')}"\n  may_replace: "${pick('maybe')}"`);
}
