/**
 * Concurrency scenarios over real HTTP: (1) 500 concurrent POST /orders sharing one Idempotency-Key make
 * one order and one debit, every other answer being a replay (200, Idempotent-Replayed) or 409
 * E_IDEMPOTENCY_KEY_IN_USE; (2) 2,000 concurrent orders from four partners against their pools of exactly
 * 1,000 vouchers in all deliver exactly 1,000 units, no voucher code twice, and every wallet equals its ledger.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { keepAliveAgent, SandboxClient, UNLIMITED, type Credentials, type RawReply } from './http.ts';
import { ledgerProblems, readLedger } from './ledger.ts';

export interface IdempotencyFigures {
  requests: number;
  statuses: Record<string, number>;
  originals: number;
  replays: number;
  in_use_409: number;
  orders: number;
  debits: number;
  duration_ms: number;
  violations: string[];
}

export interface PoolFigures {
  requests: number;
  partners: number;
  pool: number;
  statuses: Record<string, number>;
  units_delivered: number;
  units_pending: number;
  distinct_voucher_codes: number;
  inventory_left: boolean;
  duration_ms: number;
  violations: string[];
}

function tally(replies: RawReply[]): Record<string, number> {
  const statuses: Record<string, number> = {};
  for (const r of replies) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return statuses;
}

/** A product and denomination the seed stocks nothing of (Google Play US: USD 5–100, stocked only by pumps). */
const PRODUCT = 2001;

export async function runIdempotencyRace(origin: string, adminToken: string, concurrency = 500): Promise<IdempotencyFigures> {
  const client = new SandboxClient(origin, adminToken, keepAliveAgent(concurrency));
  const partner = await client.createPartner({ rate_limit_overrides: UNLIMITED });
  const body = { product_id: PRODUCT, amount: '6.00', quantity: 1 };
  await client.control.pumpInventory({ body: { product_id: PRODUCT, amount: '6.00', currency: 'USD', count: 1 } });
  const key = `race-${randomUUID()}`;
  const started = performance.now();
  const replies = await Promise.all(
    Array.from({ length: concurrency }, () => client.partner(partner, 'POST', '/orders', body, { 'Idempotency-Key': key })),
  );
  const duration = performance.now() - started;
  const violations: string[] = [];
  const ok = replies.filter((r) => r.status === 200);
  const originals = ok.filter((r) => r.headers['idempotent-replayed'] !== 'true');
  const replays = ok.filter((r) => r.headers['idempotent-replayed'] === 'true');
  const inUse = replies.filter((r) => r.status === 409 && r.json?.error?.code === 'E_IDEMPOTENCY_KEY_IN_USE');
  if (ok.length + inUse.length !== replies.length) violations.push(`answers other than 200 or 409 E_IDEMPOTENCY_KEY_IN_USE: ${JSON.stringify(tally(replies))}`);
  if (originals.length !== 1) violations.push(`${originals.length} requests executed (not replays)`);
  if (new Set(ok.map((r) => r.json?.id)).size !== 1) violations.push('the 200s name more than one order');
  const ledger = await readLedger(client, partner);
  const debits = ledger.transactions.filter((t) => t.type === 'DEBIT');
  if (ledger.orders.length !== 1) violations.push(`${ledger.orders.length} orders were created`);
  if (debits.length !== 1) violations.push(`${debits.length} debits were made`);
  violations.push(...ledgerProblems(ledger));
  client.agent.destroy();
  return {
    requests: replies.length,
    statuses: tally(replies),
    originals: originals.length,
    replays: replays.length,
    in_use_409: inUse.length,
    orders: ledger.orders.length,
    debits: debits.length,
    duration_ms: Math.round(duration),
    violations,
  };
}

async function inBatches<T, R>(items: T[], concurrency: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await run(items[i]!);
      }
    }),
  );
  return out;
}

export async function runVoucherPool(origin: string, adminToken: string, options: { orders?: number; pool?: number; partners?: number } = {}): Promise<PoolFigures> {
  const { orders = 2_000, pool = 1_000, partners: partnerCount = 4 } = options;
  const client = new SandboxClient(origin, adminToken, keepAliveAgent(orders));
  const amount = '9.00';
  const violations: string[] = [];
  // The pool must be exactly `pool` vouchers: nothing of this denomination in stock before (availability
  // says DELAYED, i.e. no cached unit), no automatic vendor fallback.
  const settings = await client.control.getSettings();
  if (settings.allow_auto_vendor_fulfill.includes(PRODUCT)) violations.push(`auto vendor fulfilment is on for ${PRODUCT}`);
  const partners: Credentials[] = [];
  for (let i = 0; i < partnerCount; i++) partners.push(await client.createPartner({ rate_limit_overrides: UNLIMITED }));
  const before = await client.partner(partners[0]!, 'POST', `/products/${PRODUCT}/availability`, { denomination: 9, quantity: 1 });
  if (before.json?.delivery_time !== 'DELAYED') violations.push(`denomination ${amount} was in stock before the pump: ${before.text}`);
  // Every partner has its own pool: `pool` units in all, an equal share in each partner's, so each share is
  // contended by that partner's concurrent orders.
  let available = 0;
  for (const [i, partner] of partners.entries()) {
    const share = Math.floor(pool / partnerCount) + (i < pool % partnerCount ? 1 : 0);
    available += (await client.control.pumpInventory({ body: { partner_id: partner.partner_id, product_id: PRODUCT, amount, currency: 'USD', count: share } })).available;
  }
  if (available !== pool) violations.push(`the pumps left ${available} available, not ${pool}`);

  const started = performance.now();
  const replies = await Promise.all(
    Array.from({ length: orders }, (_, i) =>
      client.partner(partners[i % partnerCount]!, 'POST', '/orders', { product_id: PRODUCT, amount, quantity: 1, reference: `pool-${i}` }, { 'Idempotency-Key': `pool-${i}` }),
    ),
  );
  const duration = performance.now() - started;
  const statuses = tally(replies);
  const failed = replies.filter((r) => r.status !== 200);
  if (failed.length) violations.push(`${failed.length} orders were not placed: ${JSON.stringify(statuses)} ${failed[0]!.text.slice(0, 200)}`);

  let delivered = 0;
  let pending = 0;
  const deliveredIds: string[] = [];
  for (const r of replies.filter((r) => r.status === 200)) {
    for (const item of r.json.items as { status: string }[]) {
      if (item.status === 'DELIVERED') delivered++;
      else if (item.status === 'PENDING') pending++;
    }
    if (r.json.status === 'DELIVERED') deliveredIds.push(r.json.id);
  }
  if (delivered !== pool) violations.push(`${delivered} units delivered from a pool of ${pool}`);

  // Read every delivered order back and collect its voucher codes.
  const owner = new Map<string, Credentials>();
  for (const r of replies) if (r.status === 200) owner.set(r.json.id, partners[replies.indexOf(r) % partnerCount]!);
  const codes: string[] = [];
  const fetched = await inBatches(deliveredIds, 32, (id) => client.partner(owner.get(id)!, 'GET', `/orders/${id}`));
  for (const r of fetched) {
    if (r.status !== 200) violations.push(`GET /orders/${r.json?.id} → ${r.status}`);
    else for (const item of r.json.items as { voucher?: { code: string } | null }[]) if (item.voucher?.code) codes.push(item.voucher.code);
  }
  const distinct = new Set(codes).size;
  if (codes.length !== pool) violations.push(`${codes.length} voucher codes read back, expected ${pool}`);
  if (distinct !== codes.length) violations.push(`${codes.length - distinct} voucher codes were delivered twice`);

  const after = await client.partner(partners[0]!, 'POST', `/products/${PRODUCT}/availability`, { denomination: 9, quantity: 1 });
  if (after.json?.delivery_time !== 'DELAYED') violations.push('vouchers are still in stock after the pool was drained');
  for (const partner of partners) {
    const ledger = await readLedger(client, partner);
    if (ledger.orders.length !== orders / partnerCount) violations.push(`${partner.partner_id} has ${ledger.orders.length} orders`);
    violations.push(...ledgerProblems(ledger).map((p) => `${partner.partner_id}: ${p}`));
  }
  client.agent.destroy();
  return {
    requests: replies.length,
    partners: partnerCount,
    pool,
    statuses,
    units_delivered: delivered,
    units_pending: pending,
    distinct_voucher_codes: distinct,
    inventory_left: after.json?.delivery_time !== 'DELAYED',
    duration_ms: Math.round(duration),
    violations,
  };
}
