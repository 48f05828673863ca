/**
 * resetSandbox: back to a freshly started sandbox in one transaction. Deleted: every partner (with its
 * wallets, ledger, orders, voucher pools, test clock, webhook endpoints, events, deliveries, drifts and
 * idempotency records), every voucher, fault (request and delivery faults), request-log entry, shared
 * rate-limit window and used signature. Restored: the default settings and the sandbox-wide clock (offset 0).
 * Kept: the catalog and the encryption key. Partners, including any the server created at startup, must be
 * created again (each starts with the initial stock).
 */
import type { EngineContext } from './context.ts';
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
  'inventory_seed',
  'partners',
  'inventory_vouchers',
  'rate_limit_windows',
  'signature_uses',
] as const;

async function resetOnce(ctx: EngineContext): Promise<void> {
  try {
    await ctx.db.transaction().execute(async (trx) => {
      for (const table of WIPED) await trx.deleteFrom(table).execute();
      await trx.deleteFrom('settings').where('key', 'in', SETTING_KEYS).execute();
      await ctx.sandboxClock.setOffset(trx, 0);
    });
  } catch (error) {
    // The transaction rolled back, so the clock offset it set in memory must follow.
    await ctx.sandboxClock.load(ctx.db);
    throw error;
  }
  ctx.partnerClocks.forget();
  ctx.seedStock.forget();
}

/** PostgreSQL's foreign_key_violation and deadlock_detected: another instance's write met the reset. */
const RETRIED = new Set(['23503', '40P01']);
const ATTEMPTS = 5;

/**
 * Alone among this process's partner requests (reset-gate.ts). On PostgreSQL a write of another instance
 * (it holds its partner FOR KEY SHARE, partners.ts holdPartner) can commit a row for a partner after the reset
 * emptied that row's table, or lock rows in another order: the reset then rolls back whole (foreign-key
 * violation or deadlock) and runs again. Writes that start after it find their partner gone (401).
 */
export async function resetSandbox(ctx: EngineContext): Promise<void> {
  await ctx.resetGate.exclusive(async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await resetOnce(ctx);
      } catch (error) {
        if (attempt >= ATTEMPTS || !RETRIED.has(String((error as { code?: unknown }).code))) throw error;
      }
    }
  });
}
