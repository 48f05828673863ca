/**
 * Moving an open order's PENDING units forward: from the inventory cache (retry, automatic retry after a
 * pump) or from a simulated vendor (operator approval, ALLOW_AUTO_VENDOR_FULFILL). Runs inside the
 * caller's transaction; the order's status, sub_status and timeline follow its items (domain/order-rules.ts).
 */
import { prepare, valuesOf } from '../db/prepared.ts';
import type { CatalogProduct } from '../domain/catalog-seed.ts';
import { VENDORS, type OrderItemStatus, type Vendor } from '../domain/enums.ts';
import { fulfillmentState, type OrderState, type UnitSource } from '../domain/order-rules.ts';
import type { S } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { allocate, insertVouchers, mintVouchers, openVoucher, voucherExpiry } from './inventory.ts';
import { loadItems, timelineOf, type ItemRow, type OrderRow } from './order-view.ts';
import { autoVendorFulfill } from './settings.ts';

/** One unit of an order as placement or fulfillment decides it. */
export interface Unit {
  status: OrderItemStatus;
  source: UnitSource | null;
  voucherId: string | null;
  voucher?: S['Voucher'];
}

/** The vendor the sandbox uses for a product when the operator names none. */
export function defaultVendor(productId: number): Vendor {
  return VENDORS[productId % VENDORS.length]!;
}

/** Units fetched from a vendor: vouchers minted DELIVERED (they never enter the cache). */
export async function vendorUnits(ctx: EngineContext, exec: Executor, partnerId: string, product: CatalogProduct, amountMinor: number, count: number, vendor: Vendor): Promise<Unit[]> {
  return mintedUnits(ctx, exec, partnerId, product, amountMinor, count, vendor, voucherExpiry(product, ctx.clock.now()));
}

/** Units delivered as though the cache held them (SANDBOX_FORCE_DELIVERED / _PARTIAL, testHelperDeliverOrder): the pool is untouched. */
export async function syntheticCacheUnits(ctx: EngineContext, exec: Executor, partnerId: string, product: CatalogProduct, amountMinor: number, count: number): Promise<Unit[]> {
  return mintedUnits(ctx, exec, partnerId, product, amountMinor, count, 'CACHE', voucherExpiry(product, ctx.clock.now()));
}

async function mintedUnits(
  ctx: EngineContext,
  exec: Executor,
  partnerId: string,
  product: CatalogProduct,
  amountMinor: number,
  count: number,
  source: UnitSource,
  expiry: string | null,
): Promise<Unit[]> {
  if (count <= 0) return [];
  const minted = mintVouchers(ctx, product, amountMinor, count, { partnerId, status: 'DELIVERED', source, expiry });
  await insertVouchers(exec, minted.map((m) => m.row));
  return minted.map((m) => ({ status: 'DELIVERED', source, voucherId: m.row.id, voucher: m.voucher }));
}

/** Up to `count` units from the partner's cache pool of (product, amount): its seed stock first, then pumped vouchers. */
export async function cacheUnits(ctx: EngineContext, exec: Executor, partnerId: string, product: CatalogProduct, amountMinor: number, count: number): Promise<Unit[]> {
  const pool = { partnerId, productId: product.id, amountMinor, currency: product.currency };
  const seeded = await ctx.seedStock.take(exec, pool, count, ctx.clock.today());
  const fromSeed = await mintedUnits(ctx, exec, partnerId, product, amountMinor, seeded.taken, 'CACHE', seeded.expiry);
  const vouchers = await allocate(exec, pool, count - seeded.taken, ctx.clock.today(), ctx.clock.nowIso());
  return fromSeed.concat(vouchers.map((v) => ({ status: 'DELIVERED', source: 'CACHE', voucherId: v.id, voucher: openVoucher(ctx, v) })));
}

export function timelineNote(state: OrderState, counts: { delivered: number; pending: number; quantity: number; vendor?: Vendor | undefined; fromCache: number }): string | null {
  if (state.subStatus === 'INITIAL') return 'Bulk order (quantity > 50); items are created on the first retry.';
  if (state.status === 'PENDING') return 'No cached inventory; awaiting operator action.';
  if (state.status === 'PARTIALLY_DELIVERED') {
    return `${counts.delivered} of ${counts.quantity} units fulfilled from inventory; ${counts.pending} awaiting inventory or operator action.`;
  }
  if (state.subStatus === 'VENDOR_VOUCHER_FETCHED') {
    return counts.fromCache > 0 ? `${counts.fromCache} units fulfilled from inventory, the rest by ${counts.vendor}.` : `Fulfilled by ${counts.vendor}.`;
  }
  return null;
}

export interface Progress {
  order: OrderRow;
  /** Units delivered by this step. */
  delivered: number;
}

/**
 * Fulfils an open order's PENDING units: from a vendor when `source` is one, as if stock had arrived when it is
 * `STOCK` (testHelperDeliverOrder: every unit, the pool untouched), otherwise from the partner's cache, falling
 * back to the product's vendor when ALLOW_AUTO_VENDOR_FULFILL lists it. A bulk order's items are created first.
 * `ctx` is the order's partner's. Returns the updated order row (the caller renders it).
 */
export async function progressOrder(ctx: EngineContext, exec: Executor, order: OrderRow, source?: Vendor | 'STOCK'): Promise<Progress> {
  const vendor = source === 'STOCK' ? undefined : source;
  const product = ctx.catalog.get(order.product_id);
  const amountMinor = Number(order.amount_minor);
  const nowIso = ctx.clock.nowIso();
  let items = await loadItems(exec, order.id);
  if (items.length === 0) items = await createPendingItems(ctx, exec, order);

  const pending = items.filter((i) => i.status === 'PENDING');
  let units: Unit[] = [];
  let usedVendor: Vendor | undefined = vendor;
  if (source === 'STOCK') {
    units = await syntheticCacheUnits(ctx, exec, order.partner_id, product, amountMinor, pending.length);
  } else if (source) {
    units = await vendorUnits(ctx, exec, order.partner_id, product, amountMinor, pending.length, source);
  } else {
    units = await cacheUnits(ctx, exec, order.partner_id, product, amountMinor, pending.length);
    const missing = pending.length - units.length;
    if (missing > 0 && (await autoVendorFulfill(exec, product.id))) {
      usedVendor = defaultVendor(product.id);
      units = units.concat(await vendorUnits(ctx, exec, order.partner_id, product, amountMinor, missing, usedVendor));
    }
  }
  for (const [i, unit] of units.entries()) {
    const item = pending[i]!;
    Object.assign(item, { status: unit.status, source: unit.source, voucher_id: unit.voucherId, delivered_at: nowIso });
    await exec
      .updateTable('order_items')
      .set({ status: item.status, source: item.source, voucher_id: item.voucher_id, delivered_at: item.delivered_at })
      .where('id', '=', item.id)
      .execute();
  }

  const next = fulfillmentState(items.map((i) => ({ status: i.status as OrderItemStatus, source: i.source as UnitSource | null })));
  if (next.status === order.status && next.subStatus === order.sub_status) {
    if (units.length === 0) return { order, delivered: 0 };
    // More units delivered without a change of state: no timeline entry, but the order did change.
    const touched = { ...order, updated_at: nowIso };
    await saveState(exec, touched);
    return { order: touched, delivered: units.length };
  }
  const delivered = items.filter((i) => i.status === 'DELIVERED');
  const note = timelineNote(next, {
    delivered: delivered.length,
    pending: items.length - delivered.length,
    quantity: order.quantity,
    vendor: usedVendor,
    fromCache: delivered.filter((i) => i.source === 'CACHE').length,
  });
  const updated = withState(order, next, note, nowIso);
  await saveState(exec, updated);
  return { order: updated, delivered: units.length };
}

async function createPendingItems(ctx: EngineContext, exec: Executor, order: OrderRow): Promise<ItemRow[]> {
  const items: ItemRow[] = Array.from({ length: order.quantity }, (_, position) => ({
    id: ctx.newId('orderItem'),
    order_id: order.id,
    position,
    product_id: order.product_id,
    amount_minor: order.amount_minor,
    status: 'PENDING',
    voucher_id: null,
    source: null,
    delivered_at: null,
  }));
  await insertItems(exec, items);
  return items;
}

const ORDER_COLUMNS = [
  'id', 'partner_id', 'product_id', 'amount_minor', 'quantity', 'currency', 'total_minor', 'refunded_minor', 'status',
  'sub_status', 'delivery_time', 'reference', 'customer_info_json', 'timeline_json', 'created_at', 'updated_at',
] as const;
const ITEM_COLUMNS = ['id', 'order_id', 'position', 'product_id', 'amount_minor', 'status', 'voucher_id', 'source', 'delivered_at'] as const;
/** Every placed order writes one order row and (usually) one item: prepared (db/prepared.ts). */
const insertOrderRow = prepare<OrderRow, never>((db, p) => db.insertInto('orders').values(valuesOf(p, ORDER_COLUMNS)));
const insertItemRow = prepare<ItemRow, never>((db, p) => db.insertInto('order_items').values(valuesOf(p, ITEM_COLUMNS)));

export async function insertOrder(exec: Executor, order: OrderRow): Promise<void> {
  await insertOrderRow.execute(exec, order);
}

export async function insertItems(exec: Executor, items: readonly ItemRow[]): Promise<void> {
  if (items.length === 1) {
    await insertItemRow.execute(exec, items[0]!);
    return;
  }
  for (let i = 0; i < items.length; i += 500) await exec.insertInto('order_items').values(items.slice(i, i + 500)).execute();
}

/** The order with a new state and its timeline entry. */
export function withState(order: OrderRow, state: OrderState, note: string | null, nowIso: string): OrderRow {
  const timeline = timelineOf(order);
  timeline.push({ at: nowIso, status: state.status, sub_status: state.subStatus, note });
  return { ...order, status: state.status, sub_status: state.subStatus, timeline_json: JSON.stringify(timeline), updated_at: nowIso };
}

export async function saveState(exec: Executor, order: OrderRow): Promise<void> {
  await exec
    .updateTable('orders')
    .set({
      status: order.status,
      sub_status: order.sub_status,
      timeline_json: order.timeline_json,
      refunded_minor: order.refunded_minor,
      updated_at: order.updated_at,
    })
    .where('id', '=', order.id)
    .execute();
}
