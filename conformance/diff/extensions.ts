import { isObject, childPointer } from '@starship/contract';
import type { DiffContext, Usage } from './context.ts';
import { type Located } from './document.ts';
import type { RuleId } from './rules.ts';

const show = (value: unknown) => (value === undefined ? 'unset' : `\`${typeof value === 'string' && value !== '' ? value : JSON.stringify(value)}\``);

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Leaf paths of a JSON value (arrays are leaves: `canonical` is one ordered value). */
function leaves(value: unknown, path: string[] = [], out = new Map<string, { path: string[]; value: unknown }>()): Map<string, { path: string[]; value: unknown }> {
  if (isObject(value)) for (const [key, inner] of Object.entries(value)) leaves(inner, [...path, key], out);
  else out.set(path.join('.'), { path, value });
  return out;
}

interface SchemeRules {
  extension: string;
  changed: RuleId;
  /** A change that only makes verification more lenient, if the scheme has one. */
  relaxed?: (key: string, before: unknown, after: unknown) => boolean;
}

/** Partners implement the signing scheme byte for byte: every key is part of the canonical-string contract. */
const SIGNING: SchemeRules[] = [
  {
    extension: 'x-starship-signing',
    changed: 'signing-scheme-changed',
    // Starship verifies request signatures; accepting more clock skew rejects nothing that passed before.
    relaxed: (key, before, after) => key === 'tolerance_seconds' && typeof before === 'number' && typeof after === 'number' && after > before,
  },
  // Partners verify webhook signatures with their own tolerance, so no change to this block is only lenient.
  { extension: 'x-starship-webhook-signing', changed: 'webhook-signing-changed' },
];

function compareScheme(ctx: DiffContext, { extension, changed, relaxed }: SchemeRules): void {
  const before = ctx.base.root[extension];
  const after = ctx.revision.root[extension];
  const pointer = childPointer('#', extension);
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    ctx.report('signing-scheme-added', undefined, { location: pointer, anchor: pointer, message: `\`${extension}\` now describes the signing scheme` });
    return;
  }
  if (after === undefined) {
    ctx.report(changed, undefined, { location: pointer, anchor: '#', message: `\`${extension}\` was removed: the signing scheme is no longer stated` });
    return;
  }
  const was = leaves(before);
  const now = leaves(after);
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(key)?.value;
    const b = now.get(key)?.value;
    if (sameValue(a, b)) continue;
    const location = childPointer(pointer, ...(now.get(key) ?? was.get(key))!.path);
    const anchor = now.has(key) ? location : pointer;
    const rule = relaxed?.(key, a, b) ? 'signing-scheme-relaxed' : changed;
    ctx.report(rule, undefined, { location, anchor, message: `\`${extension}\`.${key} changed from ${show(a)} to ${show(b)}` });
  }
}

export function compareSigningSchemes(ctx: DiffContext): void {
  for (const rules of SIGNING) compareScheme(ctx, rules);
}

/** Limits are behaviour partners tune their clients to; any change is announced rather than silent. */
export function compareRateLimits(ctx: DiffContext): void {
  const pointer = '#/x-starship-rate-limits';
  const was = leaves(ctx.base.root['x-starship-rate-limits'] ?? {});
  const now = leaves(ctx.revision.root['x-starship-rate-limits'] ?? {});
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(key)?.value;
    const b = now.get(key)?.value;
    if (sameValue(a, b)) continue;
    const location = childPointer(pointer, ...(now.get(key) ?? was.get(key))!.path);
    ctx.report('rate-limits-changed', undefined, { location, anchor: now.has(key) ? location : pointer, message: `Rate limit \`${key}\` changed from ${show(a)} to ${show(b)}` });
  }
}

const flag = (operation: Located, name: string) => (isObject(operation.node) ? operation.node[name] : undefined);

export function isPlanned(operation: Located): boolean {
  return flag(operation, 'x-starship-planned') === true;
}

export function compareOperationExtensions(ctx: DiffContext, baseOperation: Located, revisionOperation: Located, usage: Usage, operation: string): void {
  const wasPlanned = isPlanned(baseOperation);
  const nowPlanned = isPlanned(revisionOperation);
  const plannedAnchor = childPointer(revisionOperation.pointer, 'x-starship-planned');
  if (wasPlanned && !nowPlanned) ctx.report('operation-released', usage, { location: revisionOperation.pointer, anchor: revisionOperation.pointer, message: `\`${operation}\` is no longer planned: it is released` });
  if (!wasPlanned && nowPlanned) ctx.report('operation-unreleased', usage, { location: revisionOperation.pointer, anchor: plannedAnchor, message: `\`${operation}\` became planned (behind feature flag \`${String(flag(revisionOperation, 'x-starship-feature-flag') ?? 'none')}\`): partners without the flag get 404` });
  const classBefore = flag(baseOperation, 'x-starship-rate-limit-class');
  const classAfter = flag(revisionOperation, 'x-starship-rate-limit-class');
  if (!sameValue(classBefore, classAfter)) {
    const location = childPointer(revisionOperation.pointer, 'x-starship-rate-limit-class');
    ctx.report('rate-limits-changed', usage, { location, anchor: location, message: `\`${operation}\` moved from rate-limit class ${show(classBefore)} to ${show(classAfter)}` });
  }
}
