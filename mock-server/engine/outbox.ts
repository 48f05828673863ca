/**
 * The transactional outbox. Every state change that partners hear about writes its event here, inside the
 * transaction that makes the change, so an event exists if and only if its change committed: one
 * `webhook_events` row (the envelope exactly as it will be delivered) and one `webhook_deliveries` row per
 * ACTIVE endpoint subscribed to its type. An event is only stored when someone can receive it: an endpoint of
 * the partner subscribes to its type, or an event stream of the partner is open (testHelperStreamEvents, which
 * holds a lease on the partner row while connected and shortly after). Payloads carry no voucher codes, PINs or
 * URLs. The context given is the partner's: its clock dates the event.
 *
 * Each stored event takes the next number of its partner's sequence (partners.event_seq), the event stream's
 * cursor. The increment locks the partner row until the transaction ends, so a partner's events commit in
 * sequence order and a reader that has seen number n has seen every event before it. It is the transaction's
 * last lock (after any wallet row), so it cannot take part in a deadlock.
 *
 * Order events: placement emits the event of the status the order lands in (PLACED is transient: the order
 * leaves it in the same transaction), and every later change of status or sub_status emits the event of the
 * new status. More units delivered without a change of state emit nothing.
 */
import { sql } from 'kysely';
import { prepare } from '../db/prepared.ts';
import type { Vendor, WebhookEventType } from '../domain/enums.ts';
import { formatMinor } from '../domain/money.ts';
import { orderEventType } from '../domain/webhook-rules.ts';
import type { S } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { dueNow } from './deliveries.ts';
import { timelineOf, type ItemRow, type OrderRow } from './order-view.ts';
import { isEventEnabled } from './settings.ts';

/** An item as an order event shows it: its voucher's expiry, never the voucher. */
export interface EventItem {
  row: ItemRow;
  expiry: string | null;
}

/** Runs in every order's transaction: compiled once. */
const activeEndpoints = prepare<{ partnerId: string }, { id: string; url: string; events_json: string }>((db, p) =>
  db.selectFrom('webhook_endpoints').select(['id', 'url', 'events_json']).where('partner_id', '=', p.partnerId).where('status', '=', sql.lit('ACTIVE')),
);

const streamLease = prepare<{ partnerId: string }, { stream_lease_until_ms: number }>((db, p) =>
  db.selectFrom('partners').select('stream_lease_until_ms').where('id', '=', p.partnerId),
);

const nextSeq = prepare<{ partnerId: string }, { event_seq: number }>((db, p) =>
  db
    .updateTable('partners')
    .set((eb) => ({ event_seq: eb('event_seq', '+', 1) }))
    .where('id', '=', p.partnerId)
    .returning('event_seq'),
);

async function streamOpen(exec: Executor, partnerId: string): Promise<boolean> {
  const { rows } = await streamLease.execute(exec, { partnerId });
  return Number(rows[0]?.stream_lease_until_ms ?? 0) > Date.now();
}

/**
 * Inserts the event and its deliveries when an endpoint of the partner subscribes to `type`; returns the
 * event id, or undefined when there is no subscriber. `data` is built only when needed.
 */
export async function recordEvent(
  ctx: EngineContext,
  exec: Executor,
  event: { partnerId: string; type: WebhookEventType; subjectId: string | null; data: () => Promise<object> | object },
): Promise<string | undefined> {
  const { rows } = await activeEndpoints.execute(exec, { partnerId: event.partnerId });
  const endpoints = rows.filter((e) => (JSON.parse(e.events_json) as string[]).includes(event.type));
  if (endpoints.length === 0 && !(await streamOpen(exec, event.partnerId))) return undefined;

  const nowIso = ctx.clock.nowIso();
  const eventId = ctx.newId('event');
  const envelope = { event_id: eventId, event_type: event.type, event: event.type, created_at: nowIso, data: await event.data() };
  const payload = JSON.stringify(envelope);
  const due = dueNow(ctx);
  const { rows: sequenced } = await nextSeq.execute(exec, { partnerId: event.partnerId });
  await exec
    .insertInto('webhook_events')
    .values({ id: eventId, partner_id: event.partnerId, type: event.type, subject_id: event.subjectId, payload_json: payload, created_at: nowIso, seq: Number(sequenced[0]!.event_seq) })
    .execute();
  if (endpoints.length === 0) {
    ctx.outbox.notify();
    return eventId;
  }
  await exec
    .insertInto('webhook_deliveries')
    .values(
      endpoints.map((endpoint) => ({
        id: ctx.newId('delivery'),
        event_id: eventId,
        partner_id: event.partnerId,
        webhook_id: endpoint.id,
        event_type: event.type,
        url: endpoint.url,
        status: 'PENDING',
        attempt_count: 0,
        ...due,
        held: 0,
        claim_token: null,
        claimed_until: null,
        created_at: nowIso,
        updated_at: nowIso,
      })),
    )
    .execute();
  ctx.outbox.notify();
  return eventId;
}

/** The `order.*` event for the order's current state (none for PLACED). Items are loaded when not given. */
export async function recordOrderEvent(ctx: EngineContext, exec: Executor, order: OrderRow, items?: readonly EventItem[]): Promise<string | undefined> {
  const type = orderEventType(order.status as S['OrderStatus']);
  if (!type) return undefined;
  return recordEvent(ctx, exec, {
    partnerId: order.partner_id,
    type,
    subjectId: order.id,
    data: async () => orderEventData(order, items ?? (await loadEventItems(exec, order.id))),
  });
}

/** Emits the order's event when its state differs from `before`. */
export async function recordOrderChange(ctx: EngineContext, exec: Executor, before: OrderRow, after: OrderRow): Promise<void> {
  if (before.status === after.status && before.sub_status === after.sub_status) return;
  await recordOrderEvent(ctx, exec, after);
}

export function orderEventData(order: OrderRow, items: readonly EventItem[]): S['OrderEventData'] {
  const closed = order.status === 'CANCELLED' || order.status === 'FAILED';
  return {
    order_id: order.id,
    status: order.status as S['OrderStatus'],
    sub_status: order.sub_status as S['OrderSubStatus'],
    product_id: order.product_id,
    quantity: order.quantity,
    total_amount: formatMinor(Number(order.total_minor)),
    currency: order.currency,
    reference: order.reference,
    pending_items: items.filter((i) => i.row.status === 'PENDING').length,
    fulfilled_from_cache: items.filter((i) => i.row.status === 'DELIVERED' && i.row.source === 'CACHE').length,
    items: items.map(({ row, expiry }) => ({
      id: row.id,
      status: row.status as S['OrderItemStatus'],
      product_id: row.product_id,
      expiry: row.status === 'DELIVERED' ? expiry : null,
    })),
    reason: closed ? (timelineOf(order).at(-1)?.note ?? null) : null,
  };
}

async function loadEventItems(exec: Executor, orderId: string): Promise<EventItem[]> {
  const rows = await exec
    .selectFrom('order_items')
    .leftJoin('inventory_vouchers', 'inventory_vouchers.id', 'order_items.voucher_id')
    .selectAll('order_items')
    .select('inventory_vouchers.expiry')
    .where('order_items.order_id', '=', orderId)
    .orderBy('order_items.position')
    .execute();
  return rows.map(({ expiry, ...row }) => ({ row, expiry: expiry ?? null }));
}

/**
 * `wallet.balance_threshold` (flag WEBHOOK_WALLET_BALANCE_THRESHOLD): a debit took the balance from at or
 * above the wallet's threshold to below it. Emitted once per crossing, so a wallet hovering below the line
 * does not repeat it; topping up above the threshold re-arms it.
 */
export async function recordBalanceCrossing(
  ctx: EngineContext,
  exec: Executor,
  wallet: { partnerId: string; currency: string; beforeMinor: number; afterMinor: number; thresholdMinor: number | null | undefined },
): Promise<void> {
  const { thresholdMinor: threshold } = wallet;
  if (threshold === null || threshold === undefined) return;
  if (!(wallet.beforeMinor >= threshold && wallet.afterMinor < threshold)) return;
  if (!(await isEventEnabled(exec, 'wallet.balance_threshold'))) return;
  await recordEvent(ctx, exec, {
    partnerId: wallet.partnerId,
    type: 'wallet.balance_threshold',
    subjectId: null,
    data: () => ({ currency: wallet.currency, balance: formatMinor(wallet.afterMinor), threshold: formatMinor(threshold) }),
  });
}

/** `reconciliation.drift` (flag WEBHOOK_RECONCILIATION_DRIFT). */
export async function recordDrift(
  ctx: EngineContext,
  exec: Executor,
  drift: { partnerId: string; date: string; orderId: string; vendor: Vendor; productId: number; detectedAt: string; resolution: S['ReconciliationResolution'] },
): Promise<void> {
  if (!(await isEventEnabled(exec, 'reconciliation.drift'))) return;
  await recordEvent(ctx, exec, {
    partnerId: drift.partnerId,
    type: 'reconciliation.drift',
    subjectId: drift.orderId,
    data: () => ({
      date: drift.date,
      order_id: drift.orderId,
      vendor: drift.vendor,
      product_id: drift.productId,
      detected_at: drift.detectedAt,
      resolution: drift.resolution,
    }),
  });
}
