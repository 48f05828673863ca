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
import { invalid, invalidOrderState, notFound } from './errors.ts';
import { defaultVendor, progressOrder, saveState, withState } from './fulfillment.ts';
import { findOrder, loadItems, loadItemViews, renderOrder, stateOf, type OrderRow } from './order-view.ts';
import { recordOrderChange } from './outbox.ts';
import { moveMoney } from './wallets.ts';

/**
 * Runs `action` on the order in one transaction with the order's partner's clock. With `partnerId` (a test
 * helper) only that partner's orders exist: another's is the same 404 as a missing one.
 */
async function actOn(
  ctx: EngineContext,
  orderId: string,
  action: OrderAction,
  partnerId: string | undefined,
  run: (ctx: EngineContext, trx: Executor, order: OrderRow) => Promise<OrderRow>,
): Promise<C['Order']> {
  const owner = partnerId ?? (await ctx.db.selectFrom('orders').select('partner_id').where('id', '=', orderId).executeTakeFirst())?.partner_id;
  if (!owner) throw notFound(`Order ${orderId} not found.`);
  const partnerCtx = await ctx.forPartner(owner);
  return ctx.db.transaction().execute(async (trx) => {
    const order = await findOrder(trx, orderId, owner);
    if (!order) throw notFound(`Order ${orderId} not found.`);
    const rejection = rejectAction(action, orderId, stateOf(order));
    if (rejection) throw invalidOrderState(rejection);
    const updated = await run(partnerCtx, trx, order);
    await recordOrderChange(partnerCtx, trx, order, updated);
    return renderOrder(updated, await loadItemViews(partnerCtx, trx, orderId));
  });
}

/** Who may act: an operator on any order, a partner (test helpers) on its own. */
export interface ActionScope {
  partnerId?: string;
}

export function retryOrder(ctx: EngineContext, orderId: string, scope: ActionScope = {}): Promise<C['Order']> {
  return actOn(ctx, orderId, 'RETRY', scope.partnerId, async (pctx, trx, order) => (await progressOrder(pctx, trx, order)).order);
}

export function fulfillOrderFromVendor(ctx: EngineContext, orderId: string, body: C['VendorFulfillRequest'], scope: ActionScope = {}): Promise<C['Order']> {
  return actOn(ctx, orderId, 'VENDOR_FULFILL', scope.partnerId, async (pctx, trx, order) => (await progressOrder(pctx, trx, order, body.vendor ?? defaultVendor(order.product_id))).order);
}

/** testHelperDeliverOrder: every PENDING unit delivered, as if stock had arrived (pool untouched) or from a vendor. */
export function deliverOrder(ctx: EngineContext, orderId: string, body: C['TestHelperDeliverRequest'], scope: ActionScope): Promise<C['Order']> {
  if (body.vendor !== undefined && body.source !== 'VENDOR') throw invalid('vendor applies to source VENDOR only');
  return actOn(ctx, orderId, 'DELIVER', scope.partnerId, async (pctx, trx, order) => {
    const source = body.source === 'VENDOR' ? (body.vendor ?? defaultVendor(order.product_id)) : 'STOCK';
    return (await progressOrder(pctx, trx, order, source)).order;
  });
}

export function cancelOrder(ctx: EngineContext, orderId: string, body: C['OrderActionReason'], scope: ActionScope = {}): Promise<C['Order']> {
  return actOn(ctx, orderId, 'CANCEL', scope.partnerId, async (pctx, trx, order) => {
    const nowIso = pctx.clock.nowIso();
    const items = await loadItems(trx, order.id);
    const delivered = items.filter((i) => i.status === 'DELIVERED').length;
    const refund = refundShare(Number(order.total_minor), order.quantity, order.quantity - delivered);
    await trx.updateTable('order_items').set({ status: 'CANCELLED' }).where('order_id', '=', order.id).where('status', '=', 'PENDING').execute();
    if (refund > 0) {
      await moveMoney(pctx, trx, {
        partnerId: order.partner_id,
        currency: order.currency,
        type: 'REFUND',
        amountMinor: refund,
        orderId: order.id,
        description: delivered > 0 ? `Refund for the ${order.quantity - delivered} undelivered units of cancelled order ${order.id}` : `Refund for cancelled order ${order.id}`,
      });
    }
    const state = cancelledState(stateOf(order));
    const by = scope.partnerId ? 'a test helper' : 'an operator';
    const note = body.reason ?? `Cancelled by ${by}; ${formatMinor(refund)} ${order.currency} refunded.`;
    const updated = withState({ ...order, refunded_minor: Number(order.refunded_minor) + refund }, state, note, nowIso);
    await saveState(trx, updated);
    return updated;
  });
}

export function failOrder(ctx: EngineContext, orderId: string, body: C['OrderActionReason'], scope: ActionScope = {}): Promise<C['Order']> {
  return actOn(ctx, orderId, 'FAIL', scope.partnerId, async (pctx, trx, order) => {
    await trx.updateTable('order_items').set({ status: 'FAILED' }).where('order_id', '=', order.id).where('status', '=', 'PENDING').execute();
    const by = scope.partnerId ? 'a test helper' : 'an operator';
    const note = body.reason ?? `Failed by ${by} (as a vendor rejection would); not refunded: cancel the order to refund it.`;
    const updated = withState(order, FAILED_STATE, note, pctx.clock.nowIso());
    await saveState(trx, updated);
    return updated;
  });
}
