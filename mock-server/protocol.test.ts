/**
 * The partner API's protocol through real HTTP: idempotency (replay, mismatch, concurrency, expiry),
 * request signatures, authentication, the IP allowlist, rate limits, enum input, the request log with its
 * verdicts, and errors outside any operation — every response checked against the spec.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestSandbox } from './test-support/sandbox.ts';

let ts: TestSandbox;
before(async () => {
  ts = await TestSandbox.start();
});
afterEach(() => ts.assertConforming());
after(() => ts.close());

const ORDER = JSON.stringify({ product_id: 2001, amount: '5.00', quantity: 1, currency: 'USD' });

describe('idempotency', () => {
  test('a replay returns the stored response with Idempotent-Replayed; another body is 422; nothing runs twice', async () => {
    const { call, client } = await ts.partner();
    const first = await call('POST', '/api/v1/orders', { body: ORDER, headers: { 'Idempotency-Key': 'idem-1' } });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('idempotent-replayed'), null);

    const reordered = JSON.stringify({ currency: 'USD', quantity: 1, amount: '5.00', product_id: 2001 });
    const replay = await call('POST', '/api/v1/orders', { body: reordered, headers: { 'Idempotency-Key': 'idem-1' } });
    assert.equal(replay.status, 200);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(replay.body, first.body);
    assert.notEqual(replay.headers.get('x-trace-id'), first.headers.get('x-trace-id'));

    const reused = await call('POST', '/api/v1/orders', {
      body: JSON.stringify({ product_id: 2001, amount: '6.00', quantity: 1, currency: 'USD' }),
      headers: { 'Idempotency-Key': 'idem-1' },
    });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.error.code, 'E_IDEMPOTENCY_KEY_REUSED');
    assert.equal((await client.v1.orders.list()).items.length, 1);

    const missing = await call('POST', '/api/v1/orders', { body: ORDER });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'E_IDEMPOTENCY_KEY_MISSING');
  });

  test('keys are per partner; rejections store nothing, so a corrected request may reuse the key', async () => {
    const a = await ts.partner();
    const b = await ts.partner({ wallets: [{ currency: 'USD', balance: '1.00' }] });
    assert.equal((await a.call('POST', '/api/v1/orders', { body: ORDER, headers: { 'Idempotency-Key': 'shared' } })).status, 200);
    const poor = await b.call('POST', '/api/v1/orders', { body: ORDER, headers: { 'Idempotency-Key': 'shared' } });
    assert.equal(poor.status, 422);
    assert.equal(poor.body.error.code, 'E_INSUFFICIENT_FUNDS');
    await ts.admin('POST', `/partners/${b.partner.partner_id}/wallets/fund`, { currency: 'USD', amount: '100.00' });
    const invalid = await b.call('POST', '/api/v1/orders', { body: '{"product_id":2001}', headers: { 'Idempotency-Key': 'shared' } });
    assert.equal(invalid.status, 400);
    const placed = await b.call('POST', '/api/v1/orders', { body: ORDER, headers: { 'Idempotency-Key': 'shared' } });
    assert.equal(placed.status, 200);
    assert.equal(placed.headers.get('idempotent-replayed'), null);
  });

  test('the same key while the first request is still executing → 409 E_IDEMPOTENCY_KEY_IN_USE', async () => {
    const { call, partner } = await ts.partner();
    await ts.admin('POST', '/faults', { operation_id: 'createOrder', partner_id: partner.partner_id, kind: 'DELAY', delay_ms: 700 });
    const slow = call('POST', '/api/v1/orders', { body: ORDER, headers: { 'Idempotency-Key': 'busy' } });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const concurrent = await call('POST', '/api/v1/orders', { body: ORDER, headers: { 'Idempotency-Key': 'busy' } });
    assert.equal(concurrent.status, 409);
    assert.equal(concurrent.body.error.code, 'E_IDEMPOTENCY_KEY_IN_USE');
    assert.equal((await slow).status, 200);
    const after = await call('POST', '/api/v1/orders', { body: ORDER, headers: { 'Idempotency-Key': 'busy' } });
    assert.equal(after.headers.get('idempotent-replayed'), 'true');
  });

  test('keys expire after 24 h of sandbox time: the same key then places a new order', async () => {
    const { call } = await ts.partner();
    const first = await call('POST', '/api/v1/orders', { body: ORDER, headers: { 'Idempotency-Key': 'day-old' } });
    await ts.admin('POST', '/clock/advance', { seconds: 86_401 });
    const again = await call('POST', '/api/v1/orders', { body: ORDER, headers: { 'Idempotency-Key': 'day-old' } });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), null);
    assert.notEqual(again.body.id, first.body.id);
  });

  test('optional keys: upsertWebhook replays with its original 201', async () => {
    const { call } = await ts.partner();
    const body = JSON.stringify({ url: 'https://partner.example/idem', events: ['order.delivered'] });
    const created = await call('POST', '/api/v1/webhooks', { body, headers: { 'Idempotency-Key': 'wh-1' } });
    assert.equal(created.status, 201);
    const replay = await call('POST', '/api/v1/webhooks', { body, headers: { 'Idempotency-Key': 'wh-1' } });
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.body.secret, created.body.secret);
  });
});

describe('signatures', () => {
  test('bad, stale and future signatures and t ≠ X-Timestamp are refused; the window is real time, whatever the clocks say', async () => {
    const { call, partner } = await ts.partner();
    const now = Math.floor(Date.now() / 1000);
    const refused = async (options: Parameters<typeof call>[2], code: string) => {
      const reply = await call('POST', '/api/v1/charges', options);
      assert.equal(reply.status, 401, JSON.stringify(options));
      assert.equal(reply.body.error.code, code);
    };
    const body = JSON.stringify({ product_id: 2001, amount: '5.00', quantity: 1 });
    assert.equal((await call('POST', '/api/v1/charges', { body })).status, 200);
    await refused({ body, timestamp: now - 400 }, 'E_TIMESTAMP_OUT_OF_WINDOW');
    await refused({ body, timestamp: now + 400 }, 'E_TIMESTAMP_OUT_OF_WINDOW');
    await refused({ body, timestamp: now, headers: { 'X-Signature': `t=${now},v1=${'0'.repeat(64)}` } }, 'E_SIGNATURE_INVALID');
    await refused({ body, timestamp: now, headers: { 'X-Timestamp': String(now + 1) } }, 'E_SIGNATURE_INVALID');
    await refused({ body, timestamp: now, headers: { 'X-Signature': 'garbage' } }, 'E_SIGNATURE_INVALID');

    // Moving the sandbox-wide clock and the partner's own clock leaves a correctly signed write valid.
    await ts.admin('POST', '/clock/advance', { seconds: 600 });
    await ts.admin('POST', '/clock/advance', { seconds: 2 * 86_400, partner_id: partner.partner_id });
    // Another body: the same body signed in the same second as the first call would be its signature again (a replay).
    const later = JSON.stringify({ product_id: 2001, amount: '6.00', quantity: 1 });
    assert.equal((await call('POST', '/api/v1/charges', { body: later, timestamp: Math.floor(Date.now() / 1000) })).status, 200);
    await refused({ body, timestamp: Math.floor(Date.now() / 1000) + 600 }, 'E_TIMESTAMP_OUT_OF_WINDOW');
  });

  test('the request log shows the canonical string the server computed and why it failed, never the secret', async () => {
    const { call, partner } = await ts.partner();
    const body = JSON.stringify({ product_id: 2001, amount: '5.00', quantity: 1 });
    const reply = await call('POST', '/api/v1/charges', { body, headers: { 'X-Signature': `t=1,v1=${'a'.repeat(64)}`, 'X-Timestamp': '1' } });
    assert.equal(reply.status, 401);
    const traceId = reply.headers.get('x-trace-id')!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const log = await ts.admin('GET', `/requests?trace_id=${traceId}`);
    assert.equal(log.length, 1);
    const [entry] = log;
    assert.equal(entry.operation_id, 'calculateCharges');
    assert.equal(entry.partner_id, partner.partner_id);
    assert.equal(entry.status, 401);
    assert.equal(entry.error_code, 'E_SIGNATURE_INVALID');
    assert.deepEqual(entry.verdicts.auth, { result: 'PASS', reason: null });
    assert.equal(entry.verdicts.ip.client_ip, '127.0.0.1');
    assert.equal(entry.verdicts.rate_limit.class, 'DEFAULT');
    assert.equal(entry.verdicts.signature.result, 'FAIL');
    assert.equal(entry.verdicts.signature.canonical_string, `1POST/api/v1/charges${body}`);
    assert.match(entry.verdicts.signature.reason, /V1_MISMATCH/);
    assert.deepEqual(entry.verdicts.idempotency, { key: null, result: 'NOT_EVALUATED' });
    assert.ok(!JSON.stringify(log).includes(partner.api_secret));
  });
});

describe('authentication and the IP allowlist', () => {
  test('a wrong secret is 401; a partner whose allowlist excludes 127.0.0.1 is 403, X-Forwarded-For notwithstanding', async () => {
    const { partner } = await ts.partner();
    const wrong = await ts.fetch(`${ts.baseUrl}/products/1001`, { headers: { 'X-API-Key': partner.api_key, 'X-API-Secret': 'sk_test_wrong' } });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as any).error.code, 'E_UNAUTHORIZED');

    const remote = await ts.partner({ ip_allowlist: ['203.0.113.0/24'] });
    const refused = await remote.call('GET', '/api/v1/products/1001', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'E_IP_NOT_ALLOWED');
  });

  test('behind a trusted proxy, X-Forwarded-For is the client address', async () => {
    const proxied = await TestSandbox.start({ trustProxy: true });
    try {
      const remote = await proxied.partner({ ip_allowlist: ['203.0.113.0/24'] });
      assert.equal((await remote.call('GET', '/api/v1/products/1001', { headers: { 'X-Forwarded-For': '203.0.113.7' } })).status, 200);
      assert.equal((await remote.call('GET', '/api/v1/products/1001')).status, 403);
      proxied.assertConforming();
    } finally {
      await proxied.close();
    }
  });

  test('the control API wants its bearer token', async () => {
    const response = await fetch(`${ts.sandbox.origin}/sandbox/v1/clock`, { headers: { Authorization: 'Bearer nope' } });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as any).error.code, 'E_UNAUTHORIZED');
  });
});

describe('rate limits', () => {
  test('X-RateLimit-* on every response; over the limit 429 E_RATE_LIMITED with Retry-After; a new window admits again', async () => {
    const { call } = await ts.partner({ rate_limit_overrides: { product_details: 3 } });
    for (let i = 0; i < 3; i++) {
      const ok = await call('GET', i === 1 ? '/API/V1/Products/1001/' : '/api/v1/products/1001');
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('x-ratelimit-limit'), '3');
      assert.equal(ok.headers.get('x-ratelimit-remaining'), String(2 - i));
    }
    const limited = await call('GET', '/api/v1/products/1001');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'E_RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(Number(limited.headers.get('x-ratelimit-reset')) - ts.sandbox.engine.clock.nowSeconds(), retryAfter);

    assert.equal((await call('GET', '/api/v1/orders')).status, 200, 'other classes are unaffected');
    await ts.admin('POST', '/clock/advance', { seconds: retryAfter });
    assert.equal((await call('GET', '/api/v1/products/1001')).status, 200);
  });

  test('the default burst: 20 per 10 s', async () => {
    const { call } = await ts.partner();
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await call('GET', '/api/v1/categories')).status);
    assert.deepEqual(statuses, [...Array(20).fill(200), 429]);
  });
});

describe('errors outside any operation', () => {
  test('unknown route 404, wrong method 405, malformed JSON 400, too large 413 — all in the envelope with a trace id', async () => {
    const { call } = await ts.partner();
    const unknown = await call('GET', '/api/v1/nothing');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'E_NOT_FOUND');
    const outside = await fetch(`${ts.sandbox.origin}/elsewhere`);
    assert.equal(outside.status, 404);
    assert.ok(outside.headers.get('x-trace-id'));

    const malformed = await call('POST', '/api/v1/charges', { body: '{"product_id":' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'E_VALIDATION_FAILURE');

    await ts.withoutSpecCheck(async () => {
      const wrongMethod = await call('PATCH', '/api/v1/products');
      assert.equal(wrongMethod.status, 405);
      assert.equal(wrongMethod.body.error.code, 'E_METHOD_NOT_ALLOWED');
      assert.equal(wrongMethod.headers.get('allow'), 'GET');
      const big = await call('POST', '/api/v1/charges', { body: JSON.stringify({ pad: 'x'.repeat(200_000) }) });
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'E_PAYLOAD_TOO_LARGE');
    });
  });
});
