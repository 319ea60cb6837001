// Parse a CloudFormation template (YAML with short-form tags, or JSON) into
// plain JS values with every intrinsic in its long (JSON) form:
//   !Ref X            -> { Ref: "X" }
//   !GetAtt A.B.C     -> { "Fn::GetAtt": ["A", "B.C"] }
//   !Sub / !Join / !Select / !GetAZs / !If / ... -> { "Fn::<Name>": <value> }
//   !Condition C      -> { Condition: "C" }
//
// Rather than registering one custom tag per (function, node kind) pair, we let
// the `yaml` package parse with unknown tags left unresolved (it keeps the node
// kind and the tag name on the AST node) and convert the AST ourselves. That
// way every short-form tag works on scalars, sequences and mappings alike, and a
// misspelled tag (e.g. !GetAttr) becomes an unknown function that the validator
// reports instead of a silent string.

import fs from 'node:fs';
import YAML from 'yaml';

function longForm(tag, value) {
  const name = tag.slice(1);
  if (name === 'Ref') return { Ref: value };
  if (name === 'Condition') return { Condition: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

function convert(node, doc, seen = new Set()) {
  if (node == null) return null;
  if (YAML.isAlias(node)) {
    const target = node.resolve(doc);
    if (!target || seen.has(target)) throw new Error('unresolvable or recursive YAML alias');
    return convert(target, doc, new Set(seen).add(target));
  }
  let value;
  if (YAML.isScalar(node)) {
    // An unresolved tag leaves the scalar as its source string; plain scalars
    // are resolved with the YAML 1.2 core schema (numbers, booleans, null).
    value = node.value;
  } else if (YAML.isMap(node)) {
    value = {};
    for (const pair of node.items) {
      const key = YAML.isScalar(pair.key) ? pair.key.value : convert(pair.key, doc, seen);
      if (key !== null && typeof key === 'object') throw new Error('complex mapping keys are not supported');
      if (key === '<<') {
        // YAML merge key: copy entries of the merged map(s) that are not set explicitly
        const merged = convert(pair.value, doc, seen);
        for (const m of Array.isArray(merged) ? merged : [merged]) {
          if (m && typeof m === 'object') for (const [k, v] of Object.entries(m)) if (!(k in value)) value[k] = v;
        }
        continue;
      }
      value[String(key)] = convert(pair.value, doc, seen);
    }
  } else if (YAML.isSeq(node)) {
    value = node.items.map((item) => convert(item, doc, seen));
  } else {
    throw new Error(`unsupported YAML node ${node?.constructor?.name}`);
  }
  const tag = node.tag;
  if (tag && tag.startsWith('!') && !tag.startsWith('!!')) return longForm(tag, value);
  return value;
}

// Returns { template } or { error: "message" }.
export function parseTemplate(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `cannot read file: ${e.message}` };
  }
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return { template: JSON.parse(trimmed) };
    } catch (e) {
      return { error: `invalid JSON: ${e.message}` };
    }
  }
  const docs = YAML.parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true, merge: false });
  if (!Array.isArray(docs) || docs.length !== 1) {
    return { error: `expected exactly one YAML document, found ${Array.isArray(docs) ? docs.length : 0}` };
  }
  const doc = docs[0];
  if (doc.errors.length) return { error: `invalid YAML: ${doc.errors[0].message.split('\n')[0].replace(/:$/, '')}` };
  try {
    return { template: convert(doc.contents, doc) };
  } catch (e) {
    return { error: `invalid YAML: ${e.message}` };
  }
}
