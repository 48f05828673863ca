import { isObject, refOf, type Json, childPointer } from '@starship/contract';
import { type Located, type SpecDocument } from './document.ts';

/** Keywords that document a schema without constraining it: a change to them is never a contract change. */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', '$comment', 'externalDocs', 'deprecated', 'default', 'xml', 'discriminator']);

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
export type Bound = (typeof LOWER_BOUNDS)[number] | (typeof UPPER_BOUNDS)[number];
export const BOUNDS: ReadonlyArray<{ keyword: Bound; lower: boolean }> = [
  ...LOWER_BOUNDS.map((keyword) => ({ keyword, lower: true })),
  ...UPPER_BOUNDS.map((keyword) => ({ keyword, lower: false })),
];

export type AdditionalProperties = { kind: 'open' } | { kind: 'closed' } | { kind: 'schema'; parts: Located[] };

/**
 * One schema as the diff sees it: `$ref`s followed, `allOf` merged, a `oneOf`/`anyOf` whose only other branch is
 * `null` folded into nullability (the 3.1 spelling of 3.0's `nullable`), and `type` arrays split into the
 * non-null types plus a nullable flag.
 */
export interface SchemaView {
  /** Where the schema is: the first merged part, after `$ref`s. */
  pointer: string;
  /** Non-null JSON types; undefined when the schema does not constrain the type. */
  types: Set<string> | undefined;
  nullable: boolean;
  enumValues: unknown[] | undefined;
  properties: Map<string, Located[]>;
  required: Set<string>;
  readOnly: boolean;
  writeOnly: boolean;
  items: Located[];
  additionalProperties: AdditionalProperties;
  variants: Located[];
  bounds: Map<Bound, number>;
  pattern: string | undefined;
  format: string | undefined;
}

export function isNullBranch(node: unknown): boolean {
  if (!isObject(node)) return false;
  if (node.type === 'null' || node.const === null) return true;
  return Array.isArray(node.enum) && node.enum.length === 1 && node.enum[0] === null;
}

function hasConstraints(node: Json): boolean {
  return Object.keys(node).some((key) => key !== '$ref' && !ANNOTATIONS.has(key) && !key.startsWith('x-'));
}

/** Follows `$ref`s, expands `allOf`, and unwraps a nullable single-branch `oneOf`/`anyOf`. */
function flatten(doc: SpecDocument, part: Located, out: Located[], state: { nullable: boolean; seen: Set<string> }): void {
  if (state.seen.has(part.pointer)) return;
  state.seen.add(part.pointer);
  const node = part.node;
  if (!isObject(node)) {
    out.push(part);
    return;
  }
  if (refOf(node) !== undefined) {
    // In 3.1 a $ref's siblings apply alongside it (allOf semantics); annotations alone change nothing. The
    // siblings come first so the merged schema is located where they are written, not at the shared target.
    if (hasConstraints(node)) {
      const { $ref: _ref, ...siblings } = node;
      out.push({ node: siblings, pointer: part.pointer });
    }
    flatten(doc, doc.deref(part), out, state);
    return;
  }
  out.push(part);
  if (Array.isArray(node.allOf)) node.allOf.forEach((member, i) => flatten(doc, { node: member, pointer: childPointer(part.pointer, 'allOf', i) }, out, state));
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = node[keyword];
    if (!Array.isArray(branches)) continue;
    const real = branches.map((branch, i) => ({ node: branch, pointer: childPointer(part.pointer, keyword, i) })).filter((b) => !isNullBranch(doc.deref(b).node));
    if (real.length < branches.length) state.nullable = true;
    if (real.length === 1) flatten(doc, real[0]!, out, state);
  }
}

function typesOf(node: Json): Set<string> | undefined {
  if (typeof node.type === 'string') return new Set([node.type]);
  if (Array.isArray(node.type)) return new Set(node.type.filter((t): t is string => typeof t === 'string'));
  return undefined;
}

/** `number` admits every `integer`, so intersecting the two leaves `integer`. */
function intersectTypes(a: Set<string>, b: Set<string>): Set<string> {
  const result = new Set<string>();
  for (const t of a) {
    if (b.has(t)) result.add(t);
    else if (t === 'integer' && b.has('number')) result.add('integer');
    else if (t === 'number' && b.has('integer')) result.add('integer');
  }
  return result;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function inferTypes(parts: Json[]): Set<string> | undefined {
  const has = (key: string) => parts.some((p) => p[key] !== undefined);
  if (has('properties') || has('required') || has('additionalProperties')) return new Set(['object']);
  if (has('items') || has('prefixItems')) return new Set(['array']);
  return undefined;
}

export function viewOf(doc: SpecDocument, parts: Located[]): SchemaView {
  const flat: Located[] = [];
  const state = { nullable: false, seen: new Set<string>() };
  for (const part of parts) flatten(doc, part, flat, state);
  const objects = flat.filter((p): p is { node: Json; pointer: string } => isObject(p.node));
  const nodes = objects.map((p) => p.node);

  let types: Set<string> | undefined;
  for (const node of nodes) {
    const own = typesOf(node);
    if (own !== undefined) types = types === undefined ? own : intersectTypes(types, own);
    if (node.nullable === true) state.nullable = true;
  }
  types ??= inferTypes(nodes);

  let enumValues: unknown[] | undefined;
  for (const node of nodes) {
    const own = Array.isArray(node.enum) ? node.enum : Object.hasOwn(node, 'const') ? [node.const] : undefined;
    if (own === undefined) continue;
    if (enumValues === undefined) enumValues = own;
    else {
      const keep = new Set(own.map((v) => JSON.stringify(v)));
      enumValues = enumValues.filter((v) => keep.has(JSON.stringify(v)));
    }
  }
  if (enumValues?.includes(null)) {
    state.nullable = true;
    enumValues = enumValues.filter((v) => v !== null);
  }
  if (types === undefined && enumValues !== undefined && enumValues.length > 0) types = new Set(enumValues.map(jsonType));
  if (types?.has('null')) {
    state.nullable = true;
    types.delete('null');
  }

  const properties = new Map<string, Located[]>();
  const required = new Set<string>();
  const items: Located[] = [];
  const variants: Located[] = [];
  const bounds = new Map<Bound, number>();
  let additionalProperties: AdditionalProperties = { kind: 'open' };
  let pattern: string | undefined;
  let format: string | undefined;
  for (const { node, pointer } of objects) {
    if (isObject(node.properties)) {
      for (const [name, schema] of Object.entries(node.properties)) {
        const located = { node: schema, pointer: childPointer(pointer, 'properties', name) };
        const existing = properties.get(name);
        if (existing) existing.push(located);
        else properties.set(name, [located]);
      }
    }
    if (Array.isArray(node.required)) for (const name of node.required) if (typeof name === 'string') required.add(name);
    if (node.items !== undefined && typeof node.items !== 'boolean') items.push({ node: node.items, pointer: childPointer(pointer, 'items') });
    if (node.additionalProperties === false || node.unevaluatedProperties === false) additionalProperties = { kind: 'closed' };
    else if (isObject(node.additionalProperties) && additionalProperties.kind !== 'closed') {
      const located = { node: node.additionalProperties, pointer: childPointer(pointer, 'additionalProperties') };
      additionalProperties = additionalProperties.kind === 'schema' ? { kind: 'schema', parts: [...additionalProperties.parts, located] } : { kind: 'schema', parts: [located] };
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = node[keyword];
      if (!Array.isArray(branches) || variants.length > 0) continue;
      const real = branches.map((branch, i) => ({ node: branch, pointer: childPointer(pointer, keyword, i) })).filter((b) => !isNullBranch(doc.deref(b).node));
      if (real.length > 1) variants.push(...real);
    }
    for (const { keyword, lower } of BOUNDS) {
      const value = node[keyword];
      if (typeof value !== 'number') continue;
      const current = bounds.get(keyword);
      bounds.set(keyword, current === undefined ? value : lower ? Math.max(current, value) : Math.min(current, value));
    }
    if (typeof node.pattern === 'string') pattern ??= node.pattern;
    if (typeof node.format === 'string') format ??= node.format;
  }

  return {
    pointer: objects[0]?.pointer ?? flat[0]?.pointer ?? parts[0]?.pointer ?? '#',
    types,
    nullable: state.nullable,
    enumValues,
    properties,
    required,
    readOnly: nodes.some((n) => n.readOnly === true),
    writeOnly: nodes.some((n) => n.writeOnly === true),
    items,
    additionalProperties,
    variants,
    bounds,
    pattern,
    format,
  };
}

/**
 * Pointers of the schemas `parts` lands on after `$ref`s: the identity used to memoize a comparison. A `$ref`
 * with constraining siblings is its own schema, not its target.
 */
export function identity(doc: SpecDocument, parts: Located[]): string {
  return parts.map((part) => (isObject(part.node) && hasConstraints(part.node) ? part.pointer : doc.deref(part).pointer)).join('+');
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value).sort()) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    out[key] = strip(value[key]);
  }
  return out;
}

/** The schema's constraints without its documentation: equal fingerprints make a removal + addition a rename. */
export function fingerprint(parts: Located[]): string {
  return JSON.stringify(parts.map((part) => strip(part.node)));
}
