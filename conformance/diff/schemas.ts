import { isObject, childPointer } from '@starship/contract';
import type { DiffContext, Usage } from './context.ts';
import { type Located, type SpecDocument } from './document.ts';
import { RULES, type RuleId } from './rules.ts';
import { BOUNDS, fingerprint, identity, isNullBranch, viewOf, type SchemaView } from './schema-view.ts';

/**
 * Which side writes the value. `request`: the client sends it and Starship must keep accepting everything it
 * accepted, so the schema may only widen. `response`: Starship sends it (responses, webhook payloads and
 * headers) and clients must keep understanding it, so it may only narrow, apart from the additions the
 * contract asks clients to tolerate (new fields, new enum values).
 */
export type Direction = 'request' | 'response';

/**
 * A part of the contract with its own clause (error envelope, webhook envelope, auth and pagination headers):
 * breaking changes found within `levels` schema levels of where it was entered are reported under `rule`.
 */
export interface Domain {
  rule: RuleId;
  levels: number;
}

export interface SchemaScope {
  direction: Direction;
  usage: Usage | undefined;
  /** What the schema is, for messages: "the request body of `POST /orders`", "schema `Order`". */
  subject: string;
  /** Path from the subject's root to the schema being compared: `items[].voucher`. */
  field: string;
  domain: Domain | undefined;
}

interface Pair {
  base: SchemaView;
  revision: SchemaView;
  baseParts: Located[];
  revisionParts: Located[];
  /** Where a change to the schema itself (type, enum, bounds) is located in the revision. */
  at: string;
  /** Exactly one side is a oneOf/anyOf: the other is compared as its single alternative. */
  oneSided: boolean;
  /** The types share nothing (object → string): the type change is the whole story, members are not compared. */
  disjoint: boolean;
}

type SchemaCheck = (ctx: DiffContext, pair: Pair, scope: SchemaScope) => void;

const COMPONENT_SCHEMA = /^#\/components\/schemas\/([^/]+)$/;

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fieldPath(scope: SchemaScope, name: string): string {
  return scope.field === '' ? name : `${scope.field}.${name}`;
}

function described(scope: SchemaScope): string {
  return scope.field === '' ? capitalize(scope.subject) : `Field \`${scope.field}\` of ${scope.subject}`;
}

function descend(scope: SchemaScope, field: string): SchemaScope {
  const levels = (scope.domain?.levels ?? 0) - 1;
  return { ...scope, field, domain: scope.domain && levels > 0 ? { rule: scope.domain.rule, levels } : undefined };
}

export function emit(ctx: DiffContext, scope: SchemaScope, rule: RuleId, location: string, anchor: string, message: string): void {
  const attributed = scope.domain && RULES[rule].severity === 'breaking' ? scope.domain.rule : rule;
  ctx.report(attributed, scope.usage, { location, anchor, message });
}

const list = (values: Iterable<unknown>) => [...values].map((v) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``).join(', ');

function describeTypes(types: Set<string> | undefined, nullable: boolean): string {
  const names = types === undefined ? ['any'] : [...types].sort();
  return (nullable ? [...names, 'null'] : names).join(' | ');
}

/** Types in `from` that `to` does not admit (`number` admits `integer`); `null` counts as a type. */
function notAdmitted(from: SchemaView, to: SchemaView, compareTypes: boolean): string[] {
  const missing: string[] = [];
  if (compareTypes && from.types !== undefined && to.types !== undefined) {
    for (const t of from.types) if (!to.types.has(t) && !(t === 'integer' && to.types.has('number'))) missing.push(t);
  }
  if (from.nullable && !to.nullable) missing.push('null');
  return missing;
}

function disjoint(base: SchemaView, revision: SchemaView): boolean {
  if (base.types === undefined || revision.types === undefined || base.types.size === 0 || revision.types.size === 0) return false;
  const numeric = (t: string) => (t === 'integer' ? 'number' : t);
  const before = new Set([...base.types].map(numeric));
  return ![...revision.types].some((t) => before.has(numeric(t)));
}

const typeCheck: SchemaCheck = (ctx, { base, revision, oneSided, at }, scope) => {
  const lost = notAdmitted(base, revision, !oneSided);
  const gained = notAdmitted(revision, base, !oneSided);
  if (lost.length === 0 && gained.length === 0) return;
  const change = `type changed from \`${describeTypes(base.types, base.nullable)}\` to \`${describeTypes(revision.types, revision.nullable)}\``;
  const message = `${described(scope)}: ${change}`;
  if (scope.direction === 'request') {
    if (lost.length > 0) emit(ctx, scope, 'request-type-changed', at, childPointer(at, 'type'), `${message}; ${lost.join(', ')} is no longer accepted`);
    else emit(ctx, scope, 'request-type-widened', at, childPointer(at, 'type'), `${message} (accepts more; existing callers are unaffected)`);
  } else if (gained.length > 0) {
    emit(ctx, scope, 'response-type-changed', at, childPointer(at, 'type'), `${message}; clients may now receive ${gained.join(', ')}`);
  } else {
    emit(ctx, scope, 'response-type-narrowed', at, childPointer(at, 'type'), `${message} (clients receive a subset of what they handle)`);
  }
};

const enumCheck: SchemaCheck = (ctx, { base, revision, oneSided, at }, scope) => {
  if (oneSided) return;
  const before = base.enumValues;
  const after = revision.enumValues;
  if (before === undefined && after === undefined) return;
  if (before !== undefined && after === undefined) {
    emit(ctx, scope, 'enum-value-added', at, childPointer(at, 'enum'), `${described(scope)} is no longer restricted to ${list(before)}`);
    return;
  }
  if (before === undefined) {
    // Restricting a free value Starship sends narrows it; restricting what a client may send rejects inputs accepted today.
    if (scope.direction === 'request') emit(ctx, scope, 'enum-value-removed', at, childPointer(at, 'enum'), `${described(scope)} is now restricted to ${list(after!)}`);
    return;
  }
  const key = (v: unknown) => JSON.stringify(v);
  const afterKeys = new Set(after!.map(key));
  const beforeKeys = new Set(before.map(key));
  const removed = before.filter((v) => !afterKeys.has(key(v)));
  const added = after!.filter((v) => !beforeKeys.has(key(v)));
  if (removed.length > 0) emit(ctx, scope, 'enum-value-removed', at, childPointer(at, 'enum'), `${described(scope)} lost enum value${removed.length > 1 ? 's' : ''} ${list(removed)}`);
  if (added.length > 0) {
    const note = scope.direction === 'response' ? ' (clients must treat unknown values as informational)' : '';
    emit(ctx, scope, 'enum-value-added', at, childPointer(at, 'enum'), `${described(scope)} gained enum value${added.length > 1 ? 's' : ''} ${list(added)}${note}`);
  }
};

const boundsCheck: SchemaCheck = (ctx, { base, revision, oneSided, at }, scope) => {
  if (oneSided) return;
  for (const { keyword, lower } of BOUNDS) {
    const before = base.bounds.get(keyword);
    const after = revision.bounds.get(keyword);
    if (before === after) continue;
    const tighter = after !== undefined && (before === undefined || (lower ? after > before : after < before));
    const text = `${described(scope)}: \`${keyword}\` ${before ?? 'none'} → ${after ?? 'none'}`;
    const location = childPointer(at, keyword);
    // Anchored at the keyword (the `maxLength:` line); a keyword the revision dropped maps to its schema.
    if (scope.direction === 'request' && tighter) emit(ctx, scope, 'request-constraint-tightened', location, location, `${text}; values accepted today are rejected`);
    if (scope.direction === 'response' && !tighter) emit(ctx, scope, 'response-constraint-loosened', location, location, `${text}; clients may receive values outside the former bounds`);
  }
};

/** A pattern or format that constrains more of what the writer sends (request) or less of what it sends (response). */
function keywordCheck(keyword: 'pattern' | 'format', rule: RuleId): SchemaCheck {
  return (ctx, { base, revision, oneSided, at }, scope) => {
    if (oneSided) return;
    const before = base[keyword];
    const after = revision[keyword];
    if (before === after) return;
    const stricterForReader = scope.direction === 'request' ? after !== undefined : before !== undefined;
    if (!stricterForReader) return;
    emit(ctx, scope, rule, childPointer(at, keyword), childPointer(at, keyword), `${described(scope)}: \`${keyword}\` changed from ${before === undefined ? 'none' : `\`${before}\``} to ${after === undefined ? 'none' : `\`${after}\``}`);
  };
}

function hidden(ctx: DiffContext, side: 'base' | 'revision', parts: Located[], direction: Direction): boolean {
  const doc = side === 'base' ? ctx.base : ctx.revision;
  const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
  return parts.some((part) => {
    const node = doc.deref(part).node;
    return isObject(node) && node[flag] === true;
  });
}

/** Properties the writer in this direction sends: readOnly ones are never sent in requests, writeOnly never in responses. */
function visible(ctx: DiffContext, side: 'base' | 'revision', view: SchemaView, direction: Direction): Map<string, Located[]> {
  const result = new Map<string, Located[]>();
  for (const [name, parts] of view.properties) if (!hidden(ctx, side, parts, direction)) result.set(name, parts);
  return result;
}

// A field's presence and requiredness belong to the field: they are reported in its own scope, so a domain that
// covers an envelope's fields covers their removal too, and one that stops above a field does not.
const propertiesCheck: SchemaCheck = (ctx, pair, scope) => {
  if (pair.oneSided) return;
  const { base, revision } = pair;
  const before = visible(ctx, 'base', base, scope.direction);
  const after = visible(ctx, 'revision', revision, scope.direction);
  const request = scope.direction === 'request';
  const removed: string[] = [];
  for (const [name, baseParts] of before) {
    const revisionParts = after.get(name);
    if (revisionParts === undefined) {
      removed.push(name);
      continue;
    }
    const path = fieldPath(scope, name);
    const inner = descend(scope, path);
    const location = revisionParts[0]!.pointer;
    const wasRequired = base.required.has(name);
    const isRequired = revision.required.has(name);
    if (!wasRequired && isRequired) {
      if (request) emit(ctx, inner, 'request-property-became-required', location, location, `Field \`${path}\` of ${scope.subject} became required: existing callers may not send it`);
      else emit(ctx, inner, 'response-property-became-required', location, location, `Field \`${path}\` of ${scope.subject} is now always present`);
    } else if (wasRequired && !isRequired) {
      if (request) emit(ctx, inner, 'request-property-became-optional', location, location, `Field \`${path}\` of ${scope.subject} became optional`);
      else emit(ctx, inner, 'response-property-became-optional', location, location, `Field \`${path}\` of ${scope.subject} became optional: clients can no longer rely on it being present`);
    }
    compareSchemas(ctx, baseParts, revisionParts, inner);
  }
  const added = [...after.keys()].filter((name) => !before.has(name));
  const unmatched = new Set(added);
  for (const name of removed) {
    const baseParts = before.get(name)!;
    const print = fingerprint(baseParts);
    const renamedTo = [...unmatched].find((candidate) => fingerprint(after.get(candidate)!) === print);
    if (renamedTo !== undefined) {
      unmatched.delete(renamedTo);
      const location = after.get(renamedTo)![0]!.pointer;
      emit(ctx, descend(scope, fieldPath(scope, name)), request ? 'request-property-renamed' : 'response-property-renamed', location, location, `Field \`${fieldPath(scope, name)}\` of ${scope.subject} was renamed to \`${renamedTo}\``);
      continue;
    }
    const note = base.required.has(name) ? ' (it was required)' : '';
    emit(ctx, descend(scope, fieldPath(scope, name)), request ? 'request-property-removed' : 'response-property-removed', baseParts[0]!.pointer, childPointer(revision.pointer, 'properties'), `Field \`${fieldPath(scope, name)}\` of ${scope.subject} was removed${note}`);
  }
  for (const name of added) {
    if (!unmatched.has(name)) continue;
    const location = after.get(name)![0]!.pointer;
    const path = fieldPath(scope, name);
    const inner = descend(scope, path);
    if (!request) emit(ctx, inner, 'response-property-added', location, location, `New field \`${path}\` in ${scope.subject}`);
    else if (revision.required.has(name)) emit(ctx, inner, 'request-required-property-added', location, location, `New required field \`${path}\` in ${scope.subject}: existing callers do not send it`);
    else emit(ctx, inner, 'request-property-added', location, location, `New optional field \`${path}\` in ${scope.subject}`);
  }
};

const additionalPropertiesCheck: SchemaCheck = (ctx, { base, revision, oneSided, at }, scope) => {
  if (oneSided) return;
  const before = base.additionalProperties;
  const after = revision.additionalProperties;
  if (scope.direction === 'request' && before.kind !== 'closed' && after.kind === 'closed') {
    emit(ctx, scope, 'request-additional-properties-restricted', at, at, `${described(scope)} no longer accepts keys beyond its declared fields`);
  }
  if (before.kind === 'schema' && after.kind === 'schema') compareSchemas(ctx, before.parts, after.parts, descend(scope, fieldPath(scope, '*')));
};

const itemsCheck: SchemaCheck = (ctx, { base, revision, oneSided }, scope) => {
  if (oneSided || base.items.length === 0 || revision.items.length === 0) return;
  compareSchemas(ctx, base.items, revision.items, descend(scope, `${scope.field}[]`));
};

/**
 * The component an alternative is, looking through a wrapper with one branch (`oneOf: [X]`, `allOf: [X]`): the
 * side that is not a oneOf is compared as one alternative, and is often exactly such a wrapper.
 */
function componentOf(doc: SpecDocument, located: Located, depth = 0): string | undefined {
  const target = doc.deref(located);
  const name = COMPONENT_SCHEMA.exec(target.pointer)?.[1];
  if (name !== undefined || depth > 8 || !isObject(target.node)) return name;
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = target.node[keyword];
    if (!Array.isArray(branches)) continue;
    const real = branches.map((node, i) => ({ node, pointer: childPointer(target.pointer, keyword, i) })).filter((b) => !isNullBranch(doc.deref(b).node));
    if (real.length === 1) return componentOf(doc, real[0]!, depth + 1);
  }
  return undefined;
}

function variantLabel(ctx: DiffContext, side: 'base' | 'revision', parts: Located[], index: number): string {
  const doc = side === 'base' ? ctx.base : ctx.revision;
  const target = doc.deref(parts[0]!);
  const name = componentOf(doc, parts[0]!);
  if (name !== undefined) return `\`${name}\``;
  if (isObject(target.node) && typeof target.node.title === 'string') return `\`${target.node.title}\``;
  const type = isObject(target.node) && typeof target.node.type === 'string' ? ` (${target.node.type})` : '';
  return `#${index + 1}${type}`;
}

/** Pairs alternatives by the component they reference, then by title, then by identical constraints, then in order. */
function matchVariants(ctx: DiffContext, before: Located[][], after: Located[][]): { pairs: Array<[number, number]>; removed: number[]; added: number[] } {
  const keys: Array<(doc: 'base' | 'revision', parts: Located[]) => string | undefined> = [
    (side, parts) => componentOf(side === 'base' ? ctx.base : ctx.revision, parts[0]!),
    (side, parts) => {
      const node = (side === 'base' ? ctx.base : ctx.revision).deref(parts[0]!).node;
      return isObject(node) && typeof node.title === 'string' ? node.title : undefined;
    },
    (_side, parts) => fingerprint(parts),
  ];
  const leftBefore = new Set(before.keys());
  const leftAfter = new Set(after.keys());
  const pairs: Array<[number, number]> = [];
  for (const key of keys) {
    for (const i of leftBefore) {
      const k = key('base', before[i]!);
      if (k === undefined) continue;
      const j = [...leftAfter].find((candidate) => key('revision', after[candidate]!) === k);
      if (j === undefined) continue;
      pairs.push([i, j]);
      leftBefore.delete(i);
      leftAfter.delete(j);
    }
  }
  const restBefore = [...leftBefore];
  const restAfter = [...leftAfter];
  const inOrder = Math.min(restBefore.length, restAfter.length);
  for (let n = 0; n < inOrder; n++) pairs.push([restBefore[n]!, restAfter[n]!]);
  return { pairs, removed: restBefore.slice(inOrder), added: restAfter.slice(inOrder) };
}

const variantsCheck: SchemaCheck = (ctx, pair, scope) => {
  const { base, revision } = pair;
  if (base.variants.length === 0 && revision.variants.length === 0) return;
  const before = base.variants.length > 0 ? base.variants.map((v) => [v]) : [pair.baseParts];
  const after = revision.variants.length > 0 ? revision.variants.map((v) => [v]) : [pair.revisionParts];
  const { pairs, removed, added } = matchVariants(ctx, before, after);
  for (const [i, j] of pairs) compareSchemas(ctx, before[i]!, after[j]!, scope);
  const request = scope.direction === 'request';
  for (const i of removed) {
    const label = variantLabel(ctx, 'base', before[i]!, i);
    const text = `${described(scope)} lost the oneOf/anyOf alternative ${label}`;
    if (request) emit(ctx, scope, 'request-variant-removed', before[i]![0]!.pointer, revision.pointer, `${text}: callers sending it are rejected`);
    else emit(ctx, scope, 'response-variant-removed', before[i]![0]!.pointer, revision.pointer, text);
  }
  for (const j of added) {
    const label = variantLabel(ctx, 'revision', after[j]!, j);
    const text = `${described(scope)} gained the oneOf/anyOf alternative ${label}`;
    if (request) emit(ctx, scope, 'request-variant-added', after[j]![0]!.pointer, after[j]![0]!.pointer, text);
    else emit(ctx, scope, 'response-variant-added', after[j]![0]!.pointer, after[j]![0]!.pointer, `${text}: clients may receive a shape they do not know`);
  }
};

const TYPE_ONLY: SchemaCheck[] = [typeCheck];
const SCHEMA_CHECKS: SchemaCheck[] = [
  typeCheck,
  enumCheck,
  boundsCheck,
  keywordCheck('pattern', 'pattern-changed'),
  keywordCheck('format', 'format-changed'),
  propertiesCheck,
  additionalPropertiesCheck,
  itemsCheck,
  variantsCheck,
];

/**
 * Compares two schemas (each possibly several parts to be merged) in `scope`'s direction. A comparison that
 * starts at a component is made once per direction and domain, however many operations reference it.
 */
export function compareSchemas(ctx: DiffContext, baseParts: Located[], revisionParts: Located[], scope: SchemaScope): void {
  const baseId = identity(ctx.base, baseParts);
  const revisionId = identity(ctx.revision, revisionParts);
  const shared = baseId.startsWith('#/components/') || revisionId.startsWith('#/components/');
  // Inline schemas are checked as part of their operation; asking for each nested one would re-serialise it.
  if (shared && baseId === revisionId && ctx.unchanged.has(baseId)) return;
  const component = COMPONENT_SCHEMA.exec(revisionId)?.[1];
  // Comparing a component with a component: changes are the component's, described and located in it. When one
  // side is inline the reference itself changed, so the outer field stays the subject.
  const entered = component !== undefined && COMPONENT_SCHEMA.test(baseId) && revisionParts[0]!.pointer !== revisionId;
  const inner: SchemaScope = entered ? { ...scope, subject: `schema \`${component}\``, field: '' } : scope;
  const key = shared ? `schema\u0000${scope.direction}\u0000${scope.domain ? `${scope.domain.rule}:${scope.domain.levels}` : ''}\u0000${baseId}\u0000${revisionId}` : '';
  if (shared && ctx.enter(key, scope.usage)) return;
  try {
    const base = viewOf(ctx.base, baseParts);
    const revision = viewOf(ctx.revision, revisionParts);
    const oneSided = (base.variants.length > 0) !== (revision.variants.length > 0);
    const at = entered ? revision.pointer : revisionParts[0]!.pointer;
    const pair: Pair = { base, revision, baseParts, revisionParts, at, oneSided, disjoint: disjoint(base, revision) };
    for (const check of pair.disjoint ? TYPE_ONLY : SCHEMA_CHECKS) check(ctx, pair, inner);
  } finally {
    if (shared) ctx.leave(key);
  }
}
