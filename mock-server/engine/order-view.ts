/** Order rows ↔ the API's Order: loading an order with its items (and, when asked, decrypted vouchers). */
import type { Database } from '../db/schema.ts';
import type { DeliveryTime, OrderItemStatus, OrderStatus, OrderSubStatus } from '../domain/enums.ts';
import { formatMinor } from '../domain/money.ts';
import type { OrderState } from '../domain/order-rules.ts';
import type { S } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { openVoucher } from './inventory.ts';

export type OrderRow = Database['orders'];
export type ItemRow = Database['order_items'];
export type TimelineEntry = S['OrderTimelineEntry'];

/** An item and, for a DELIVERED one being shown with codes, its decrypted voucher. */
export interface ItemView {
  row: ItemRow;
  voucher?: S['Voucher'];
}

export async function findOrder(exec: Executor, orderId: string, partnerId?: string): Promise<OrderRow | undefined> {
  let query = exec.selectFrom('orders').selectAll().where('id', '=', orderId);
  if (partnerId !== undefined) query = query.where('partner_id', '=', partnerId);
  return query.executeTakeFirst();
}

export async function loadItems(exec: Executor, orderId: string): Promise<ItemRow[]> {
  return exec.selectFrom('order_items').selectAll().where('order_id', '=', orderId).orderBy('position').execute();
}

/** Items with their vouchers decrypted (DELIVERED items only). */
export async function loadItemViews(ctx: EngineContext, exec: Executor, orderId: string): Promise<ItemView[]> {
  const rows = await exec
    .selectFrom('order_items')
    .leftJoin('inventory_vouchers', 'inventory_vouchers.id', 'order_items.voucher_id')
    .selectAll('order_items')
    .select(['inventory_vouchers.secret_enc', 'inventory_vouchers.expiry'])
    .where('order_items.order_id', '=', orderId)
    .orderBy('order_items.position')
    .execute();
  return rows.map(({ secret_enc, expiry, ...row }) => ({
    row,
    ...(row.status === 'DELIVERED' && row.voucher_id && secret_enc ? { voucher: openVoucher(ctx, { id: row.voucher_id, secret_enc, expiry }) } : {}),
  }));
}

export function stateOf(order: OrderRow): OrderState {
  return { status: order.status as OrderStatus, subStatus: order.sub_status as OrderSubStatus };
}

export function timelineOf(order: OrderRow): TimelineEntry[] {
  return JSON.parse(order.timeline_json) as TimelineEntry[];
}

export function renderOrder(order: OrderRow, items: readonly ItemView[]): S['Order'] {
  const rendered: S['Order'] = {
    id: order.id,
    status: order.status as OrderStatus,
    sub_status: order.sub_status as OrderSubStatus,
    product_id: order.product_id,
    amount: formatMinor(Number(order.amount_minor)),
    quantity: order.quantity,
    currency: order.currency,
    total_amount: formatMinor(Number(order.total_minor)),
    reference: order.reference,
    items: items.map(renderItem),
    pending_items: items.filter((i) => i.row.status === 'PENDING').length,
    fulfilled_from_cache: items.filter((i) => i.row.status === 'DELIVERED' && i.row.source === 'CACHE').length,
    delivery_time: order.delivery_time as DeliveryTime,
    timeline: timelineOf(order),
    created_at: order.created_at,
    updated_at: order.updated_at,
  };
  if (order.customer_info_json !== null) rendered.customer_info = JSON.parse(order.customer_info_json) as S['CustomerInfo'];
  return rendered;
}

function renderItem({ row, voucher }: ItemView): S['OrderItem'] {
  return {
    id: row.id,
    status: row.status as OrderItemStatus,
    product_id: row.product_id,
    amount: formatMinor(Number(row.amount_minor)),
    ...(voucher ? { voucher } : {}),
    delivered_at: row.delivered_at,
  };
}
