/**
 * Regressions (issue 18) through the whole partner and control pipelines: ids are decimal, dates are real
 * calendar days, a query's unencoded `:` is legal, a JSON body says each thing once.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestSandbox } from './test-support/sandbox.ts';

let ts: TestSandbox;
before(async () => {
  ts = await TestSandbox.start();
});
afterEach(() => ts.assertConforming());
after(() => ts.close());

test('/products/0x7D1 is a 400, not product 2001', async () => {
  const { call } = await ts.partner();
  assert.equal((await call('GET', '/api/v1/products/2001')).status, 200);
  for (const id of ['0x7D1', '2001e0', '%202001']) {
    const reply = await call('GET', `/api/v1/products/${id}`);
    assert.equal(reply.status, 400, id);
    assert.equal(reply.body.error.code, 'E_VALIDATION_FAILURE');
  }
});

test('from/to with an unencoded ":" (what curl sends) are read on /orders and /transactions', async () => {
  const { call } = await ts.partner();
  for (const path of ['/api/v1/orders', '/api/v1/transactions']) {
    const reply = await call('GET', `${path}?from=2026-01-01T00:00:00Z&to=2999-01-01T00:00:00.000%2B00:00`);
    assert.equal(reply.status, 200, `${path}: ${JSON.stringify(reply.body)}`);
    const impossible = await call('GET', `${path}?from=2026-02-30T00:00:00Z`);
    assert.equal(impossible.status, 400, `${path}: 30 February`);
  }
});

test('pumpInventory refuses an expiry that is not a calendar day', async () => {
  const bad = await ts.control('POST', '/inventory/pump', { product_id: 2001, amount: '10.00', currency: 'USD', count: 1, expiry: '2027-02-30' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'E_VALIDATION_FAILURE');
  const good = await ts.control('POST', '/inventory/pump', { product_id: 2001, amount: '10.00', currency: 'USD', count: 1, expiry: '2028-02-29' });
  assert.equal(good.status, 200);
});

test('an order body with amount twice, or product_id 1e400, is a 400 and nothing is charged', async () => {
  const { call } = await ts.partner();
  const balance = async () => (await call('GET', '/api/v1/wallets')).body.find((w: { currency: string }) => w.currency === 'USD').balance;
  const before = await balance();
  const bodies = ['{"product_id":1001,"amount":"10.00","amount":"500.00","quantity":1}', '{"product_id":1e400,"amount":"10.00","quantity":1}'];
  for (const [i, body] of bodies.entries()) {
    const reply = await call('POST', '/api/v1/orders', { body, headers: { 'Idempotency-Key': `strict-${i}` } });
    assert.equal(reply.status, 400, body);
    assert.equal(reply.body.error.code, 'E_VALIDATION_FAILURE');
  }
  assert.equal(await balance(), before);
});
