#!/usr/bin/env node
// validate-tf.mjs [--provider-schema SCHEMA.json] FILE.tf.json...
//
// Checks synthesized Terraform JSON against the hashicorp/aws provider schema
// extracted from @cdktf/provider-aws (see lib/tf-schema.mjs):
//
//   * every `resource`, `data` and `ephemeral` type exists in the provider
//   * every argument and nested block exists, at every nesting level (a nested
//     block may be an object or a list of objects; `dynamic` blocks are checked
//     against the block they generate), and required arguments/blocks are set
//   * meta-arguments (count, for_each, depends_on, provider, lifecycle,
//     provisioner, connection) are allowed, and lifecycle/depends_on/provider
//     point at things that exist
//   * every reference inside "${...}" / "%{...}" templates - aws_x.name.attr,
//     data.aws_x.name.attr, ephemeral.aws_x.name, var.x, local.x, module.x - is
//     declared in the same module (all *.tf.json files of one directory form a
//     module), and resource/data attributes exist; path.*, terraform.*, count.*,
//     each.*, self.* and function calls are fine
//   * the `terraform` block has required_providers, with aws = hashicorp/aws and
//     a version constraint that admits the provider release the schema is from
//
// Ephemeral resources: @cdktf/provider-aws has no bindings for them, so their
// schema comes from `--provider-schema` (a `terraform providers schema -json`
// dump; run.sh creates one when terraform and the offline mirror exist).
// Without it ephemeral types are only noted on stderr, not checked.
//
// Output: one line per problem, "FILE: resource.aws_vpc.main.foo: message",
// then "tf-conformance: N files, M resources, P problems" (M counts resource,
// data and ephemeral blocks). Exit status 1 on any problem, 2 on usage errors.

import fs from 'node:fs';
import path from 'node:path';
import { loadTfSchema, loadProviderSchemaDump } from './lib/tf-schema.mjs';
import { stringReferences, versionSatisfies } from './lib/tf-expr.mjs';
import { Reporter, join, suggest, isPlainObject, describe, parseArgs } from './lib/report.mjs';

const USAGE = 'usage: validate-tf.mjs [--provider-schema SCHEMA.json] FILE.tf.json...';

const TOP_LEVEL = new Set([
  'terraform',
  'provider',
  'variable',
  'locals',
  'output',
  'resource',
  'data',
  'ephemeral',
  'module',
  'moved',
  'import',
  'check',
  'removed',
]);
const META = {
  resource: new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']),
  data: new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle']),
  ephemeral: new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle']),
};
const LIFECYCLE_KEYS = {
  resource: new Set(['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by', 'precondition', 'postcondition']),
  data: new Set(['precondition', 'postcondition']),
  ephemeral: new Set(['precondition', 'postcondition']),
};
const TERRAFORM_KEYS = new Set(['required_version', 'required_providers', 'backend', 'cloud', 'experiments', 'provider_meta']);
const VARIABLE_KEYS = new Set(['type', 'default', 'description', 'sensitive', 'nullable', 'validation', 'ephemeral']);
const OUTPUT_KEYS = new Set(['value', 'description', 'sensitive', 'depends_on', 'precondition', 'ephemeral']);
const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);
const BUILTIN_ROOTS = new Set(['path', 'terraform', 'count', 'each', 'self']);
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const AWS_SOURCES = new Set(['hashicorp/aws', 'registry.terraform.io/hashicorp/aws']);

const norm = (s) => s.toLowerCase().replace(/_/g, '');

// Iterate a labelled block section ("resource" has 2 labels: type and name).
// JSON syntax allows a list of objects at any level; "//" keys are comments.
function* labelled(value, depth, path, labels = []) {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* labelled(value[i], depth, join(path, i), labels);
    return;
  }
  if (depth === 0) {
    yield { labels, body: value, path };
    return;
  }
  if (!isPlainObject(value)) {
    yield { labels, body: value, path, error: `expected an object, got ${describe(value)}` };
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === '//') continue;
    yield* labelled(v, depth - 1, join(path, k), [...labels, k]);
  }
}

// Unlabelled block that may be an object or a list of objects (terraform, locals).
function* bodies(value, path) {
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield { body: value[i], path: join(path, i) };
  else yield { body: value, path };
}

class ModuleChecker {
  constructor(schema, files) {
    this.schema = schema;
    this.files = files; // [{ file, doc, rep }]
    this.decl = {
      resource: new Map(),
      data: new Map(),
      ephemeral: new Map(),
      variable: new Set(),
      local: new Set(),
      module: new Set(),
      provider: new Set(),
    };
    this.blockCount = 0;
  }

  // ---------------------------------------------------------- declarations

  collect() {
    for (const { doc, rep } of this.files) {
      for (const kind of ['resource', 'data', 'ephemeral']) {
        for (const { labels, path: p, error } of labelled(doc[kind] ?? {}, 2, kind)) {
          if (error) continue;
          const key = labels.join('.');
          if (this.decl[kind].has(key)) rep.add(p, `duplicate ${kind} '${key}'`);
          this.decl[kind].set(key, labels[0]);
        }
      }
      for (const { labels } of labelled(doc.variable ?? {}, 1, 'variable')) this.decl.variable.add(labels[0]);
      for (const { labels } of labelled(doc.module ?? {}, 1, 'module')) this.decl.module.add(labels[0]);
      for (const { body } of bodies(doc.locals ?? {}, 'locals')) {
        if (isPlainObject(body)) for (const k of Object.keys(body)) this.decl.local.add(k);
      }
      for (const { labels, body } of labelled(doc.provider ?? {}, 1, 'provider')) {
        const alias = isPlainObject(body) && typeof body.alias === 'string' ? `.${body.alias}` : '';
        this.decl.provider.add(labels[0] + alias);
      }
    }
  }

  // ------------------------------------------------------------------ checks

  run() {
    this.collect();
    let hasRequiredProviders = false;
    let usesAws = this.decl.provider.has('aws');
    for (const kind of ['resource', 'data', 'ephemeral']) {
      for (const type of this.decl[kind].values()) if (type.startsWith('aws_')) usesAws = true;
    }
    for (const f of this.files) {
      this.rep = f.rep;
      const doc = f.doc;
      for (const k of Object.keys(doc)) {
        if (k !== '//' && !TOP_LEVEL.has(k)) this.rep.add(k, `unknown top-level block '${k}'${suggest(k, TOP_LEVEL)}`);
      }
      if ('terraform' in doc) hasRequiredProviders = this.checkTerraform(doc.terraform) || hasRequiredProviders;
      for (const { labels, body, path: p, error } of labelled(doc.provider ?? {}, 1, 'provider')) {
        if (error) this.rep.add(p, error);
        else this.checkProvider(labels[0], body, p);
      }
      for (const kind of ['resource', 'data', 'ephemeral']) {
        for (const { labels, body, path: p, error } of labelled(doc[kind] ?? {}, 2, kind)) {
          this.blockCount++;
          if (error) this.rep.add(p, error);
          else this.checkResource(kind, labels[0], labels[1], body, p);
        }
      }
      for (const { labels, body, path: p, error } of labelled(doc.variable ?? {}, 1, 'variable')) {
        if (error) this.rep.add(p, error);
        else this.checkVariable(labels[0], body, p);
      }
      for (const { body, path: p } of bodies(doc.locals ?? {}, 'locals')) {
        if (!isPlainObject(body)) this.rep.add(p, `locals must be an object, got ${describe(body)}`);
        else for (const [k, v] of Object.entries(body)) this.scanRefs(v, join(p, k), {});
      }
      for (const { labels, body, path: p, error } of labelled(doc.output ?? {}, 1, 'output')) {
        if (error) this.rep.add(p, error);
        else this.checkOutput(labels[0], body, p);
      }
      for (const { body, path: p, error } of labelled(doc.module ?? {}, 1, 'module')) {
        if (error) this.rep.add(p, error);
        else if (!isPlainObject(body) || typeof body.source !== 'string') this.rep.add(p, `module needs a 'source'`);
        else for (const [k, v] of Object.entries(body)) if (k !== 'depends_on') this.scanRefs(v, join(p, k), {});
      }
    }
    if (!hasRequiredProviders) {
      this.files[0].rep.add('terraform', `missing terraform.required_providers${usesAws ? ' (with aws = { source = "hashicorp/aws" })' : ''}`);
    }
  }

  checkTerraform(value) {
    let found = false;
    for (const { body, path: p } of bodies(value, 'terraform')) {
      if (!isPlainObject(body)) {
        this.rep.add(p, `expected an object, got ${describe(body)}`);
        continue;
      }
      for (const k of Object.keys(body)) {
        if (k !== '//' && !TERRAFORM_KEYS.has(k)) this.rep.add(join(p, k), `unknown terraform setting '${k}'${suggest(k, TERRAFORM_KEYS)}`);
      }
      if (!('required_providers' in body)) continue;
      found = true;
      for (const { body: rp, path: rpp } of bodies(body.required_providers, join(p, 'required_providers'))) {
        if (!isPlainObject(rp)) {
          this.rep.add(rpp, `expected an object, got ${describe(rp)}`);
          continue;
        }
        for (const [name, req] of Object.entries(rp)) {
          if (name === '//') continue;
          const rq = join(rpp, name);
          if (typeof req === 'string') continue; // legacy: version constraint only
          if (!isPlainObject(req)) {
            this.rep.add(rq, `expected { source, version }, got ${describe(req)}`);
            continue;
          }
          if (name === 'aws') {
            if (req.source !== undefined && !AWS_SOURCES.has(String(req.source).toLowerCase())) {
              this.rep.add(join(rq, 'source'), `aws provider source must be 'hashicorp/aws', got ${describe(req.source)}`);
            }
            if (typeof req.version === 'string' && !versionSatisfies(this.schema.providerVersion, req.version)) {
              this.rep.add(
                join(rq, 'version'),
                `constraint '${req.version}' excludes hashicorp/aws ${this.schema.providerVersion} (the schema/mirror version)`,
              );
            }
          }
        }
      }
    }
    return found;
  }

  checkProvider(name, body, p) {
    if (!isPlainObject(body)) {
      this.rep.add(p, `expected an object, got ${describe(body)}`);
      return;
    }
    if (name !== 'aws') {
      this.rep.add(p, `provider '${name}' is not available: only hashicorp/aws is in the schema and the offline mirror`);
      return;
    }
    this.checkBody(body, this.schema.provider, p, 'provider aws', 'provider');
  }

  checkResource(kind, type, name, body, p) {
    const { rep } = this;
    if (!NAME.test(name)) rep.add(p, `invalid ${kind} name '${name}'`);
    if (!isPlainObject(body)) {
      rep.add(p, `expected an object, got ${describe(body)}`);
      return;
    }
    // Terraform's built-in provider ("terraform") has one data source, which carries cross-stack
    // references: its arguments are fixed by Terraform itself, not by any provider schema.
    if (kind === 'data' && type === 'terraform_remote_state') {
      const allowed = new Set(['backend', 'config', 'defaults', 'workspace']);
      for (const k of Object.keys(body)) {
        if (!allowed.has(k) && !META[kind].has(k)) rep.add(join(p, k), `unknown argument '${k}' of terraform_remote_state`);
      }
      if (typeof body.backend !== 'string') rep.add(join(p, 'backend'), 'terraform_remote_state needs a backend name');
      for (const [k, v] of Object.entries(body)) if (!META[kind].has(k)) this.scanRefs(v, join(p, k), {});
      return;
    }
    const table = this.schema[kind];
    const block = table?.[type];
    if (!block) {
      if (kind === 'ephemeral' && !this.schema.ephemeral) {
        console.error(
          `${this.currentFile()}: ${p}: note: ephemeral type '${type}' not checked ` +
            '(@cdktf/provider-aws has no ephemeral bindings; pass --provider-schema)',
        );
        this.checkMeta(kind, body, p, null);
        for (const [k, v] of Object.entries(body)) if (!META[kind].has(k)) this.scanRefs(v, join(p, k), {});
        return;
      }
      const where = type.startsWith('aws_')
        ? `hashicorp/aws ${this.schema.providerVersion}`
        : `hashicorp/aws ${this.schema.providerVersion}; only the aws provider is available`;
      rep.add(p, `unknown ${kind} type '${type}' (not in ${where})${suggest(type, Object.keys(table ?? {}))}`);
      return;
    }
    this.checkBody(body, block, p, type, kind);
  }

  currentFile() {
    return this.files.find((f) => f.rep === this.rep)?.file ?? '';
  }

  // Check a block body: arguments, nested blocks, meta-arguments, required ones.
  checkBody(body, block, p, owner, kind) {
    const { rep } = this;
    const meta = META[kind] ?? new Set();
    const viaDynamic = new Set();
    for (const [k, v] of Object.entries(body)) {
      const kp = join(p, k);
      if (k === '//') continue;
      if (meta.has(k)) continue; // checked below
      if (kind === 'provider' && k === 'alias') continue;
      if (k === 'dynamic') {
        this.checkDynamic(v, block, kp, owner, viaDynamic);
        continue;
      }
      const entry = block.a[k];
      if (!entry) {
        rep.add(kp, `unknown argument '${k}' for ${owner}${suggest(k, Object.keys(block.a))}`);
        continue;
      }
      if (entry.b) this.checkNested(v, entry.b, kp, `${owner}.${k}`);
      else this.scanRefs(v, kp, {});
    }
    for (const [k, entry] of Object.entries(block.a)) {
      if (entry.r && !(k in body) && !viaDynamic.has(k)) {
        rep.add(p, `missing required ${entry.b ? 'block' : 'argument'} '${k}'`);
      }
    }
    if (kind in META) this.checkMeta(kind, body, p, block);
  }

  checkNested(v, block, p, owner) {
    if (v === null) return;
    if (typeof v === 'string' && v.includes('${')) {
      this.scanRefs(v, p, {}); // an expression for a list-of-objects attribute
      return;
    }
    const items = Array.isArray(v) ? v.map((x, i) => [x, join(p, i)]) : [[v, p]];
    for (const [item, ip] of items) {
      if (isPlainObject(item)) this.checkBody(item, block, ip, owner, 'nested');
      else if (typeof item === 'string' && item.includes('${')) this.scanRefs(item, ip, {});
      else this.rep.add(ip, `expected a nested block (object or list of objects), got ${describe(item)}`);
    }
  }

  // "dynamic": { "ingress": { "for_each": "...", "iterator": "x", "content": {...} } }
  checkDynamic(v, block, p, owner, viaDynamic) {
    for (const { labels, body, path: dp, error } of labelled(v, 1, p)) {
      if (error) {
        this.rep.add(dp, error);
        continue;
      }
      const name = labels[0];
      const entry = block.a[name];
      if (!entry?.b) {
        this.rep.add(dp, `dynamic block '${name}' is not a nested block of ${owner}${suggest(name, Object.keys(block.a))}`);
        continue;
      }
      viaDynamic.add(name);
      if (!isPlainObject(body)) {
        this.rep.add(dp, `expected an object, got ${describe(body)}`);
        continue;
      }
      for (const k of Object.keys(body)) {
        if (!['for_each', 'iterator', 'labels', 'content', '//'].includes(k)) this.rep.add(join(dp, k), `unknown dynamic block argument '${k}'`);
      }
      if (!('for_each' in body)) this.rep.add(dp, `dynamic block needs 'for_each'`);
      if (!('content' in body)) this.rep.add(dp, `dynamic block needs 'content'`);
      if ('for_each' in body) this.scanRefs(body.for_each, join(dp, 'for_each'), {});
      if (isPlainObject(body.content)) {
        // inside `content` the iterator (default: the block name) is a valid root
        const iterator = typeof body.iterator === 'string' ? body.iterator : name;
        const saved = this.extraRoots;
        this.extraRoots = new Set([...(saved ?? []), iterator]);
        this.checkBody(body.content, entry.b, join(dp, 'content'), `${owner}.${name}`, 'nested');
        this.extraRoots = saved;
      }
    }
  }

  checkMeta(kind, body, p, block) {
    const { rep } = this;
    if ('count' in body) this.scanRefs(body.count, join(p, 'count'), {});
    if ('for_each' in body) this.scanRefs(body.for_each, join(p, 'for_each'), {});
    if ('count' in body && 'for_each' in body) rep.add(p, `'count' and 'for_each' cannot be used together`);
    if ('depends_on' in body) this.checkDependsOn(body.depends_on, join(p, 'depends_on'));
    if ('provider' in body) {
      const pr = body.provider;
      if (typeof pr !== 'string') rep.add(join(p, 'provider'), `provider must be a string like "aws.alias", got ${describe(pr)}`);
      else if (pr.includes('.') && !this.decl.provider.has(pr)) {
        rep.add(join(p, 'provider'), `provider configuration '${pr}' is not declared${suggest(pr, this.decl.provider)}`);
      }
    }
    if ('lifecycle' in body) {
      for (const { body: lc, path: lp } of bodies(body.lifecycle, join(p, 'lifecycle'))) {
        if (!isPlainObject(lc)) {
          rep.add(lp, `expected an object, got ${describe(lc)}`);
          continue;
        }
        for (const [k, v] of Object.entries(lc)) {
          const kp = join(lp, k);
          if (k === '//') continue;
          if (!LIFECYCLE_KEYS[kind].has(k)) {
            rep.add(kp, `unknown lifecycle argument '${k}'${suggest(k, LIFECYCLE_KEYS[kind])}`);
          } else if (k === 'ignore_changes' && block) {
            if (Array.isArray(v)) {
              v.forEach((attr, i) => {
                const top = typeof attr === 'string' ? attr.split(/[.[]/)[0] : null;
                if (top !== null && !(top in block.a) && !['tags_all'].includes(top)) {
                  rep.add(join(kp, i), `ignore_changes names unknown argument '${top}'${suggest(top, Object.keys(block.a))}`);
                }
              });
            } else if (v !== 'all') rep.add(kp, `ignore_changes must be a list of argument names or "all"`);
          } else if (k === 'replace_triggered_by') {
            this.checkDependsOn(v, kp, true);
          } else this.scanRefs(v, kp, { self: true });
        }
      }
    }
    if ('provisioner' in body) this.scanRefs(body.provisioner, join(p, 'provisioner'), { self: true });
    if ('connection' in body) this.scanRefs(body.connection, join(p, 'connection'), { self: true });
  }

  // depends_on / replace_triggered_by: a list of bare references.
  checkDependsOn(v, p, allowAttributes = false) {
    if (!Array.isArray(v)) {
      this.rep.add(p, `expected a list of references, got ${describe(v)}`);
      return;
    }
    v.forEach((ref, i) => {
      const ip = join(p, i);
      if (typeof ref !== 'string') {
        this.rep.add(ip, `expected a reference string, got ${describe(ref)}`);
        return;
      }
      const bare = ref.replace(/^\$\{(.*)\}$/s, '$1');
      const { refs } = stringReferences('${' + bare + '}');
      if (refs.length !== 1 || refs[0].text !== bare.trim()) {
        this.rep.add(ip, `'${ref}' is not a plain reference to a resource, data source or module`);
        return;
      }
      this.checkReference(refs[0], ip, {}, allowAttributes);
    });
  }

  checkVariable(name, body, p) {
    if (!NAME.test(name)) this.rep.add(p, `invalid variable name '${name}'`);
    if (!isPlainObject(body)) {
      this.rep.add(p, `expected an object, got ${describe(body)}`);
      return;
    }
    for (const k of Object.keys(body)) {
      if (k !== '//' && !VARIABLE_KEYS.has(k)) this.rep.add(join(p, k), `unknown variable argument '${k}'${suggest(k, VARIABLE_KEYS)}`);
    }
    if ('validation' in body) this.scanRefs(body.validation, join(p, 'validation'), {});
  }

  checkOutput(name, body, p) {
    if (!NAME.test(name)) this.rep.add(p, `invalid output name '${name}'`);
    if (!isPlainObject(body)) {
      this.rep.add(p, `expected an object, got ${describe(body)}`);
      return;
    }
    for (const k of Object.keys(body)) {
      if (k !== '//' && !OUTPUT_KEYS.has(k)) this.rep.add(join(p, k), `unknown output argument '${k}'${suggest(k, OUTPUT_KEYS)}`);
    }
    if (!('value' in body)) this.rep.add(p, `missing required output argument 'value'`);
    else this.scanRefs(body.value, join(p, 'value'), {});
    if ('depends_on' in body) this.checkDependsOn(body.depends_on, join(p, 'depends_on'));
    if ('precondition' in body) this.scanRefs(body.precondition, join(p, 'precondition'), {});
  }

  // ------------------------------------------------------------ references

  // Check every reference in any JSON value (strings are templates).
  scanRefs(v, p, ctx) {
    if (typeof v === 'string') {
      if (!v.includes('{')) return;
      const { refs, error } = stringReferences(v);
      if (error) this.rep.add(p, error);
      for (const r of refs) this.checkReference(r, p, ctx);
    } else if (Array.isArray(v)) v.forEach((x, i) => this.scanRefs(x, join(p, i), ctx));
    else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) if (k !== '//') this.scanRefs(x, join(p, k), ctx);
  }

  checkReference(ref, p, ctx, allowAttributes = true) {
    const { root, parts } = ref;
    const { rep, decl } = this;
    if (parts.length === 0 || parts[0] === '[]' || parts[0] === '*') return; // bare identifier / not a traversal
    if (BUILTIN_ROOTS.has(root) || this.extraRoots?.has(root)) return;
    const [a, b] = parts;
    switch (root) {
      case 'var':
        if (!decl.variable.has(a)) rep.add(p, `reference to undeclared variable 'var.${a}'${suggest(a, decl.variable)}`);
        return;
      case 'local':
        if (!decl.local.has(a)) rep.add(p, `reference to undeclared local value 'local.${a}'${suggest(a, decl.local)}`);
        return;
      case 'module':
        if (!decl.module.has(a)) rep.add(p, `reference to undeclared module 'module.${a}'`);
        return;
      case 'data':
      case 'ephemeral': {
        if (!b || b === '[]' || b === '*') {
          rep.add(p, `incomplete reference '${ref.text}'`);
          return;
        }
        const key = `${a}.${b}`;
        if (!decl[root].has(key)) {
          const hint = suggest(`${root}.${key}`, [...decl[root].keys()].map((k) => `${root}.${k}`));
          rep.add(p, `reference to undeclared ${root === 'data' ? 'data source' : 'ephemeral resource'} '${root}.${key}'${hint}`);
          return;
        }
        this.checkAttribute(root, a, b, parts.slice(2), p, ref, allowAttributes);
        return;
      }
      default: {
        const isType = decl.resource.has(`${root}.${a}`) ||
          this.schema.resource[root] ||
          [...decl.resource.values()].includes(root) ||
          /^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(root);
        if (!isType) return;
        if (!decl.resource.has(`${root}.${a}`)) {
          const hint = suggest(`${root}.${a}`, decl.resource.keys());
          rep.add(p, `reference to undeclared resource '${root}.${a}'${hint}`);
          return;
        }
        this.checkAttribute('resource', root, a, parts.slice(1), p, ref, allowAttributes);
      }
    }
  }

  // rest: the traversal parts after the block name, e.g. ["[]", "id"].
  checkAttribute(kind, type, name, rest, p, ref, allowAttributes) {
    const attr = rest.find((x) => x !== '[]' && x !== '*');
    if (attr === undefined) return;
    if (!allowAttributes) {
      this.rep.add(p, `'${ref.text}' must reference a whole ${kind === 'resource' ? 'resource' : 'data source'}, not an attribute`);
      return;
    }
    const block = this.schema[kind]?.[type];
    if (!block) return; // unknown type: reported on its declaration
    if (attr in block.a || attr === 'id' || (block.c ?? []).some((c) => norm(c) === norm(attr))) return;
    const prefix = kind === 'resource' ? '' : `${kind}.`;
    const known = [...Object.keys(block.a), ...(block.c ?? [])];
    this.rep.add(p, `reference to unknown attribute '${attr}' of ${prefix}${type}.${name}${suggest(attr, known)}`);
  }
}

// -------------------------------------------------------------------- main

function main() {
  const { files, options } = parseArgs(process.argv.slice(2), USAGE, { '--provider-schema': 'providerSchema' });
  const schema = loadTfSchema();
  if (options.providerSchema) {
    // Only ephemeral resources come from the terraform dump; everything else
    // stays derived from @cdktf/provider-aws.
    schema.ephemeral = loadProviderSchemaDump(options.providerSchema).ephemeral;
  }
  // All files of one directory form one Terraform module.
  const groups = new Map();
  const parsed = [];
  for (const file of files) {
    const rep = new Reporter(file);
    let doc = null;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!isPlainObject(doc)) {
        rep.add('', `expected a JSON object, got ${describe(doc)}`);
        doc = null;
      }
    } catch (e) {
      rep.add('', e.code ? `cannot read file: ${e.message}` : `invalid JSON: ${e.message}`);
    }
    parsed.push({ file, rep, doc });
    if (doc) {
      const dir = path.dirname(path.resolve(file));
      if (!groups.has(dir)) groups.set(dir, []);
      groups.get(dir).push({ file, rep, doc });
    }
  }
  let blocks = 0;
  for (const group of groups.values()) {
    const checker = new ModuleChecker(schema, group);
    checker.run();
    blocks += checker.blockCount;
  }
  let problems = 0;
  for (const { rep } of parsed) {
    for (const line of rep.lines()) console.log(line);
    problems += rep.problems.length;
  }
  console.log(`tf-conformance: ${files.length} files, ${blocks} resources, ${problems} problems`);
  process.exitCode = problems > 0 ? 1 : 0;
}

main();
