/**
 * Regression (issue 18): funding a wallet past 9999999999999.99 (the largest 16-character DecimalAmount)
 * answered 500 but kept the credit, and the partner's /wallets and /transactions answered 500 from then on.
 * Every credit, refund or order that would leave the range is now a 422 with nothing written, whatever the
 * backend, and concurrent credits cannot pass the ceiling together.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestSandbox, type TestPartner } from './test-support/sandbox.ts';

const MAX = '9999999999999.99';
let ts: TestSandbox;
before(async () => {
  ts = await TestSandbox.start();
});
afterEach(() => ts.assertConforming());
after(() => ts.close());

async function ledger(partner: TestPartner) {
  const wallets = await partner.call('GET', '/api/v1/wallets');
  const transactions = await partner.call('GET', '/api/v1/transactions?limit=100');
  assert.equal(wallets.status, 200);
  assert.equal(transactions.status, 200);
  return { usd: wallets.body.find((w: { currency: string }) => w.currency === 'USD')?.balance, count: transactions.body.length };
}

test('a credit past the largest amount is 422 E_AMOUNT_OUT_OF_RANGE and writes nothing; reads keep answering', async () => {
  const partner = await ts.partner({ wallets: [{ currency: 'USD', balance: '9999999999900.00' }] });
  const id = partner.partner.partner_id;
  const toTheTop = await ts.control('POST', `/partners/${id}/wallets/fund`, { currency: 'USD', amount: '99.99' });
  assert.equal(toTheTop.status, 200);
  assert.equal(toTheTop.body.wallet.balance, MAX);
  const before = await ledger(partner);

  for (const amount of ['0.01', '9999999999999.99', '9999999999999999']) {
    const over = await ts.control('POST', `/partners/${id}/wallets/fund`, { currency: 'USD', amount });
    assert.equal(over.status, 422, amount);
    assert.equal(over.body.error.code, 'E_AMOUNT_OUT_OF_RANGE');
  }
  assert.deepEqual(await ledger(partner), before, 'the balance and the ledger are as they were');
});

test('concurrent credits that fit one at a time cannot pass the ceiling together', async () => {
  const partner = await ts.partner({ wallets: [{ currency: 'USD', balance: '9999999999000.00' }] });
  const id = partner.partner.partner_id;
  const replies = await Promise.all(Array.from({ length: 4 }, () => ts.control('POST', `/partners/${id}/wallets/fund`, { currency: 'USD', amount: '400.00' })));
  assert.deepEqual(replies.map((r) => r.status).sort(), [200, 200, 422, 422]);
  assert.equal((await ledger(partner)).usd, '9999999999800.00');
});

test('a refund that would pass the ceiling is refused: the order stays as it was, the wallet too', async () => {
  const partner = await ts.partner({ wallets: [{ currency: 'USD', balance: MAX }] });
  const id = partner.partner.partner_id;
  // Google Play US (2001) has no stock until pumped: the order stays PENDING, its 5.00 debited.
  const placed = await partner.call('POST', '/api/v1/orders', {
    body: JSON.stringify({ product_id: 2001, amount: '5.00', quantity: 1 }),
    headers: { 'Idempotency-Key': 'bounds-refund' },
  });
  assert.equal(placed.body.status, 'PENDING');
  await ts.admin('POST', `/partners/${id}/wallets/fund`, { currency: 'USD', amount: placed.body.total_amount });
  const before = await ledger(partner);

  const cancel = await ts.control('POST', `/orders/${placed.body.id}/cancel`, {});
  assert.equal(cancel.status, 422);
  assert.equal(cancel.body.error.code, 'E_AMOUNT_OUT_OF_RANGE');
  assert.equal((await partner.call('GET', `/api/v1/orders/${placed.body.id}`)).body.status, 'PENDING');
  assert.deepEqual(await ledger(partner), before);
});

test('an opening balance or a pumped amount beyond the range is a 422, not a 500', async () => {
  const partner = await ts.control('POST', '/partners', { name: 'Too rich', wallets: [{ currency: 'USD', balance: '9999999999999999' }] });
  assert.equal(partner.status, 422);
  assert.equal(partner.body.error.code, 'E_AMOUNT_OUT_OF_RANGE');
  const pump = await ts.control('POST', '/inventory/pump', { product_id: 2001, amount: '9999999999999999', currency: 'USD', count: 1 });
  assert.equal(pump.status, 422);
  assert.equal(pump.body.error.code, 'E_AMOUNT_OUT_OF_RANGE');
});
