/**
 * Operator settings (sandbox.yaml "Settings"): DISABLE_AUTO_ORDER_RETRY (default true),
 * ALLOW_AUTO_VENDOR_FULFILL (product ids, default none) and the feature flags of planned features (all off).
 * Stored as rows of the `settings` table, read per use (no in-process cache, so several sandbox processes
 * sharing a database agree).
 *
 * Which flag switches which operation or webhook event is read from the partner spec once (the contract's
 * featureTable over `x-starship-planned` / `x-starship-feature-flag`); the HTTP gate, the engine's planned
 * operations, webhook subscriptions and event emission all ask the functions below.
 */
import { featureTable, flagSettingKey, loadSpec } from '@starship/contract';
import type { C } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { featureDisabled, invalid } from './errors.ts';

export type Settings = C['Settings'];
export type FeatureFlag = keyof C['FeatureFlags'];

const FEATURES = featureTable(loadSpec('starship'));

/** The settings key of a spec flag (`ORDER_SIMULATION` → `order_simulation`); the sandbox spec's FeatureFlags lists each (tested). */
export const settingOf = (flag: string): FeatureFlag => flagSettingKey(flag) as FeatureFlag;

/** Every webhook event type of the partner spec, with the flag of a planned one (undefined: released). */
export const WEBHOOK_EVENT_FLAGS: ReadonlyMap<string, string | undefined> = FEATURES.events;

export const DEFAULT_SETTINGS: Settings = {
  disable_auto_order_retry: true,
  allow_auto_vendor_fulfill: [],
  feature_flags: Object.fromEntries(FEATURES.flags.map((flag) => [settingOf(flag), false])) as C['FeatureFlags'],
};

const KEYS = ['disable_auto_order_retry', 'allow_auto_vendor_fulfill', 'feature_flags'] as const;
export const SETTING_KEYS: readonly string[] = KEYS;

export async function readSettings(exec: Executor): Promise<Settings> {
  const rows = await exec.selectFrom('settings').select(['key', 'value_json']).where('key', 'in', KEYS).execute();
  const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value_json) as unknown]));
  return {
    disable_auto_order_retry: (stored.disable_auto_order_retry as boolean | undefined) ?? DEFAULT_SETTINGS.disable_auto_order_retry,
    allow_auto_vendor_fulfill: (stored.allow_auto_vendor_fulfill as number[] | undefined) ?? DEFAULT_SETTINGS.allow_auto_vendor_fulfill,
    feature_flags: { ...DEFAULT_SETTINGS.feature_flags, ...(stored.feature_flags as Partial<C['FeatureFlags']> | undefined) },
  };
}

export async function isFlagOn(exec: Executor, flag: FeatureFlag): Promise<boolean> {
  return (await readSettings(exec)).feature_flags[flag];
}

/** 404 E_FEATURE_DISABLED for a planned operation whose flag is off; any other operation passes without a read. */
export async function requireOperationEnabled(exec: Executor, operationId: string): Promise<void> {
  const flag = FEATURES.operations.get(operationId);
  if (flag !== undefined && !(await isFlagOn(exec, settingOf(flag)))) throw featureDisabled(operationId, flag);
}

/** Whether an event is emitted: released ones always, planned ones while their flag is on. */
export async function isEventEnabled(exec: Executor, eventType: string): Promise<boolean> {
  const flag = FEATURES.events.get(eventType);
  return flag === undefined || isFlagOn(exec, settingOf(flag));
}

export async function autoVendorFulfill(exec: Executor, productId: number): Promise<boolean> {
  return (await readSettings(exec)).allow_auto_vendor_fulfill.includes(productId);
}

/**
 * On PostgreSQL, patches run concurrently (on one instance's pool, or on several instances): each would read
 * the same rows and the later write would drop the earlier patch's change. So the rows are created if missing
 * and locked, in one order, before they are read: patches apply one after another. (SQLite runs one write
 * transaction at a time already.)
 */
async function lockSettings(trx: Executor): Promise<void> {
  const keys = [...KEYS].sort();
  await trx
    .insertInto('settings')
    .values(keys.map((key) => ({ key, value_json: JSON.stringify(DEFAULT_SETTINGS[key]) })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  await trx.selectFrom('settings').select('key').where('key', 'in', keys).orderBy('key').forUpdate().execute();
}

export async function updateSettings(ctx: EngineContext, patch: C['SettingsPatch']): Promise<Settings> {
  const unknown = (patch.allow_auto_vendor_fulfill ?? []).filter((id) => !ctx.catalog.find(id));
  if (unknown.length) throw invalid(`allow_auto_vendor_fulfill names unknown products: ${unknown.join(', ')}`);
  return ctx.db.transaction().execute(async (trx) => {
    if (ctx.shared) await lockSettings(trx);
    const current = await readSettings(trx);
    const next: Settings = {
      disable_auto_order_retry: patch.disable_auto_order_retry ?? current.disable_auto_order_retry,
      allow_auto_vendor_fulfill: patch.allow_auto_vendor_fulfill ? [...new Set(patch.allow_auto_vendor_fulfill)] : current.allow_auto_vendor_fulfill,
      feature_flags: { ...current.feature_flags, ...patch.feature_flags },
    };
    for (const key of KEYS) {
      const value_json = JSON.stringify(next[key]);
      await trx
        .insertInto('settings')
        .values({ key, value_json })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value_json }))
        .execute();
    }
    return next;
  });
}
