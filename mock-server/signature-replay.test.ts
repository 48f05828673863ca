/**
 * Regression (issue 18): one signed POST /orders sent three times within the window with Idempotency-Keys
 * replay-A, -B, -C made three orders and three debits, the request log saying PASS / NEW each time; a
 * replayed rotate-secret rotated again and handed the new whsec_ to whoever replayed it. A signature already
 * used is now 401 E_SIGNATURE_REPLAYED, except for the exact retry with the same Idempotency-Key, which gets
 * the stored replay.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { signRequest } from '@starship/sdk';
import { TestSandbox, type TestPartner } from './test-support/sandbox.ts';

let ts: TestSandbox;
before(async () => {
  ts = await TestSandbox.start();
});
afterEach(() => ts.assertConforming());
after(() => ts.close());

/** The same signed request, sent again as captured, with these extra headers. */
function captured(partner: TestPartner, method: string, path: string, body = '') {
  const signed = signRequest({ secret: partner.partner.api_secret, timestamp: Math.floor(Date.now() / 1000), method, path, body }).headers;
  return (headers: Record<string, string> = {}) =>
    ts.fetch(`${ts.sandbox.origin}${path}`, {
      method,
      headers: { 'X-API-Key': partner.partner.api_key, 'X-API-Secret': partner.partner.api_secret, ...signed, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      ...(body ? { body } : {}),
    });
}

test('an order signature sent again with other Idempotency-Keys is 401 E_SIGNATURE_REPLAYED: one order, one debit', async () => {
  const partner = await ts.partner();
  const send = captured(partner, 'POST', '/api/v1/orders', JSON.stringify({ product_id: 1001, amount: '10.00', quantity: 1 }));
  const first = await send({ 'Idempotency-Key': 'replay-A' });
  assert.equal(first.status, 200);
  for (const key of ['replay-B', 'replay-C']) {
    const again = await send({ 'Idempotency-Key': key });
    assert.equal(again.status, 401, key);
    assert.equal(((await again.json()) as any).error.code, 'E_SIGNATURE_REPLAYED');
  }
  const retry = await send({ 'Idempotency-Key': 'replay-A' });
  assert.equal(retry.status, 200, 'the exact retry with the same key');
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');

  const orders = await partner.call('GET', '/api/v1/orders');
  assert.equal(orders.body.length, 1);
  const debits = (await partner.call('GET', '/api/v1/transactions?type=DEBIT')).body;
  assert.equal(debits.length, 1);

  const log = await ts.admin<any[]>('GET', `/requests?partner_id=${partner.partner.partner_id}&operation_id=createOrder&limit=10`);
  const verdicts = log.map((entry) => `${entry.status} ${entry.verdicts.signature.result} ${entry.verdicts.signature.reason?.split(':')[0] ?? ''}`.trim()).sort();
  assert.deepEqual(verdicts, ['200 PASS', '200 PASS EXACT_RETRY', '401 FAIL REPLAYED', '401 FAIL REPLAYED']);
});

test('a replayed rotate-secret does not rotate again; a write without a key cannot be repeated at all', async () => {
  const partner = await ts.partner();
  const created = await partner.call('POST', '/api/v1/webhooks', {
    body: JSON.stringify({ url: 'https://hooks.example.com/replay', events: ['order.delivered'] }),
    headers: { 'Idempotency-Key': 'replay-webhook' },
  });
  const path = `/api/v1/webhooks/${created.body.id}/rotate-secret`;
  const rotate = captured(partner, 'POST', path);
  const first = await rotate();
  assert.equal(first.status, 200);
  const rotated = ((await first.json()) as any).secret as string;
  const again = await rotate();
  assert.equal(again.status, 401);
  const body = await again.text();
  assert.equal(JSON.parse(body).error.code, 'E_SIGNATURE_REPLAYED');
  assert.ok(!body.includes('whsec_'), 'no secret handed out');
  const withKey = await rotate({ 'Idempotency-Key': 'late-key' });
  assert.equal(withKey.status, 401, 'a key added on the replay makes no exact retry');
  const list = await partner.call('GET', '/api/v1/webhooks');
  assert.equal(list.status, 200);
  // A body of its own: the same body signed in the same second as the first upsert would be that signature again.
  const deliveredSecret = (await partner.call('POST', '/api/v1/webhooks', {
    body: JSON.stringify({ url: 'https://hooks.example.com/replay', events: ['order.delivered'], description: 'read back' }),
    headers: { 'Idempotency-Key': 'replay-webhook-2' },
  })).body.secret;
  assert.equal(deliveredSecret, rotated, 'the secret is still the one the first rotation made');
});
