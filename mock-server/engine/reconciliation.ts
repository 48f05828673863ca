/**
 * (Planned) GET /reconciliation/{date}: the partner's orders created on `date` (UTC), the vouchers allocated
 * to them, and the drifts reported on them. The sandbox's simulated vendors agree with every allocation
 * unless a drift is injected through the control API (injectReconciliationDrift): each drift is one voucher
 * whose vendor record differs, counted as `drifted` instead of `matched`. Served only with RECONCILIATION_API
 * on (the engine enforces the flag: 404 E_FEATURE_DISABLED). References are masked, never voucher codes.
 */
import { randomInt } from 'node:crypto';
import type { Database } from '../db/schema.ts';
import type { Vendor } from '../domain/enums.ts';
import type { C, S } from '../engine.ts';
import type { EngineContext } from './context.ts';
import { invalid, invalidOrderState, notFound } from './errors.ts';
import { defaultVendor } from './fulfillment.ts';
import { findOrder } from './order-view.ts';
import { recordDrift } from './outbox.ts';
import { requireOperationEnabled } from './settings.ts';

type DriftRow = Database['reconciliation_drifts'];

export async function getReconciliation(ctx: EngineContext, partnerId: string, date: string): Promise<S['Reconciliation']> {
  await requireOperationEnabled(ctx.db, 'getReconciliation');
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
  const drifts = await ctx.db.selectFrom('reconciliation_drifts').selectAll().where('partner_id', '=', partnerId).where('date', '=', date).orderBy('id').execute();
  const allocated = Number(vouchers.n);
  return {
    date,
    summary: { orders_total: Number(orders.n), vouchers_allocated: allocated, matched: Math.max(0, allocated - drifts.length), drifted: drifts.length, unmatched: 0 },
    drifts: drifts.map(renderDrift),
    generated_at: ctx.clock.nowIso(),
  };
}

/**
 * Reports the order's first delivered voucher that has no drift yet as drifted (409 when there is none), and
 * emits `reconciliation.drift` (flag permitting) in the same transaction.
 */
export async function injectReconciliationDrift(base: EngineContext, body: C['ReconciliationDriftRequest']): Promise<C['InjectedDrift']> {
  const owner = await base.db.selectFrom('orders').select('partner_id').where('id', '=', body.order_id).executeTakeFirst();
  if (!owner) throw notFound(`Order ${body.order_id} not found.`);
  // Detected on the order's partner's clock, as its event is.
  const ctx = await base.forPartner(owner.partner_id);
  return ctx.db.transaction().execute(async (trx) => {
    const order = await findOrder(trx, body.order_id);
    if (!order) throw notFound(`Order ${body.order_id} not found.`);
    const items = await trx
      .selectFrom('order_items')
      .select(['voucher_id', 'source'])
      .where('order_id', '=', order.id)
      .where('status', '=', 'DELIVERED')
      .orderBy('position')
      .execute();
    const drifted = new Set((await trx.selectFrom('reconciliation_drifts').select('our_allocation').where('order_id', '=', order.id).execute()).map((d) => d.our_allocation));
    const item = items.find((i) => i.voucher_id && !drifted.has(maskVoucherId(i.voucher_id)));
    if (!item?.voucher_id) throw invalidOrderState(`Order ${order.id} has no delivered voucher left to report a drift on.`);

    const vendor: Vendor = item.source && item.source !== 'CACHE' ? (item.source as Vendor) : defaultVendor(order.product_id);
    const row: DriftRow = {
      id: ctx.newId('drift'),
      partner_id: order.partner_id,
      order_id: order.id,
      date: order.created_at.slice(0, 10),
      vendor,
      product_id: order.product_id,
      our_allocation: maskVoucherId(item.voucher_id),
      vendor_record: body.vendor_record ?? `${vendor.slice(0, 4)}-****-${String(randomInt(10_000)).padStart(4, '0')}`,
      resolution: body.resolution ?? 'PENDING',
      detected_at: ctx.clock.nowIso(),
    };
    await trx.insertInto('reconciliation_drifts').values(row).execute();
    await recordDrift(ctx, trx, {
      partnerId: row.partner_id,
      date: row.date,
      orderId: row.order_id,
      vendor,
      productId: row.product_id,
      detectedAt: row.detected_at,
      resolution: row.resolution as S['ReconciliationResolution'],
    });
    return { drift_id: row.id, partner_id: row.partner_id, date: row.date, drift: renderDrift(row) };
  });
}

/** Our internal voucher id, shortened: enough to quote to support, useless for redeeming. */
function maskVoucherId(voucherId: string): string {
  return `${voucherId.slice(0, 10)}…${voucherId.slice(-4)}`;
}

function renderDrift(row: DriftRow): S['ReconciliationDrift'] {
  return {
    order_id: row.order_id,
    vendor: row.vendor as Vendor,
    product_id: row.product_id,
    our_allocation: row.our_allocation,
    vendor_record: row.vendor_record,
    detected_at: row.detected_at,
    resolution: row.resolution as S['ReconciliationResolution'],
  };
}
