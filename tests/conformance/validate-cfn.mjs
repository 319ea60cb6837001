#!/usr/bin/env node
// validate-cfn.mjs TEMPLATE...
//
// Checks synthesized CloudFormation templates (YAML with short-form tags, or
// JSON) against the CloudFormation resource specification shipped in
// @aws-cdk/aws-service-spec (see lib/cfn-spec.mjs for how that data is stored):
//
//   * template sections, Parameters, Mappings, Conditions, Outputs are well formed
//   * every resource Type exists (Custom::* and AWS::CloudFormation::CustomResource
//     accept any properties but need ServiceToken; AWS::Serverless::* need the
//     SAM Transform)
//   * every property exists and every required property is present, recursively
//     through nested property types, lists and maps of them; literal values get
//     a light shape check (list vs object vs scalar, boolean/number literals).
//     Values that are intrinsic functions are accepted wherever a value is
//     expected (their results are not type-checked; Fn::If branches are).
//   * every Ref / Fn::GetAtt / Fn::Sub ${X} and ${X.Attr} / DependsOn /
//     Fn::FindInMap / Fn::If / Condition target exists, and Fn::GetAtt attributes
//     (including dotted ones like Endpoint.Address) are valid for the target type.
//
// Output: one line per problem, "FILE: Resources.X.Properties.Y: message",
// then "cfn-conformance: N files, M resources, P problems". Exit status 1 if
// there is any problem, 2 on usage errors.

import { parseTemplate } from './lib/cfn-parse.mjs';
import { loadCfnSpec } from './lib/cfn-spec.mjs';
import { Reporter, ScratchReporter, join, suggest, isPlainObject, describe, parseArgs } from './lib/report.mjs';

const USAGE = 'usage: validate-cfn.mjs TEMPLATE...  (YAML or JSON CloudFormation templates)';

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);
const TOP_LEVEL_SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Hooks',
]);
const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
  'Metadata',
  'Version',
]);
const DELETION_POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);
const UPDATE_REPLACE_POLICIES = new Set(['Delete', 'Retain', 'Snapshot']);
const PARAMETER_KEYS = new Set([
  'Type',
  'Default',
  'Description',
  'AllowedValues',
  'AllowedPattern',
  'ConstraintDescription',
  'MaxLength',
  'MinLength',
  'MaxValue',
  'MinValue',
  'NoEcho',
]);
const PARAMETER_TYPE =
  /^(String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::Value<.+>)$/;
const OUTPUT_KEYS = new Set(['Description', 'Value', 'Export', 'Condition']);
const LOGICAL_ID = /^[A-Za-z0-9]+$/;
const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

// Intrinsic functions and the number of list arguments they take (null: any shape).
const FUNCTIONS = new Map([
  ['Ref', null],
  ['Fn::GetAtt', null],
  ['Fn::Sub', null],
  ['Fn::Join', [2]],
  ['Fn::Select', [2]],
  ['Fn::Split', [2]],
  ['Fn::GetAZs', null],
  ['Fn::FindInMap', [3, 4]],
  ['Fn::If', [3]],
  ['Fn::Base64', null],
  ['Fn::ImportValue', null],
  ['Fn::Cidr', [3]],
  ['Fn::Transform', null],
  ['Fn::Length', null],
  ['Fn::ToJsonString', null],
  ['Fn::Equals', [2]],
  ['Fn::Not', [1]],
  ['Fn::And', [2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ['Fn::Or', [2, 3, 4, 5, 6, 7, 8, 9, 10]],
]);
const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or', 'Condition']);

// A value is an intrinsic if it is a one-key object whose key is Ref or Fn::*.
function intrinsicName(v) {
  if (!isPlainObject(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1) return null;
  return keys[0] === 'Ref' || keys[0].startsWith('Fn::') ? keys[0] : null;
}

const isNoValue = (v) => isPlainObject(v) && v.Ref === 'AWS::NoValue' && Object.keys(v).length === 1;

// Names referenced by a Fn::Sub string: "${X}" and "${X.Attr}"; "${!X}" is a literal.
function subReferences(str) {
  const refs = [];
  for (const m of String(str).matchAll(/\$\{([^}]*)\}/g)) {
    const name = m[1].trim();
    if (name.startsWith('!')) continue;
    refs.push(name);
  }
  return refs;
}

class TemplateChecker {
  constructor(spec, template, rep) {
    this.spec = spec;
    this.t = template;
    this.rep = rep;
    const obj = (v) => (isPlainObject(v) ? v : {});
    this.parameters = obj(template.Parameters);
    this.resources = obj(template.Resources);
    this.conditions = obj(template.Conditions);
    this.mappings = obj(template.Mappings);
  }

  run() {
    const { t, rep } = this;
    for (const key of Object.keys(t)) {
      if (!TOP_LEVEL_SECTIONS.has(key)) rep.add(key, `unknown top-level section '${key}'${suggest(key, TOP_LEVEL_SECTIONS)}`);
    }
    if ('AWSTemplateFormatVersion' in t && t.AWSTemplateFormatVersion !== '2010-09-09') {
      rep.add('AWSTemplateFormatVersion', `must be '2010-09-09', got ${describe(t.AWSTemplateFormatVersion)}`);
    }
    for (const section of ['Parameters', 'Mappings', 'Conditions', 'Outputs', 'Metadata', 'Rules']) {
      if (section in t && !isPlainObject(t[section])) rep.add(section, `must be an object, got ${describe(t[section])}`);
    }
    this.checkParameters();
    this.checkMappings();
    this.checkConditions();
    this.checkResources();
    this.checkOutputs();
  }

  // ---------------------------------------------------------------- sections

  checkParameters() {
    for (const [name, p] of Object.entries(this.parameters)) {
      const path = join('Parameters', name);
      this.checkLogicalId(name, path);
      if (PSEUDO_PARAMETERS.has(name)) this.rep.add(path, `parameter name '${name}' clashes with a pseudo parameter`);
      if (name in this.resources) this.rep.add(path, `'${name}' is declared both as a parameter and as a resource`);
      if (!isPlainObject(p)) {
        this.rep.add(path, `must be an object, got ${describe(p)}`);
        continue;
      }
      for (const k of Object.keys(p)) {
        if (!PARAMETER_KEYS.has(k)) this.rep.add(join(path, k), `unknown parameter attribute '${k}'${suggest(k, PARAMETER_KEYS)}`);
      }
      if (!('Type' in p)) this.rep.add(path, `missing required parameter attribute 'Type'`);
      else if (typeof p.Type !== 'string' || !PARAMETER_TYPE.test(p.Type)) {
        this.rep.add(join(path, 'Type'), `invalid parameter type ${describe(p.Type)}`);
      }
    }
  }

  checkMappings() {
    for (const [name, m] of Object.entries(this.mappings)) {
      const path = join('Mappings', name);
      this.checkLogicalId(name, path);
      if (!isPlainObject(m)) {
        this.rep.add(path, `must be an object, got ${describe(m)}`);
        continue;
      }
      for (const [k, v] of Object.entries(m)) {
        if (!isPlainObject(v)) this.rep.add(join(path, k), `mapping entries must be objects, got ${describe(v)}`);
      }
    }
  }

  checkConditions() {
    for (const [name, c] of Object.entries(this.conditions)) {
      const path = join('Conditions', name);
      this.checkLogicalId(name, path);
      this.walk(c, path, { conditions: true });
    }
  }

  checkResources() {
    const { t, rep } = this;
    if (!('Resources' in t)) {
      rep.add('Resources', 'template has no Resources section');
      return;
    }
    if (!isPlainObject(t.Resources) || Object.keys(t.Resources).length === 0) {
      rep.add('Resources', 'Resources must be a non-empty object');
      return;
    }
    const transforms = [t.Transform].flat().filter((x) => typeof x === 'string');
    for (const [id, res] of Object.entries(this.resources)) {
      const path = join('Resources', id);
      this.checkLogicalId(id, path);
      if (!isPlainObject(res)) {
        rep.add(path, `must be an object, got ${describe(res)}`);
        continue;
      }
      for (const k of Object.keys(res)) {
        if (!RESOURCE_KEYS.has(k)) rep.add(join(path, k), `unknown resource attribute '${k}'${suggest(k, RESOURCE_KEYS)}`);
      }
      this.checkResourceOptions(id, res, path);
      // Intrinsics anywhere in the resource (Properties, Metadata, policies)
      for (const k of ['Properties', 'Metadata', 'UpdatePolicy', 'CreationPolicy']) {
        if (k in res) this.walk(res[k], join(path, k), {});
      }

      const type = res.Type;
      if (typeof type !== 'string' || !type) {
        rep.add(join(path, 'Type'), 'missing or invalid resource Type');
        continue;
      }
      const props = res.Properties ?? {};
      const propsPath = join(path, 'Properties');
      if (!isPlainObject(props)) {
        if (!intrinsicName(props)) rep.add(propsPath, `must be an object, got ${describe(props)}`);
        continue;
      }
      if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
        if (!('ServiceToken' in props)) rep.add(propsPath, `missing required property 'ServiceToken'`);
        continue;
      }
      const spec = this.spec.resources.get(type);
      if (!spec) {
        rep.add(join(path, 'Type'), `unknown resource type '${type}'${suggest(type, this.spec.resources.keys())}`);
        continue;
      }
      if (spec.cloudFormationTransform && !transforms.includes(spec.cloudFormationTransform)) {
        rep.add(join(path, 'Type'), `${type} requires 'Transform: ${spec.cloudFormationTransform}'`);
      }
      this.checkStruct(props, spec.properties, propsPath, type, rep);
    }
  }

  checkResourceOptions(id, res, path) {
    const { rep } = this;
    if ('DependsOn' in res) {
      const deps = res.DependsOn;
      const list = Array.isArray(deps) ? deps : [deps];
      list.forEach((d, i) => {
        const p = Array.isArray(deps) ? join(join(path, 'DependsOn'), i) : join(path, 'DependsOn');
        if (typeof d !== 'string') rep.add(p, `DependsOn entries must be resource names, got ${describe(d)}`);
        else if (d === id) rep.add(p, `resource depends on itself`);
        else if (!(d in this.resources)) {
          rep.add(p, `DependsOn target '${d}' is not a resource in this template${suggest(d, Object.keys(this.resources))}`);
        }
      });
    }
    if ('Condition' in res) this.checkConditionName(res.Condition, join(path, 'Condition'));
    if ('DeletionPolicy' in res && !intrinsicName(res.DeletionPolicy) && !DELETION_POLICIES.has(res.DeletionPolicy)) {
      rep.add(join(path, 'DeletionPolicy'), `invalid DeletionPolicy ${describe(res.DeletionPolicy)}`);
    }
    if (
      'UpdateReplacePolicy' in res &&
      !intrinsicName(res.UpdateReplacePolicy) &&
      !UPDATE_REPLACE_POLICIES.has(res.UpdateReplacePolicy)
    ) {
      rep.add(join(path, 'UpdateReplacePolicy'), `invalid UpdateReplacePolicy ${describe(res.UpdateReplacePolicy)}`);
    }
  }

  checkOutputs() {
    if (!isPlainObject(this.t.Outputs)) return;
    for (const [name, out] of Object.entries(this.t.Outputs)) {
      const path = join('Outputs', name);
      this.checkLogicalId(name, path);
      if (!isPlainObject(out)) {
        this.rep.add(path, `must be an object, got ${describe(out)}`);
        continue;
      }
      for (const k of Object.keys(out)) {
        if (!OUTPUT_KEYS.has(k)) this.rep.add(join(path, k), `unknown output attribute '${k}'${suggest(k, OUTPUT_KEYS)}`);
      }
      if (!('Value' in out) || out.Value === null) this.rep.add(path, `missing required output attribute 'Value'`);
      else if (isPlainObject(out.Value) && !intrinsicName(out.Value)) {
        this.rep.add(join(path, 'Value'), 'output Value must be a string or an intrinsic function');
      }
      if ('Export' in out) {
        const ex = out.Export;
        if (!isPlainObject(ex) || !('Name' in ex)) this.rep.add(join(path, 'Export'), `Export must be an object with a Name`);
        else {
          for (const k of Object.keys(ex)) if (k !== 'Name') this.rep.add(join(join(path, 'Export'), k), `unknown Export attribute '${k}'`);
        }
      }
      if ('Condition' in out) this.checkConditionName(out.Condition, join(path, 'Condition'));
      for (const k of ['Value', 'Export', 'Description']) if (k in out) this.walk(out[k], join(path, k), {});
    }
  }

  checkLogicalId(name, path) {
    if (!LOGICAL_ID.test(name)) this.rep.add(path, `logical ID '${name}' must be alphanumeric (A-Za-z0-9)`);
  }

  checkConditionName(name, path) {
    if (typeof name !== 'string') this.rep.add(path, `condition name must be a string, got ${describe(name)}`);
    else if (!(name in this.conditions)) {
      this.rep.add(path, `condition '${name}' is not defined in Conditions${suggest(name, Object.keys(this.conditions))}`);
    }
  }

  // ------------------------------------------------- property schema checks

  // Check an object against a map of property specs (resource or nested type).
  checkStruct(value, propSpecs, path, owner, rep) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Fn::Transform') continue; // e.g. AWS::Include snippets merged in at deploy time
      const ps = propSpecs[k];
      if (!ps) {
        rep.add(join(path, k), `unknown property '${k}' for ${owner}${suggest(k, Object.keys(propSpecs))}`);
        continue;
      }
      this.checkValue(v, ps.type, join(path, k), owner, rep);
    }
    for (const [k, ps] of Object.entries(propSpecs)) {
      if (ps.required && !(k in value)) rep.add(path, `missing required property '${k}'`);
    }
  }

  checkValue(v, type, path, owner, rep) {
    if (v === null || v === undefined) {
      rep.add(path, 'null values are not allowed');
      return;
    }
    const fn = intrinsicName(v);
    if (fn) {
      // Results of intrinsics are not type-checked, but both Fn::If branches are.
      if (fn === 'Fn::If' && Array.isArray(v[fn]) && v[fn].length === 3) {
        for (const i of [1, 2]) {
          if (!isNoValue(v[fn][i])) this.checkValue(v[fn][i], type, join(join(path, fn), i), owner, rep);
        }
      }
      return;
    }
    const scalar = v !== null && typeof v !== 'object';
    switch (type.type) {
      case 'json':
        return;
      case 'string':
      case 'date-time':
        if (!scalar) rep.add(path, `expected a string, got ${describe(v)}`);
        return;
      case 'integer':
        if (!(Number.isInteger(v) || (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)))) {
          rep.add(path, `expected an integer, got ${describe(v)}`);
        }
        return;
      case 'number':
        if (!((typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))))) {
          rep.add(path, `expected a number, got ${describe(v)}`);
        }
        return;
      case 'boolean':
        if (!(typeof v === 'boolean' || (typeof v === 'string' && /^(true|false)$/i.test(v)))) {
          rep.add(path, `expected a boolean, got ${describe(v)}`);
        }
        return;
      case 'tag':
        if (!isPlainObject(v)) {
          rep.add(path, `expected a tag object {Key, Value}, got ${describe(v)}`);
          return;
        }
        this.checkStruct(v, TAG_PROPS, path, 'Tag', rep);
        return;
      case 'array':
        if (!Array.isArray(v)) {
          rep.add(path, `expected a list, got ${describe(v)}`);
          return;
        }
        v.forEach((item, i) => this.checkValue(item, type.element, join(path, i), owner, rep));
        return;
      case 'map':
        if (!isPlainObject(v)) {
          rep.add(path, `expected a map, got ${describe(v)}`);
          return;
        }
        for (const [k, item] of Object.entries(v)) this.checkValue(item, type.element, join(path, k), owner, rep);
        return;
      case 'ref': {
        const td = this.spec.typeDefs.get(type.reference?.$ref);
        if (!td) return; // dangling reference inside the spec itself: nothing to check against
        if (!isPlainObject(v)) {
          rep.add(path, `expected an object (${td.name}), got ${describe(v)}`);
          return;
        }
        if (Object.keys(td.properties).length === 0) return; // free-form object
        const resourceType = owner.split('.')[0];
        this.checkStruct(v, td.properties, path, `${resourceType}.${td.name}`, rep);
        return;
      }
      case 'union': {
        // Accept the first alternative that fits; otherwise report the closest one.
        let best = null;
        for (const alt of type.types) {
          const scratch = new ScratchReporter();
          this.checkValue(v, alt, path, owner, scratch);
          if (scratch.problems.length === 0) return;
          if (!best || scratch.problems.length < best.problems.length) best = scratch;
        }
        for (const p of best?.problems ?? []) rep.add(p.path, p.message);
        return;
      }
      default:
        return;
    }
  }

  // ---------------------------------------------------- reference checks

  // Walk any value and check every intrinsic function found in it.
  // ctx: { conditions: true } inside the Conditions section,
  //      { subVars: Set } inside a Fn::Sub variable map.
  walk(v, path, ctx) {
    if (Array.isArray(v)) {
      v.forEach((item, i) => this.walk(item, join(path, i), ctx));
      return;
    }
    if (!isPlainObject(v)) return;
    const keys = Object.keys(v);
    const k = keys[0];
    const isFn =
      keys.length === 1 && (k === 'Ref' || k.startsWith('Fn::') || (ctx.conditions && k === 'Condition'));
    if (!isFn) {
      for (const [key, item] of Object.entries(v)) this.walk(item, join(path, key), ctx);
      return;
    }
    this.checkFunction(k, v[k], path, ctx);
  }

  // `path` locates the intrinsic itself; its arguments live under path.Fn::X.
  checkFunction(fn, arg, path, ctx) {
    const { rep } = this;
    const argPath = join(path, fn);
    if (!FUNCTIONS.has(fn) && fn !== 'Condition') {
      rep.add(path, `unknown intrinsic function '${fn}'${suggest(fn, FUNCTIONS.keys())}`);
      return;
    }
    if (CONDITION_FUNCTIONS.has(fn) && !ctx.conditions) {
      rep.add(path, `${fn} can only be used in the Conditions section`);
    }
    const arity = FUNCTIONS.get(fn);
    if (arity && !(Array.isArray(arg) && arity.includes(arg.length))) {
      rep.add(path, `${fn} expects a list of ${arity.length > 2 ? `${arity[0]}-${arity.at(-1)}` : arity.join(' or ')} elements, got ${describe(arg)}`);
      this.walk(arg, argPath, ctx);
      return;
    }
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string') {
          if (intrinsicName(arg)) this.walk(arg, argPath, ctx); // Fn::Transform style dynamic refs are rare
          else rep.add(path, `Ref expects a name, got ${describe(arg)}`);
        } else this.checkRefTarget(arg, path, ctx);
        return;
      case 'Fn::GetAtt': {
        let target;
        let attr;
        if (typeof arg === 'string' && arg.includes('.')) [target, attr] = [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)];
        else if (Array.isArray(arg) && arg.length === 2) [target, attr] = arg;
        else {
          rep.add(path, `Fn::GetAtt expects [LogicalName, Attribute], got ${describe(arg)}`);
          return;
        }
        if (typeof target !== 'string') {
          rep.add(path, `Fn::GetAtt target must be a resource name, got ${describe(target)}`);
          return;
        }
        if (typeof attr !== 'string') {
          this.walk(attr, join(argPath, 1), ctx); // attribute from a Ref: checked at deploy time
          this.checkGetAttTarget(target, null, path, ctx);
        } else this.checkGetAttTarget(target, attr, path, ctx);
        return;
      }
      case 'Fn::Sub': {
        let text = arg;
        let vars = {};
        if (Array.isArray(arg)) {
          if (arg.length !== 2 || !isPlainObject(arg[1])) {
            rep.add(path, `Fn::Sub expects a string or [string, {variables}], got ${describe(arg)}`);
            return;
          }
          [text, vars] = arg;
          for (const [name, val] of Object.entries(vars)) this.walk(val, join(join(argPath, 1), name), ctx);
        }
        if (typeof text !== 'string') {
          rep.add(path, `Fn::Sub template must be a string, got ${describe(text)}`);
          return;
        }
        const subVars = new Set(Object.keys(vars));
        for (const name of subReferences(text)) {
          if (subVars.has(name)) continue;
          const dot = name.indexOf('.');
          if (dot > 0 && !PSEUDO_PARAMETERS.has(name)) this.checkGetAttTarget(name.slice(0, dot), name.slice(dot + 1), path, ctx, '${}');
          else this.checkRefTarget(name, path, ctx, '${}');
        }
        return;
      }
      case 'Fn::If': {
        const [cond, a, b] = arg;
        this.checkConditionName(cond, join(argPath, 0));
        this.walk(a, join(argPath, 1), ctx);
        this.walk(b, join(argPath, 2), ctx);
        return;
      }
      case 'Condition':
        this.checkConditionName(arg, path);
        return;
      case 'Fn::FindInMap': {
        const [map, top, second] = arg;
        if (typeof map === 'string') {
          if (!(map in this.mappings)) {
            rep.add(join(argPath, 0), `mapping '${map}' is not defined in Mappings${suggest(map, Object.keys(this.mappings))}`);
          } else if (typeof top === 'string' && isPlainObject(this.mappings[map])) {
            const m = this.mappings[map];
            if (!(top in m)) rep.add(join(argPath, 1), `mapping '${map}' has no key '${top}'`);
            else if (typeof second === 'string' && isPlainObject(m[top]) && !(second in m[top])) {
              rep.add(join(argPath, 2), `mapping '${map}.${top}' has no key '${second}'`);
            }
          }
        }
        this.walk(arg, argPath, ctx);
        return;
      }
      default:
        this.walk(arg, argPath, ctx);
    }
  }

  checkRefTarget(name, path, ctx, how = 'Ref') {
    const label = how === 'Ref' ? 'Ref to' : 'Fn::Sub reference ${' + name + '} to';
    if (PSEUDO_PARAMETERS.has(name) || name in this.parameters) return;
    if (name in this.resources) {
      if (ctx.conditions) this.rep.add(path, `Conditions can only reference parameters, not resource '${name}'`);
      return;
    }
    const candidates = [...Object.keys(this.parameters), ...Object.keys(this.resources), ...PSEUDO_PARAMETERS];
    this.rep.add(path, `${label} undefined '${name}'${suggest(name, candidates)}`);
  }

  checkGetAttTarget(target, attr, path, ctx, how = 'Fn::GetAtt') {
    const label = how === 'Fn::GetAtt' ? 'Fn::GetAtt' : `Fn::Sub reference \${${target}.${attr}}`;
    if (ctx.conditions) {
      this.rep.add(path, `${label} cannot be used in Conditions`);
      return;
    }
    const res = this.resources[target];
    if (!res) {
      const what = target in this.parameters ? `target '${target}' is a parameter, not a resource` : `to undefined resource '${target}'`;
      this.rep.add(path, `${label} ${what}${suggest(target, Object.keys(this.resources))}`);
      return;
    }
    if (attr === null || !isPlainObject(res) || typeof res.Type !== 'string') return;
    const type = res.Type;
    if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return; // any attribute
    const spec = this.spec.resources.get(type);
    if (!spec) return; // unknown type is reported on the resource itself
    const attrs = Object.keys(spec.attributes ?? {});
    if (attrs.includes(attr)) return;
    if (type === 'AWS::CloudFormation::Stack' && /^Outputs\.[A-Za-z0-9]+$/.test(attr)) return;
    if (spec.cloudFormationTransform && attrs.length === 0) return; // SAM: attributes come from the transform
    this.rep.add(path, `invalid attribute '${attr}' for ${label} on ${target} (${type})${suggest(attr, attrs)}`);
  }
}

const TAG_PROPS = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

// -------------------------------------------------------------------- main

function main() {
  const { files } = parseArgs(process.argv.slice(2), USAGE);
  const spec = loadCfnSpec();
  let problems = 0;
  let resources = 0;
  for (const file of files) {
    const rep = new Reporter(file);
    const { template, error } = parseTemplate(file);
    if (error) rep.add('', error);
    else if (!isPlainObject(template)) rep.add('', `template must be an object, got ${describe(template)}`);
    else {
      new TemplateChecker(spec, template, rep).run();
      if (isPlainObject(template.Resources)) resources += Object.keys(template.Resources).length;
    }
    for (const line of rep.lines()) console.log(line);
    problems += rep.problems.length;
  }
  console.log(`cfn-conformance: ${files.length} files, ${resources} resources, ${problems} problems`);
  process.exitCode = problems > 0 ? 1 : 0;
}

main();
