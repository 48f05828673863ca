/**
 * Planned features (DESIGN "Planned endpoints"), as the spec declares them: an operation or webhook event
 * marked `x-starship-planned: true` names the flag that switches it on in `x-starship-feature-flag`
 * (UPPER_SNAKE). The sandbox's gate, engine, webhook subscriptions and settings defaults all read this one
 * table, so a new planned operation or event needs nothing but its two extensions (and the flag in the
 * sandbox's `FeatureFlags` settings schema, where operators switch it).
 */
import { deref, isObject } from './pointer.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface FeatureTable {
  /** The flag of each planned operation, by operationId. */
  operations: ReadonlyMap<string, string>;
  /** Every webhook event type, with the flag of a planned one (undefined: released). */
  events: ReadonlyMap<string, string | undefined>;
  /** Every flag, sorted. */
  flags: readonly string[];
}

/** The operator settings key of a flag (sandbox.yaml `FeatureFlags`): `RECONCILIATION_API` → `reconciliation_api`. */
export const flagSettingKey = (flag: string): string => flag.toLowerCase();

const FLAG = /^[A-Z][A-Z0-9_]*$/;

/** The flag of a planned operation object; undefined when it is released. Throws when the two extensions disagree. */
function flagOf(operation: Record<string, unknown>, where: string): string | undefined {
  const planned = operation['x-starship-planned'] === true;
  const flag = operation['x-starship-feature-flag'];
  if (!planned && flag === undefined) return undefined;
  if (!planned) throw new Error(`${where} names feature flag ${String(flag)} but is not x-starship-planned`);
  if (typeof flag !== 'string' || !FLAG.test(flag)) throw new Error(`${where} is planned but names no UPPER_SNAKE x-starship-feature-flag`);
  return flag;
}

export function featureTable(doc: unknown): FeatureTable {
  const operations = new Map<string, string>();
  const events = new Map<string, string | undefined>();
  const root = isObject(doc) ? doc : {};
  for (const [path, rawItem] of Object.entries(isObject(root.paths) ? root.paths : {})) {
    const item = deref(doc, rawItem);
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const where = typeof operation.operationId === 'string' ? operation.operationId : `${method.toUpperCase()} ${path}`;
      const flag = flagOf(operation, where);
      if (flag) operations.set(where, flag);
    }
  }
  for (const [event, rawItem] of Object.entries(isObject(root.webhooks) ? root.webhooks : {})) {
    const item = deref(doc, rawItem);
    const operation = isObject(item) ? item.post : undefined;
    events.set(event, isObject(operation) ? flagOf(operation, `webhook ${event}`) : undefined);
  }
  const flags = [...new Set([...operations.values(), ...events.values()].filter((f): f is string => f !== undefined))].sort();
  return { operations, events, flags };
}
