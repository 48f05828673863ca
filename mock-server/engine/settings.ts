/**
 * Operator settings (sandbox.yaml "Settings"): DISABLE_AUTO_ORDER_RETRY (default true),
 * ALLOW_AUTO_VENDOR_FULFILL (product ids, default none) and the feature flags of planned features (all off).
 * Stored as rows of the `settings` table, read per use (no in-process cache, so several sandbox processes
 * sharing a database agree).
 */
import type { C } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { invalid } from './errors.ts';

export type Settings = C['Settings'];
export type FeatureFlag = keyof C['FeatureFlags'];

export const DEFAULT_SETTINGS: Settings = {
  disable_auto_order_retry: true,
  allow_auto_vendor_fulfill: [],
  feature_flags: {
    reconciliation_api: false,
    order_simulation: false,
    webhook_reconciliation_drift: false,
    webhook_wallet_balance_threshold: false,
  },
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
