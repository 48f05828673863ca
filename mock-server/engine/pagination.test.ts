/** Regression (found by reliability/bad-input): a huge page number was a 500 (SQLite "datatype mismatch"). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageOf } from './pagination.ts';
import { backendTest } from '../test-support/engine.ts';

test('offsets stay safe integers however large the page', () => {
  assert.deepEqual(pageOf({ page: 3, limit: 10 }), { limit: 10, offset: 20 });
  for (const page of [1e308, 1e20, Number.MAX_SAFE_INTEGER]) {
    assert.ok(Number.isSafeInteger(pageOf({ page, limit: 10_000 }).offset), `page ${page}`);
  }
});

backendTest('a page far past the end of orders and transactions is empty, not an error', async (_t, engine) => {
  const { partner_id } = await engine.createPartner({ name: 'Pager', wallets: [{ currency: 'USD', balance: '10.00' }] });
  for (const page of [1e308, 1e20]) {
    assert.deepEqual(await engine.listOrders(partner_id, { page, limit: 10_000 }), { items: [], total: 0 });
    const transactions = await engine.listTransactions(partner_id, { page, limit: 10_000 });
    assert.deepEqual(transactions.items, []);
    assert.equal(transactions.total, 1);
  }
});
