/**
 * The operator actions of the control API on one order, each in its own transaction and guarded by the
 * order's state (domain/order-rules.ts; 409 E_INVALID_ORDER_STATE otherwise). They return the order as
 * the partner would see it from GET /orders/{order_id}, vouchers decrypted. An action that changes the order's
 * state emits its webhook event in the same transaction (outbox.ts).
 */
import { formatMinor } from '../domain/money.ts';
import { cancelledState, FAILED_STATE, refundShare, rejectAction, type OrderAction } from '../domain/order-rules.ts';
import type { C } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { invalidOrderState, notFound } from './errors.ts';
import { defaultVendor, progressOrder, saveState, withState } from './fulfillment.ts';
import { findOrder, loadItems, loadItemViews, renderOrder, stateOf, type OrderRow } from './order-view.ts';
import { recordOrderChange } from './outbox.ts';
import { moveMoney } from './wallets.ts';

async function actOn(
  ctx: EngineContext,
  orderId: string,
  action: OrderAction,
  run: (trx: Executor, order: OrderRow) => Promise<OrderRow>,
): Promise<C['Order']> {
  return ctx.db.transaction().execute(async (trx) => {
    const order = await findOrder(trx, orderId);
    if (!order) throw notFound(`Order ${orderId} not found.`);
    const rejection = rejectAction(action, orderId, stateOf(order));
    if (rejection) throw invalidOrderState(rejection);
    const updated = await run(trx, order);
    await recordOrderChange(ctx, trx, order, updated);
    return renderOrder(updated, await loadItemViews(ctx, trx, orderId));
  });
}

export function retryOrder(ctx: EngineContext, orderId: string): Promise<C['Order']> {
  return actOn(ctx, orderId, 'RETRY', async (trx, order) => (await progressOrder(ctx, trx, order)).order);
}

export function fulfillOrderFromVendor(ctx: EngineContext, orderId: string, body: C['VendorFulfillRequest']): Promise<C['Order']> {
  return actOn(ctx, orderId, 'VENDOR_FULFILL', async (trx, order) => (await progressOrder(ctx, trx, order, body.vendor ?? defaultVendor(order.product_id))).order);
}

export function cancelOrder(ctx: EngineContext, orderId: string, body: C['OrderActionReason']): Promise<C['Order']> {
  return actOn(ctx, orderId, 'CANCEL', async (trx, order) => {
    const nowIso = ctx.clock.nowIso();
    const items = await loadItems(trx, order.id);
    const delivered = items.filter((i) => i.status === 'DELIVERED').length;
    const refund = refundShare(Number(order.total_minor), order.quantity, order.quantity - delivered);
    await trx.updateTable('order_items').set({ status: 'CANCELLED' }).where('order_id', '=', order.id).where('status', '=', 'PENDING').execute();
    if (refund > 0) {
      await moveMoney(ctx, trx, {
        partnerId: order.partner_id,
        currency: order.currency,
        type: 'REFUND',
        amountMinor: refund,
        orderId: order.id,
        description: delivered > 0 ? `Refund for the ${order.quantity - delivered} undelivered units of cancelled order ${order.id}` : `Refund for cancelled order ${order.id}`,
      });
    }
    const state = cancelledState(stateOf(order));
    const note = body.reason ?? `Cancelled by an operator; ${formatMinor(refund)} ${order.currency} refunded.`;
    const updated = withState({ ...order, refunded_minor: Number(order.refunded_minor) + refund }, state, note, nowIso);
    await saveState(trx, updated);
    return updated;
  });
}

export function failOrder(ctx: EngineContext, orderId: string, body: C['OrderActionReason']): Promise<C['Order']> {
  return actOn(ctx, orderId, 'FAIL', async (trx, order) => {
    await trx.updateTable('order_items').set({ status: 'FAILED' }).where('order_id', '=', order.id).where('status', '=', 'PENDING').execute();
    const note = body.reason ?? 'Failed by an operator (as a vendor rejection would); not refunded: cancel the order to refund it.';
    const updated = withState(order, FAILED_STATE, note, ctx.clock.nowIso());
    await saveState(trx, updated);
    return updated;
  });
}
