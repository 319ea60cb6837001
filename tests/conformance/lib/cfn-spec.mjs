// CloudFormation resource specification, read from @aws-cdk/aws-service-spec.
//
// How the package stores its data
// -------------------------------
// The package ships one file, `db.json.gz`: a gzipped JSON dump of an in-memory
// entity/relation database (the package's own loader just gunzips it and feeds
// it to @aws-cdk/service-spec-types' `emptyDatabase().load(...)`). We read the
// dump directly, which keeps us independent of that query API:
//
//   { idCtr, schema: {
//       resource:       { type: "entities", entities: [ Resource... ] },
//       typeDefinition: { type: "entities", entities: [ TypeDefinition... ] },
//       service, region, metric, ... (not needed here),
//       hasResource, usesType, ...:  { type: "rel", forward: { fromId: [{$id}] } } } }
//
//   Resource = { $id, cloudFormationType: "AWS::EC2::VPC", name,
//                properties: { Name: Property }, attributes: { Name: { type } },
//                cloudFormationTransform?: "AWS::Serverless-2016-10-31", ... }
//   TypeDefinition = { $id, name, properties: { Name: Property } }
//   Property = { type: PropertyType, required?: true, deprecated?, previousTypes?, ... }
//   PropertyType =
//       { type: "string" | "number" | "integer" | "boolean" | "date-time" | "json" | "tag" }
//     | { type: "array", element: PropertyType }
//     | { type: "map",   element: PropertyType }
//     | { type: "ref",   reference: { $ref: <TypeDefinition $id> } }
//     | { type: "union", types: [ PropertyType... ] }
//
// Attribute names already include the dotted forms usable in Fn::GetAtt, e.g.
// "Endpoint.Address" and "MasterUserSecret.SecretArn" for AWS::RDS::DBInstance.
// `previousTypes` are older shapes kept by the CDK for backwards compatibility;
// CloudFormation validates against the current `type`, so we ignore them.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function loadCfnSpec() {
  const dir = path.dirname(require.resolve('@aws-cdk/aws-service-spec/package.json'));
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const dump = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'db.json.gz'))).toString('utf8'));
  const schema = dump.schema;
  if (schema?.resource?.type !== 'entities' || schema?.typeDefinition?.type !== 'entities') {
    throw new Error('unexpected db.json.gz layout in @aws-cdk/aws-service-spec');
  }
  const resources = new Map();
  for (const r of schema.resource.entities) resources.set(r.cloudFormationType, r);
  const typeDefs = new Map();
  for (const t of schema.typeDefinition.entities) typeDefs.set(t.$id, t);
  if (resources.size < 1000 || !resources.has('AWS::EC2::VPC')) {
    throw new Error(`unexpected @aws-cdk/aws-service-spec content (${resources.size} resource types)`);
  }
  return { version: pkg.version, resources, typeDefs };
}
