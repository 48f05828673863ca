/**
 * Placing and reading orders. placeOrder is one transaction: voucher allocation, the order and its items,
 * the wallet debit and its ledger row, its webhook event (outbox.ts) and the idempotency record's completion — all or nothing (an
 * insufficient balance, found at the debit, rolls the allocation back). See domain/magic.ts for the
 * `reference` values that force a path.
 */
import { ORDER_STATUSES, parseEnum, type Vendor } from '../domain/enums.ts';
import { FULFILLMENT_MAGIC, magicOutcome, MAGIC_PREFIX, type MagicOutcome } from '../domain/magic.ts';
import { formatMinor } from '../domain/money.ts';
import { FAILED_STATE, fulfillmentState, isBulk, type OrderState } from '../domain/order-rules.ts';
import type { IdempotencyScope, ListResult, OrderQuery, S } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { insufficientFunds, invalid, notFound } from './errors.ts';
import { cacheUnits, defaultVendor, insertItems, insertOrder, syntheticCacheUnits, timelineNote, vendorUnits, type Unit } from './fulfillment.ts';
import type { IdempotencyStore } from './idempotency.ts';
import { availableCount } from './inventory.ts';
import { resolveLine, type OrderLine } from './order-line.ts';
import { recordOrderEvent } from './outbox.ts';
import { findOrder, loadItemViews, renderOrder, type ItemRow, type ItemView, type OrderRow } from './order-view.ts';
import { pageOf } from './pagination.ts';
import { holdPartner } from './partners.ts';
import { autoVendorFulfill, requireOperationEnabled } from './settings.ts';
import { isoBound } from './time-filters.ts';
import { moveMoney } from './wallets.ts';

const CANCELLED_STATE: OrderState = { status: 'CANCELLED', subStatus: 'REFUNDED' };

export async function placeOrder(
  ctx: EngineContext,
  idempotency: IdempotencyStore,
  partnerId: string,
  body: S['CreateOrderRequest'],
  scope?: IdempotencyScope,
): Promise<S['Order']> {
  const line = resolveLine(ctx.catalog, body);
  const magic = applicableMagic(body.reference, line);
  if (magic === 'INSUFFICIENT_FUNDS') {
    throw insufficientFunds(`Forced by ${MAGIC_PREFIX}INSUFFICIENT_FUNDS: this order needs ${formatMinor(line.quote.totalMinor)} ${line.settlementCurrency}.`);
  }

  return ctx.db.transaction().execute(async (trx) => {
    await holdPartner(ctx, trx, partnerId);
    const nowIso = ctx.clock.nowIso();
    const { product, amountMinor, quantity } = line;
    const orderId = ctx.newId('order');

    const { units, state, note } = await placementOutcome(ctx, trx, partnerId, line, magic);

    const totalMinor = line.quote.totalMinor;
    const order: OrderRow = {
      id: orderId,
      partner_id: partnerId,
      product_id: product.id,
      amount_minor: amountMinor,
      quantity,
      currency: line.settlementCurrency,
      total_minor: totalMinor,
      refunded_minor: magic === 'CANCEL' ? totalMinor : 0,
      status: state.status,
      sub_status: state.subStatus,
      delivery_time: state.status === 'DELIVERED' ? 'INSTANT' : 'DELAYED',
      reference: body.reference ?? null,
      customer_info_json: body.customer_info ? JSON.stringify(body.customer_info) : null,
      timeline_json: JSON.stringify([
        { at: nowIso, status: 'PLACED', sub_status: 'INITIAL', note: null },
        { at: nowIso, status: state.status, sub_status: state.subStatus, note },
      ]),
      created_at: nowIso,
      updated_at: nowIso,
    };
    await insertOrder(trx, order);
    const items: ItemView[] = units.map((unit, position) => ({
      row: {
        id: ctx.newId('orderItem'),
        order_id: orderId,
        position,
        product_id: product.id,
        amount_minor: amountMinor,
        status: unit.status,
        voucher_id: unit.voucherId,
        source: unit.source,
        delivered_at: unit.status === 'DELIVERED' ? nowIso : null,
      },
      ...(unit.voucher ? { voucher: unit.voucher } : {}),
    }));
    if (items.length) await insertItems(trx, items.map((i) => i.row));

    await moveMoney(ctx, trx, {
      partnerId,
      currency: line.settlementCurrency,
      type: 'DEBIT',
      amountMinor: totalMinor,
      orderId,
      description: `Order ${orderId} (${quantity} × ${product.name} ${formatMinor(amountMinor)})`,
    });
    if (magic === 'CANCEL') {
      await moveMoney(ctx, trx, {
        partnerId,
        currency: line.settlementCurrency,
        type: 'REFUND',
        amountMinor: totalMinor,
        orderId,
        description: `Refund for cancelled order ${orderId}`,
      });
    }

    await recordOrderEvent(ctx, trx, order, items.map((i) => ({ row: i.row, expiry: i.voucher?.expiry ?? null })));
    const rendered = renderOrder(order, items);
    if (scope) await idempotency.complete(trx, scope, { status: 200, body: rendered, headers: {} }, ctx.clock);
    return rendered;
  });
}

/** The reference's magic outcome, rejecting SANDBOX_FORCE_PARTIAL where it cannot be honoured. */
function applicableMagic(reference: string | undefined, line: OrderLine): MagicOutcome | undefined {
  const magic = magicOutcome(reference);
  if (magic === 'PARTIAL' && !isBulk(line.quantity) && line.quantity < 2) throw invalid(`${MAGIC_PREFIX}PARTIAL needs a quantity of at least 2`);
  return magic;
}

interface Outcome {
  units: Unit[];
  state: OrderState;
  note: string | null;
}

/** What placement does with the units: the forced outcome of a magic reference, or cache first (then a vendor when the product allows it). */
async function placementOutcome(ctx: EngineContext, trx: Executor, partnerId: string, line: OrderLine, magic: MagicOutcome | undefined): Promise<Outcome> {
  const { product, amountMinor, quantity } = line;
  const bulk = isBulk(quantity);
  if (magic === 'FAIL' || magic === 'CANCEL') {
    const status = magic === 'FAIL' ? 'FAILED' : 'CANCELLED';
    const money = magic === 'CANCEL' ? `${formatMinor(line.quote.totalMinor)} ${line.settlementCurrency} refunded` : 'not refunded';
    return {
      units: bulk ? [] : Array.from({ length: quantity }, () => ({ status, source: null, voucherId: null })),
      state: magic === 'FAIL' ? FAILED_STATE : CANCELLED_STATE,
      note: `Forced by ${MAGIC_PREFIX}${magic}; ${money}.`,
    };
  }
  let units: Unit[] = [];
  let vendor: Vendor | undefined;
  if (!bulk) {
    const forced = magic && FULFILLMENT_MAGIC.includes(magic) ? magic : undefined;
    if (forced === 'DELIVERED') units = await syntheticCacheUnits(ctx, trx, partnerId, product, amountMinor, quantity);
    else if (forced === 'PARTIAL') units = await syntheticCacheUnits(ctx, trx, partnerId, product, amountMinor, 1);
    else if (forced === 'VENDOR') units = await vendorUnits(ctx, trx, partnerId, product, amountMinor, quantity, (vendor = defaultVendor(product.id)));
    else if (forced === undefined) {
      units = await cacheUnits(ctx, trx, partnerId, product, amountMinor, quantity);
      if (units.length < quantity && (await autoVendorFulfill(trx, product.id))) {
        units = units.concat(await vendorUnits(ctx, trx, partnerId, product, amountMinor, quantity - units.length, (vendor = defaultVendor(product.id))));
      }
    }
    while (units.length < quantity) units.push({ status: 'PENDING', source: null, voucherId: null });
  }
  const state = fulfillmentState(units);
  const delivered = units.filter((u) => u.status === 'DELIVERED');
  const note = timelineNote(state, {
    delivered: delivered.length,
    pending: quantity - delivered.length,
    quantity,
    vendor,
    fromCache: delivered.filter((u) => u.source === 'CACHE').length,
  });
  return { units, state, note };
}

export async function getOrder(ctx: EngineContext, partnerId: string, orderId: string): Promise<S['Order']> {
  const order = await findOrder(ctx.db, orderId, partnerId);
  if (!order) throw notFound(`Order ${orderId} not found.`);
  return renderOrder(order, await loadItemViews(ctx, ctx.db, orderId));
}

export async function listOrders(ctx: EngineContext, partnerId: string, query: OrderQuery): Promise<ListResult<S['Order']>> {
  const { limit, offset } = pageOf(query);
  const problems: string[] = [];
  const from = isoBound(query.from, 'from', problems);
  const to = isoBound(query.to, 'to', problems);
  const status = query.status === undefined ? undefined : parseEnum(query.status, ORDER_STATUSES);
  if (query.status !== undefined && !status) problems.push(`status must be one of ${ORDER_STATUSES.join(', ')}`);
  if (from && to && to < from) problems.push('to must not be before from');
  if (problems.length) throw invalid(...problems);

  let base = ctx.db.selectFrom('orders').where('partner_id', '=', partnerId);
  if (status) base = base.where('status', '=', status);
  if (query.product_id !== undefined) base = base.where('product_id', '=', query.product_id);
  if (from) base = base.where('created_at', '>=', from);
  if (to) base = base.where('created_at', '<', to);
  const [orders, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const byOrder = new Map<string, ItemView[]>(orders.map((o) => [o.id, []]));
  if (orders.length) {
    const items: ItemRow[] = await ctx.db
      .selectFrom('order_items')
      .selectAll()
      .where('order_id', 'in', [...byOrder.keys()])
      .orderBy('order_id')
      .orderBy('position')
      .execute();
    for (const row of items) byOrder.get(row.order_id)!.push({ row });
  }
  return { items: orders.map((o) => renderOrder(o, byOrder.get(o.id)!)), total: Number(count.n) };
}

export async function simulateOrder(ctx: EngineContext, partnerId: string, body: S['CreateOrderRequest']): Promise<S['OrderSimulation']> {
  await requireOperationEnabled(ctx.db, 'simulateOrder');
  const line = resolveLine(ctx.catalog, body);
  const magic = applicableMagic(body.reference, line);
  const { fromCache, state } = await predict(ctx, partnerId, line, magic, isBulk(line.quantity));
  const balance = await ctx.db
    .selectFrom('wallets')
    .select('balance_minor')
    .where('partner_id', '=', partnerId)
    .where('currency', '=', line.settlementCurrency)
    .executeTakeFirst();
  return {
    product_id: line.product.id,
    quantity: line.quantity,
    predicted_status: state.status,
    predicted_sub_status: state.subStatus,
    fulfillable_from_cache: fromCache,
    delivery_time: state.status === 'DELIVERED' ? 'INSTANT' : 'DELAYED',
    total_amount: formatMinor(line.quote.totalMinor),
    currency: line.settlementCurrency,
    sufficient_funds: magic !== 'INSUFFICIENT_FUNDS' && Number(balance?.balance_minor ?? 0) >= line.quote.totalMinor,
  };
}

async function predict(ctx: EngineContext, partnerId: string, line: OrderLine, magic: MagicOutcome | undefined, bulk: boolean): Promise<{ fromCache: number; state: OrderState }> {
  if (magic === 'FAIL') return { fromCache: 0, state: FAILED_STATE };
  if (magic === 'CANCEL') return { fromCache: 0, state: CANCELLED_STATE };
  if (bulk) return { fromCache: 0, state: { status: 'PENDING', subStatus: 'INITIAL' } };
  const { product, amountMinor, quantity } = line;
  let fromCache = 0;
  let fromVendor = 0;
  if (magic === 'DELIVERED') fromCache = quantity;
  else if (magic === 'PARTIAL') fromCache = 1;
  else if (magic === 'VENDOR') fromVendor = quantity;
  else if (magic !== 'PENDING') {
    fromCache = await availableCount(ctx.db, ctx.seedStock, { partnerId, productId: product.id, amountMinor, currency: product.currency }, ctx.clock.today(), quantity);
    if (fromCache < quantity && (await autoVendorFulfill(ctx.db, product.id))) fromVendor = quantity - fromCache;
  }
  const units: Array<Pick<Unit, 'status' | 'source'>> = [
    ...Array.from({ length: fromCache }, () => ({ status: 'DELIVERED' as const, source: 'CACHE' as const })),
    ...Array.from({ length: fromVendor }, () => ({ status: 'DELIVERED' as const, source: defaultVendor(product.id) })),
    ...Array.from({ length: quantity - fromCache - fromVendor }, () => ({ status: 'PENDING' as const, source: null })),
  ];
  return { fromCache, state: fulfillmentState(units) };
}
