/**
 * The operational log's access lines (issue 18: six requests logged nothing, at any level): one structured
 * line per request with trace id, partner, operation, status and milliseconds, and nothing a partner must
 * keep secret. The log is scanned for every secret the requests carried or received.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestSandbox } from './test-support/sandbox.ts';

test('one access line per request, with who and what; no secret, signature, token or voucher code anywhere in the log', async () => {
  const ts = await TestSandbox.start();
  try {
    const partner = await ts.partner();
    await ts.pump(1001, '10.00', 'USD', 1);
    const order = await partner.call('POST', '/api/v1/orders', {
      body: JSON.stringify({ product_id: 1001, amount: '10.00', quantity: 1 }),
      headers: { 'Idempotency-Key': 'access-log-1' },
    });
    assert.equal(order.body.status, 'DELIVERED');
    const read = await partner.call('GET', `/api/v1/orders/${order.body.id}`);
    assert.equal((await partner.call('GET', '/api/v1/orders?limit=5')).status, 200);
    const webhook = await partner.call('POST', '/api/v1/webhooks', {
      body: JSON.stringify({ url: 'https://hooks.example.com/x', events: ['order.delivered'] }),
      headers: { 'Idempotency-Key': 'access-log-2' },
    });
    const bad = await partner.call('GET', '/api/v1/wallets', { headers: { 'X-API-Secret': 'sk_test_wrong' } });
    assert.equal(bad.status, 401);
    assert.equal((await fetch(`${ts.sandbox.origin}/healthz`)).status, 200);

    const access = ts.logLines.filter((line) => line.msg === 'request');
    const placed = access.find((line) => line.operationId === 'createOrder');
    assert.ok(placed, JSON.stringify(access));
    assert.equal(placed.traceId, order.headers.get('x-trace-id'));
    assert.equal(placed.partnerId, partner.partner.partner_id);
    assert.equal(placed.status, 200);
    assert.equal(placed.path, '/api/v1/orders');
    assert.equal(access.find((line) => line.operationId === 'listOrders')?.path, '/api/v1/orders', 'no query string');
    assert.equal(typeof placed.ms, 'number');
    assert.equal(access.find((line) => line.operationId === 'listWallets')?.errorCode, 'E_UNAUTHORIZED');
    assert.ok(access.some((line) => line.operationId === 'createPartner' && line.partnerId === null));
    assert.ok(access.some((line) => line.path === '/healthz'));

    const log = JSON.stringify(ts.logLines);
    const codes = (read.body.items as { voucher?: { code?: string; pin?: string | null } }[]).flatMap((item) => [item.voucher?.code, item.voucher?.pin]).filter(Boolean);
    assert.ok(codes.length > 0, 'the order has a voucher code to look for');
    const secrets = [partner.partner.api_secret, webhook.body.secret, ts.sandbox.adminToken, 'sk_test_wrong', ...codes] as string[];
    for (const secret of secrets) assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 8)}…`);
    assert.doesNotMatch(log, /v1=[0-9a-f]{64}/, 'no signature');
    ts.assertConforming();
  } finally {
    await ts.close();
  }
});
