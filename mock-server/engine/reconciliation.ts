/**
 * (Planned) GET /reconciliation/{date}: the partner's orders created on `date` (UTC) and the vouchers
 * allocated to them. The sandbox's simulated vendors always agree with its allocations, so every
 * allocation is matched and there are no drifts. Served only with RECONCILIATION_API on (the engine
 * enforces the flag: 404 E_FEATURE_DISABLED).
 */
import type { S } from '../engine.ts';
import type { EngineContext } from './context.ts';
import { featureDisabled, invalid } from './errors.ts';
import { isFlagOn } from './settings.ts';

export async function getReconciliation(ctx: EngineContext, partnerId: string, date: string): Promise<S['Reconciliation']> {
  if (!(await isFlagOn(ctx.db, 'reconciliation_api'))) throw featureDisabled('RECONCILIATION_API');
  const start = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00.000Z`) : undefined;
  if (!start || Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== date) throw invalid('date must be an ISO date (YYYY-MM-DD)');
  const from = start.toISOString();
  const to = new Date(start.getTime() + 86_400_000).toISOString();

  const orders = await ctx.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow();
  const vouchers = await ctx.db
    .selectFrom('order_items')
    .innerJoin('orders', 'orders.id', 'order_items.order_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('orders.partner_id', '=', partnerId)
    .where('orders.created_at', '>=', from)
    .where('orders.created_at', '<', to)
    .where('order_items.status', '=', 'DELIVERED')
    .executeTakeFirstOrThrow();
  const allocated = Number(vouchers.n);
  return {
    date,
    summary: { orders_total: Number(orders.n), vouchers_allocated: allocated, matched: allocated, drifted: 0, unmatched: 0 },
    drifts: [],
    generated_at: ctx.clock.nowIso(),
  };
}
