/**
 * The grader on hand-made evidence, for the mistakes neither example makes: bad signatures (with the
 * diagnosis joined from the witnessed request), stale timestamps, missing keys, hot polling, calls outside
 * the partner API, a late webhook registration, a command that timed out.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import type { Evidence, Order, RequestLogEntry, WitnessRecord } from './evidence.ts';
import { gradeSession } from './grade.ts';

const SECRET = 'sk_test_s';
let seq = 0;
const T0 = Date.parse('2026-11-23T00:00:00.000Z');
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

function entry(offsetMs: number, method: string, path: string, operation_id: string | null, status: number, extra: Partial<RequestLogEntry['verdicts']> = {}): RequestLogEntry {
  const id = `req_01M8${String(++seq).padStart(22, '0')}`;
  return {
    id,
    at: iso(offsetMs),
    partner_id: 'ptr_1',
    method: method as RequestLogEntry['method'],
    path,
    operation_id,
    status,
    error_code: status >= 400 ? 'E_X' : null,
    trace_id: `trace${seq}`,
    duration_ms: 1,
    verdicts: {
      auth: { result: 'PASS', reason: null },
      ip: { result: 'PASS', client_ip: '127.0.0.1', reason: null },
      rate_limit: { result: 'PASS', class: 'DEFAULT', limit: 60, remaining: 59 },
      signature: { result: 'NOT_APPLICABLE', canonical_string: null, reason: null },
      idempotency: { key: null, result: 'NOT_APPLICABLE' },
      ...extra,
    },
  };
}

const order = (id: string, product_id: number, amount: string, created: number, deliveredAt?: number): Order =>
  ({
    id,
    product_id,
    amount,
    status: deliveredAt === undefined ? 'PENDING' : 'DELIVERED',
    created_at: iso(created),
    timeline: deliveredAt === undefined ? [] : [{ at: iso(deliveredAt), status: 'DELIVERED', sub_status: 'VENDOR_VOUCHER_FETCHED', note: null }],
  }) as unknown as Order;

function evidence(overrides: Partial<Evidence>): Evidence {
  return {
    partner: { partner_id: 'ptr_1', api_key: 'pk_test_k', api_secret: SECRET },
    instant: { product_id: 1001, amount: '25.00', currency: 'USD' },
    delayed: { product_id: 2001, amount: '7.00', currency: 'USD' },
    retryAfterSeconds: 1,
    minPollIntervalSeconds: 5,
    requests: [],
    witness: [],
    deliveries: [],
    orders: [],
    endpoints: [],
    run: { exit_code: 0, timed_out: false, duration_ms: 1000 },
    ...overrides,
  };
}

const result = (e: Evidence, id: string) => gradeSession(e).find((c) => c.id === id)!;

test('a bad signature is explained from the witnessed request: which part of the canonical string differs', () => {
  const body = '{"url":"http://127.0.0.1:9/hooks","events":["order.delivered"]}';
  const ts = String(Math.floor(T0 / 1000));
  const v1 = createHmac('sha256', SECRET).update(`${ts}POST/webhooks${body}`).digest('hex');
  const log = entry(0, 'POST', '/api/v1/webhooks', 'upsertWebhook', 401, {
    signature: { result: 'FAIL', canonical_string: `${ts}POST/api/v1/webhooks${body}`, reason: 'V1_MISMATCH: X-Signature does not match' },
  });
  const witness: WitnessRecord = { at: log.at, trace_id: log.trace_id, method: 'POST', path: '/api/v1/webhooks', host: '127.0.0.1:1', status: 401, api: true, timestamp_header: ts, signature_header: `t=${ts},v1=${v1}`, idempotency_key: null, body };
  const check = result(evidence({ requests: [log], witness: [witness] }), 'PARTNER-SIGN-001');
  assert.equal(check.result, 'FAIL');
  assert.match(check.detail, /1 of 1 writes failed signature verification/);
  assert.match(check.detail, new RegExp(`POST /api/v1/webhooks → 401 ${log.id} \\(trace ${log.trace_id}\\)`));
  assert.match(check.detail, /differs in path: \/api\/v1 prefix left out/);
  assert.match(check.detail, /you signed: +"\d+POST\/webhooks\{/);
});

test('a write outside the ±300 s window fails the freshness check, not the signing one', () => {
  const ts = String(Math.floor(T0 / 1000) - 900);
  const log = entry(0, 'POST', '/api/v1/orders', 'createOrder', 401, { signature: { result: 'FAIL', canonical_string: `${ts}POST/api/v1/orders{}`, reason: 'TIMESTAMP_TOO_OLD: outside' } });
  const e = evidence({ requests: [log] });
  assert.equal(result(e, 'PARTNER-SIGN-001').result, 'PASS');
  assert.equal(result(e, 'PARTNER-SIGN-002').result, 'FAIL');
});

test('a POST /orders without an Idempotency-Key fails', () => {
  const log = entry(0, 'POST', '/api/v1/orders', 'createOrder', 400, { idempotency: { key: null, result: 'MISSING' } });
  assert.match(result(evidence({ requests: [log] }), 'PARTNER-IDEM-001').detail, /1 of 1 POST \/orders had no Idempotency-Key/);
});

test('polling a PENDING order every second fails; every 10 s passes', () => {
  const placed = entry(0, 'POST', '/api/v1/orders', 'createOrder', 200);
  const polls = (every: number) => [1, 2, 3].map((n) => entry(n * every, 'GET', '/api/v1/orders/ord_D', 'getOrder', 200));
  const delayed = order('ord_D', 2001, '7.00', 0, 31_000);
  const hot = result(evidence({ requests: [placed, ...polls(1000)], orders: [delayed] }), 'PARTNER-POLL-001');
  assert.equal(hot.result, 'FAIL');
  assert.match(hot.detail, /polled 3 times while PENDING, 2 of them less than 5 s after the previous one/);
  assert.equal(result(evidence({ requests: [placed, ...polls(10_000)], orders: [delayed] }), 'PARTNER-POLL-001').result, 'PASS');
});

test('calls to the control API or to unknown paths fail hygiene', () => {
  const unknown = entry(0, 'GET', '/api/v1/admin/orders', null, 404);
  const control: WitnessRecord = { at: iso(5), trace_id: 'tc', method: 'POST', path: '/sandbox/v1/orders/ord_D/fulfill-from-vendor', host: null, status: 401, api: false, timestamp_header: null, signature_header: null, idempotency_key: null, body: null };
  const check = result(evidence({ requests: [unknown], witness: [control] }), 'PARTNER-HYG-001');
  assert.equal(check.result, 'FAIL');
  assert.match(check.detail, /POST \/sandbox\/v1\/orders\/ord_D\/fulfill-from-vendor → 401 \(trace tc\): outside the partner API/);
  assert.match(check.detail, /GET \/api\/v1\/admin\/orders → 404 .*: no such operation/);
});

test('a webhook registered after the first order fails; a timed-out command fails the run check', () => {
  const first = entry(0, 'POST', '/api/v1/orders', 'createOrder', 200);
  const late = entry(1000, 'POST', '/api/v1/webhooks', 'upsertWebhook', 201);
  const endpoints = [{ id: 'wh_1', url: 'http://127.0.0.1:9/h', events: ['order.delivered'] }] as unknown as Evidence['endpoints'];
  assert.match(result(evidence({ requests: [first, late], endpoints }), 'PARTNER-WH-001').detail, /after the first order/);
  assert.match(result(evidence({ run: { exit_code: null, timed_out: true, duration_ms: 120_000 } }), 'PARTNER-RUN-001').detail, /stopped after 120.0 s/);
});

test('with no evidence, the provocations that never happened SKIP and the script steps FAIL', () => {
  const checks = gradeSession(evidence({}));
  const by = (r: string) => checks.filter((c) => c.result === r).map((c) => c.id);
  assert.deepEqual(by('SKIP'), ['PARTNER-SIGN-001', 'PARTNER-SIGN-002', 'PARTNER-IDEM-002', 'PARTNER-IDEM-003', 'PARTNER-RATE-001', 'PARTNER-POLL-001', 'PARTNER-WH-002', 'PARTNER-WH-003', 'PARTNER-WH-005']);
  assert.deepEqual(by('FAIL'), ['PARTNER-IDEM-001', 'PARTNER-COMPAT-001', 'PARTNER-COMPAT-002', 'PARTNER-ORDER-001', 'PARTNER-ORDER-002', 'PARTNER-WH-001', 'PARTNER-WH-004']);
});

test('a command that registered its endpoint and then exited early: the webhook checks say so, not "no endpoint"', () => {
  const registered = entry(0, 'POST', '/api/v1/webhooks', 'upsertWebhook', 201);
  const endpoints = [{ id: 'wh_1', url: 'http://127.0.0.1:9/h', events: ['order.pending', 'order.delivered'] }] as unknown as Evidence['endpoints'];
  const e = evidence({ requests: [registered], endpoints, run: { exit_code: 1, timed_out: false, duration_ms: 2300 } });
  assert.equal(result(e, 'PARTNER-WH-001').result, 'PASS');
  const wh4 = result(e, 'PARTNER-WH-004');
  assert.equal(wh4.result, 'FAIL');
  assert.equal(wh4.detail, 'no valid delivery was made: endpoint wh_1 subscribes to order events, but no order was placed before the command exited 1 after 2.3 s');
  for (const [id, event] of [['PARTNER-WH-002', 'order.delivered'], ['PARTNER-WH-003', 'order.pending']] as const) {
    const check = result(e, id);
    assert.equal(check.result, 'SKIP');
    assert.match(check.detail, new RegExp(`armed on ${event}\\): endpoint wh_1 subscribes to ${event}, but no order was placed before the command exited 1`));
    assert.doesNotMatch(check.detail, /no endpoint subscribed/);
  }
  const orders = [order('ord_D', 2001, '7.00', 100)];
  assert.match(result({ ...e, orders }, 'PARTNER-WH-002').detail, /no order\.delivered event was delivered before the command exited 1 after 2\.3 s \(1 order placed\)/);
  const pendingOnly = { ...e, endpoints: [{ ...endpoints[0]!, events: ['order.pending'] }] as unknown as Evidence['endpoints'] };
  assert.match(result(pendingOnly, 'PARTNER-WH-002').detail, /no registered endpoint subscribes to order\.delivered \(wh_1: order\.pending\)/);
  assert.match(result(evidence({}), 'PARTNER-WH-004').detail, /no webhook endpoint was registered \(POST \/webhooks\)/);
});

test('an acknowledged stale webhook is a replay risk, not an unverifiable one; a forged one is unverifiable', () => {
  const attempt = (fault: string) => ({ at: iso(0), error: null, fault, latency_ms: 3, status_code: 200 });
  const delivery = (id: string, fault: string, event_type: string) => ({ id, event_id: `evt_${id}`, event_type, attempts: [attempt(fault)] });
  const deliveries = [delivery('dlv_1', 'STALE_TIMESTAMP', 'order.pending'), delivery('dlv_2', 'FORGED_SIGNATURE', 'order.delivered')] as unknown as Evidence['deliveries'];
  const stale = result(evidence({ deliveries }), 'PARTNER-WH-003');
  assert.equal(stale.result, 'FAIL');
  assert.match(stale.detail, /^the stale-timestamp delivery was acknowledged: its signature verifies but its timestamp is outside ±300 s/);
  assert.doesNotMatch(stale.detail, /cannot verify/);
  assert.match(result(evidence({ deliveries }), 'PARTNER-WH-002').detail, /^the forged-signature delivery was acknowledged: the receiver trusts a webhook whose signature does not verify/);
});
