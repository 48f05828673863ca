/**
 * Webhook deliveries in the database: claiming due ones, recording attempts, listing them, and the delivery
 * faults of the control API. The HTTP side lives in webhook-dispatcher/.
 *
 * A claim picks candidates, then takes them with one guarded statement, portable to PostgreSQL:
 *   SELECT id … due and unclaimed … ORDER BY next_attempt_at LIMIT n
 *   UPDATE webhook_deliveries SET claim_token = :mine, claimed_until = :lease
 *   WHERE id IN (:candidates) AND <due and unclaimed>      -- re-checked on the row itself
 *   RETURNING *
 * Two instances may pick the same candidates, but only one UPDATE matches each row: SQLite runs writers one
 * at a time, and PostgreSQL re-evaluates the WHERE against the row the other instance committed and skips it,
 * so each delivery is claimed once per lease. (Kept as two statements: with the SELECT as a subquery, SQLite
 * plans the outer WHERE on the status index and scans every open delivery per claim.) A lease that lapses (its instance died mid-attempt) makes the delivery claimable again: at least once.
 * Leases are on the sandbox-wide clock, so advancing it also frees a dead instance's claims.
 *
 * Clocks: a delivery's `next_attempt_at` and its attempts are dated on its partner's clock (the context a
 * function is given is that partner's); `due_ms` is the same due time on the sandbox-wide clock, which is what
 * claims compare, so one query serves partners whose clocks differ. Advancing a partner's clock moves its
 * deliveries' `due_ms` earlier by as much (shiftDueDeliveries).
 *
 * Fair claims (issue 18: one partner's hanging receiver held every send slot, and a healthy partner's event
 * waited 49 s): candidates are ranked within their endpoint and within their partner, at most `perEndpoint`
 * of an endpoint and `perPartner` of a partner per claim, and taken in partner-rank order, so each partner's
 * oldest due delivery comes before anyone's second. Endpoints and partners whose sends already fill their share
 * of this instance's slots are left out (webhook-dispatcher/dispatcher.ts keeps the count).
 */
import { randomInt } from 'node:crypto';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isDelivered } from '@starship/contract/webhook-delivery';
import { nextAttemptMs } from '../domain/webhook-rules.ts';
import type { C, ListResult, WebhookDeliveryQuery } from '../engine.ts';
import type { EngineContext } from './context.ts';
import { invalid, notFound } from './errors.ts';
import { consumeArmed } from './faults.ts';
import { pageOf } from './pagination.ts';

export type DeliveryRow = Database['webhook_deliveries'];
type FaultRow = Database['webhook_faults'];
export type WebhookFaultKind = C['WebhookFaultKind'];

const OPEN_STATUSES = ['PENDING', 'RETRYING'] as const;

/** What one send produced. */
export interface AttemptOutcome {
  at: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  fault: WebhookFaultKind | null;
}

function dueAt(nowMs: number, now: string) {
  return (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) =>
    eb.and([
      eb('status', 'in', OPEN_STATUSES),
      eb('due_ms', '<=', nowMs),
      eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]),
    ]);
}

/** Due deliveries looked at per free slot: enough for several partners' shares, bounded however long the backlog. */
const CANDIDATES_PER_SLOT = 4;

/** How a claim shares the send slots out (see the header). */
export interface ClaimShares {
  perEndpoint: number;
  perPartner: number;
  /** Sends this instance has in flight, by endpoint and by partner: a claim takes no more than what is left of a share. */
  endpointLoad: ReadonlyMap<string, number>;
  partnerLoad: ReadonlyMap<string, number>;
}

/** `share − load` for the ids in `load`, `share` for any other: the rank a claim may go up to. */
function roomOf(column: string, load: ReadonlyMap<string, number>, share: number) {
  // The numbers are literals: PostgreSQL types a bare parameter in CASE as text (bigint <= text fails).
  if (load.size === 0) return sql<number>`${sql.lit(share)}`;
  const cases = [...load].map(([id, n]) => sql`when ${id} then ${sql.lit(Math.max(0, share - n))}`);
  return sql<number>`case ${sql.ref(column)} ${sql.join(cases, sql` `)} else ${sql.lit(share)} end`;
}

const full = (load: ReadonlyMap<string, number>, share: number) => [...load].filter(([, n]) => n >= share).map(([id]) => id);

/**
 * Claims up to `limit` due deliveries for `token` until `leaseMs` from now (sandbox-wide clock): each
 * partner's oldest first, round by round across partners, within `shares`.
 */
export async function claimDue(ctx: EngineContext, token: string, limit: number, leaseMs: number, shares: ClaimShares): Promise<DeliveryRow[]> {
  const clock = ctx.sandboxClock;
  // Another instance sharing the database may have moved the clock (due retries, expired leases).
  await clock.sync?.();
  const nowMs = clock.nowMs();
  const now = clock.nowIso();
  const until = new Date(nowMs + leaseMs).toISOString();
  const claimable = dueAt(nowMs, now);
  // The oldest due candidates of the partners and endpoints with room, a bounded number, then ranked: the
  // ranking costs what the candidates number, not what the whole backlog does.
  const oldest = ctx.db
    .selectFrom('webhook_deliveries')
    .select(['id', 'due_ms', 'webhook_id', 'partner_id'])
    .where(claimable)
    .$if(full(shares.endpointLoad, shares.perEndpoint).length > 0, (q) => q.where('webhook_id', 'not in', full(shares.endpointLoad, shares.perEndpoint)))
    .$if(full(shares.partnerLoad, shares.perPartner).length > 0, (q) => q.where('partner_id', 'not in', full(shares.partnerLoad, shares.perPartner)))
    .orderBy('due_ms')
    .orderBy('id')
    .limit(limit * CANDIDATES_PER_SLOT);
  const ranked = ctx.db
    .selectFrom(oldest.as('candidates'))
    .select(['candidates.id', 'candidates.due_ms', 'candidates.webhook_id', 'candidates.partner_id'])
    .select(sql<number>`row_number() over (partition by candidates.webhook_id order by candidates.due_ms, candidates.id)`.as('endpoint_rank'))
    .select(sql<number>`row_number() over (partition by candidates.partner_id order by candidates.due_ms, candidates.id)`.as('partner_rank'));
  const due = ctx.db
    .selectFrom(ranked.as('ranked'))
    .select('ranked.id')
    .where('ranked.endpoint_rank', '<=', roomOf('ranked.webhook_id', shares.endpointLoad, shares.perEndpoint))
    .where('ranked.partner_rank', '<=', roomOf('ranked.partner_id', shares.partnerLoad, shares.perPartner))
    .orderBy('ranked.partner_rank')
    .orderBy('ranked.due_ms')
    .orderBy('ranked.id')
    .limit(limit);
  if (ctx.shared) {
    // One statement on PostgreSQL; the UPDATE re-checks each row, so instances polling at once never both take
    // one (a window function rules out FOR UPDATE SKIP LOCKED in the ranking select).
    return ctx.db
      .updateTable('webhook_deliveries')
      .set({ claim_token: token, claimed_until: until })
      .where('id', 'in', due)
      .where(claimable)
      .returningAll()
      .execute();
  }
  const candidates = await due.execute();
  if (candidates.length === 0) return [];
  return ctx.db
    .updateTable('webhook_deliveries')
    .set({ claim_token: token, claimed_until: until })
    .where(
      'id',
      'in',
      candidates.map((c) => c.id),
    )
    .where(claimable)
    .returningAll()
    .execute();
}

/** The payloads (envelope JSON text, sent byte for byte) of these events. */
export async function payloadsOf(ctx: EngineContext, eventIds: readonly string[]): Promise<Map<string, string>> {
  if (eventIds.length === 0) return new Map();
  const rows = await ctx.db.selectFrom('webhook_events').select(['id', 'payload_json']).where('id', 'in', [...new Set(eventIds)]).execute();
  return new Map(rows.map((r) => [r.id, r.payload_json]));
}

/** A due time on the context's (partner's) clock, and the same moment on the sandbox-wide clock. */
function dueTimes(ctx: EngineContext, atMs: number): { next_attempt_at: string; due_ms: number } {
  return { next_attempt_at: new Date(atMs).toISOString(), due_ms: atMs - (ctx.clock.offsetSeconds - ctx.sandboxClock.offsetSeconds) * 1000 };
}

/** The due times of a delivery that is due now (a new event's, one released from an OUT_OF_ORDER hold). */
export function dueNow(ctx: EngineContext): { next_attempt_at: string; due_ms: number } {
  return dueTimes(ctx, ctx.clock.nowMs());
}

/** The partner's clock moved forward: its open deliveries come due that much earlier on the sandbox-wide clock. */
export async function shiftDueDeliveries(exec: EngineContext['db'], partnerId: string, seconds: number): Promise<void> {
  await exec
    .updateTable('webhook_deliveries')
    .set((eb) => ({ due_ms: eb('due_ms', '-', seconds * 1000) }))
    .where('partner_id', '=', partnerId)
    .where('status', 'in', OPEN_STATUSES)
    .execute();
}

/**
 * Records the attempts of one claimed delivery and schedules what follows: SUCCEEDED on a 2xx, otherwise the
 * next retry or FAILED past the 24 h window (both on the partner's clock: `ctx` is the partner's). The state
 * changes only while the claim is still ours.
 */
export async function recordAttempts(ctx: EngineContext, delivery: DeliveryRow, token: string, outcomes: readonly AttemptOutcome[]): Promise<void> {
  const nowMs = ctx.clock.nowMs();
  const nowIso = new Date(nowMs).toISOString();
  const attempts = delivery.attempt_count + outcomes.length;
  const delivered = outcomes.some((o) => isDelivered(o.statusCode));
  const next = delivered ? undefined : nextAttemptMs(Date.parse(delivery.created_at), nowMs, attempts, randomInt(1_000_000) / 1_000_000);
  const schedule = next === undefined ? { next_attempt_at: null, due_ms: null } : dueTimes(ctx, next);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await insertAttempts(ctx, trx, delivery.id, outcomes))) return;
    await trx
      .updateTable('webhook_deliveries')
      .set({
        status: delivered ? 'SUCCEEDED' : next === undefined ? 'FAILED' : 'RETRYING',
        attempt_count: attempts,
        ...schedule,
        claim_token: null,
        claimed_until: null,
        updated_at: nowIso,
      })
      .where('id', '=', delivery.id)
      .where('claim_token', '=', token)
      .execute();
  });
}

/** A replay's attempts: recorded, and a 2xx marks the delivery SUCCEEDED; a failure leaves its schedule alone. */
export async function recordReplay(ctx: EngineContext, deliveryId: string, outcomes: readonly AttemptOutcome[]): Promise<void> {
  const nowIso = ctx.clock.nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await insertAttempts(ctx, trx, deliveryId, outcomes))) return;
    let update = trx
      .updateTable('webhook_deliveries')
      .set((eb) => ({ attempt_count: eb('attempt_count', '+', outcomes.length), updated_at: nowIso }))
      .where('id', '=', deliveryId);
    if (outcomes.some((o) => isDelivered(o.statusCode))) {
      update = update.set({ status: 'SUCCEEDED', next_attempt_at: null, due_ms: null, held: 0 });
    }
    await update.execute();
  });
}

/** False when the delivery is gone (resetSandbox ran while it was being sent): there is nothing left to record. */
async function insertAttempts(ctx: EngineContext, exec: EngineContext['db'], deliveryId: string, outcomes: readonly AttemptOutcome[]): Promise<boolean> {
  if (!(await exec.selectFrom('webhook_deliveries').select('id').where('id', '=', deliveryId).executeTakeFirst())) return false;
  if (outcomes.length === 0) return true;
  await exec
    .insertInto('webhook_attempts')
    .values(
      outcomes.map((o) => ({
        id: ctx.newId('attempt'),
        delivery_id: deliveryId,
        at: o.at,
        status_code: o.statusCode,
        latency_ms: o.latencyMs,
        error: o.error,
        fault: o.fault,
      })),
    )
    .execute();
  return true;
}

/** Gives a claimed delivery back untouched (shutdown mid-attempt): due again at once, for whoever claims it. */
export async function releaseClaim(ctx: EngineContext, deliveryId: string, token: string): Promise<void> {
  await ctx.db.updateTable('webhook_deliveries').set({ claim_token: null, claimed_until: null }).where('id', '=', deliveryId).where('claim_token', '=', token).execute();
}

/** Puts a claimed delivery off without an attempt (DELAY, OUT_OF_ORDER faults). */
export async function postpone(ctx: EngineContext, deliveryId: string, token: string, seconds: number, held: boolean): Promise<void> {
  await ctx.db
    .updateTable('webhook_deliveries')
    .set({
      ...dueTimes(ctx, ctx.clock.nowMs() + seconds * 1000),
      held: held ? 1 : 0,
      claim_token: null,
      claimed_until: null,
      updated_at: ctx.clock.nowIso(),
    })
    .where('id', '=', deliveryId)
    .where('claim_token', '=', token)
    .execute();
}

/** After a send to an endpoint, its deliveries held back by OUT_OF_ORDER become due (they now follow it). */
export async function releaseHeld(ctx: EngineContext, webhookId: string): Promise<number> {
  const result = await ctx.db
    .updateTable('webhook_deliveries')
    .set({ held: 0, ...dueNow(ctx) })
    .where('webhook_id', '=', webhookId)
    .where('held', '=', 1)
    .where('status', 'in', OPEN_STATUSES)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The delivery; with `partnerId`, only if it is that partner's (another's is the same 404 as a missing one). */
export async function findDelivery(ctx: EngineContext, deliveryId: string, partnerId?: string): Promise<DeliveryRow> {
  const row = await ctx.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .$if(partnerId !== undefined, (q) => q.where('partner_id', '=', partnerId!))
    .executeTakeFirst();
  if (!row) throw notFound(`Webhook delivery ${deliveryId} not found.`);
  return row;
}

export async function listDeliveries(ctx: EngineContext, query: WebhookDeliveryQuery): Promise<ListResult<C['WebhookDelivery']>> {
  const { limit, offset } = pageOf(query);
  let base = ctx.db.selectFrom('webhook_deliveries');
  if (query.partner_id) base = base.where('partner_id', '=', query.partner_id);
  if (query.webhook_id) base = base.where('webhook_id', '=', query.webhook_id);
  if (query.event_type) base = base.where('event_type', '=', query.event_type);
  if (query.status) base = base.where('status', '=', query.status);
  if (query.event_id) base = base.where('event_id', '=', query.event_id);
  if (query.order_id) {
    const orderId = query.order_id;
    base = base.where('event_id', 'in', (eb) => eb.selectFrom('webhook_events').select('id').where('subject_id', '=', orderId));
  }
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await renderDeliveries(ctx, rows), total: Number(count.n) };
}

export async function renderDeliveries(ctx: EngineContext, rows: readonly DeliveryRow[]): Promise<C['WebhookDelivery'][]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [payloads, attempts] = await Promise.all([
    payloadsOf(ctx, rows.map((r) => r.event_id)),
    ctx.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', ids).orderBy('delivery_id').orderBy('id').execute(),
  ]);
  const byDelivery = new Map<string, C['WebhookDelivery']['attempts']>(ids.map((id) => [id, []]));
  for (const a of attempts) {
    byDelivery.get(a.delivery_id)!.push({ at: a.at, status_code: a.status_code, latency_ms: a.latency_ms, error: a.error, fault: a.fault as WebhookFaultKind | null });
  }
  return rows.map((row) => ({
    id: row.id,
    partner_id: row.partner_id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    event_type: row.event_type as C['WebhookDelivery']['event_type'],
    url: row.url,
    status: row.status as C['WebhookDeliveryStatus'],
    attempts: byDelivery.get(row.id)!,
    next_attempt_at: row.next_attempt_at,
    payload: JSON.parse(payloads.get(row.event_id)!) as C['WebhookDelivery']['payload'],
    created_at: row.created_at,
  }));
}

// Delivery faults (control API injectWebhookFault).

export async function injectWebhookFault(ctx: EngineContext, body: C['WebhookFaultRequest']): Promise<C['WebhookFault']> {
  const count = body.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw invalid('count must be a positive integer');
  if (body.delay_seconds !== undefined && !['DELAY', 'OUT_OF_ORDER', 'STALE_TIMESTAMP'].includes(body.kind)) {
    throw invalid('delay_seconds applies to DELAY, OUT_OF_ORDER and STALE_TIMESTAMP faults only');
  }
  const row: FaultRow = {
    id: ctx.newId('webhookFault'),
    partner_id: body.partner_id ?? null,
    webhook_id: body.webhook_id ?? null,
    event_type: body.event_type ?? null,
    kind: body.kind,
    count,
    remaining: count,
    delay_seconds: body.delay_seconds ?? null,
    created_at: ctx.clock.nowIso(),
  };
  await ctx.db.insertInto('webhook_faults').values(row).execute();
  return renderFault(row);
}

export async function anyWebhookFaultArmed(ctx: EngineContext): Promise<boolean> {
  return (await ctx.db.selectFrom('webhook_faults').select('id').where('remaining', '>', 0).limit(1).executeTakeFirst()) !== undefined;
}

/** Consumes one use of the oldest armed fault matching the delivery. The guarded decrement keeps uses exact. */
export async function takeWebhookFault(ctx: EngineContext, delivery: DeliveryRow): Promise<C['WebhookFault'] | undefined> {
  const fault = await consumeArmed(
    ctx,
    'webhook_faults',
    (f) =>
      (f.partner_id === null || f.partner_id === delivery.partner_id) &&
      (f.webhook_id === null || f.webhook_id === delivery.webhook_id) &&
      (f.event_type === null || f.event_type === delivery.event_type),
  );
  return fault && renderFault(fault);
}

function renderFault(row: FaultRow): C['WebhookFault'] {
  return {
    fault_id: row.id,
    kind: row.kind as WebhookFaultKind,
    partner_id: row.partner_id,
    webhook_id: row.webhook_id,
    event_type: row.event_type,
    count: row.count,
    remaining: row.remaining,
    delay_seconds: row.delay_seconds,
    created_at: row.created_at,
  };
}
