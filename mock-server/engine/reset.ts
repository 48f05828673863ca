/**
 * resetSandbox: back to a freshly started sandbox in one transaction. Deleted: every partner (with its
 * wallets, ledger, orders, webhook endpoints, events, deliveries, drifts and idempotency records), every
 * voucher, fault (request and delivery faults), request-log entry and shared rate-limit window. Restored:
 * the initial inventory (the same pools as on first start, new codes), the default settings and the clock
 * (offset 0). Kept: the catalog and the encryption key. Partners, including any the
 * server created at startup, must be created again.
 */
import type { EngineContext } from './context.ts';
import { restockInitialInventory } from './seed.ts';
import { SETTING_KEYS } from './settings.ts';

const WIPED = [
  'request_log',
  'faults',
  'webhook_faults',
  'webhook_attempts',
  'webhook_deliveries',
  'webhook_events',
  'reconciliation_drifts',
  'idempotency_keys',
  'webhook_endpoints',
  'ledger_transactions',
  'order_items',
  'orders',
  'wallets',
  'partners',
  'inventory_vouchers',
  'rate_limit_windows',
] as const;

export async function resetSandbox(ctx: EngineContext): Promise<void> {
  try {
    await ctx.db.transaction().execute(async (trx) => {
      for (const table of WIPED) await trx.deleteFrom(table).execute();
      await trx.deleteFrom('settings').where('key', 'in', SETTING_KEYS).execute();
      await ctx.clock.setOffset(trx, 0);
      await restockInitialInventory(ctx, trx, ctx.catalog);
    });
  } catch (error) {
    // The transaction rolled back, so the clock offset it set in memory must follow.
    await ctx.clock.load(ctx.db);
    throw error;
  }
}
