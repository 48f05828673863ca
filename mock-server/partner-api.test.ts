/**
 * Every partner operation through real HTTP with the SDK, success and error paths, against one sandbox;
 * every response is checked against the spec (server-side validation on, plus the conformance validator).
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestSandbox } from './test-support/sandbox.ts';
import { apiFailure } from './test-support/api-failure.ts';

let ts: TestSandbox;
before(async () => {
  ts = await TestSandbox.start();
});
afterEach(() => ts.assertConforming());
after(() => ts.close());

// Google Play US (2001): USD 5–100, no stock until pumped; Amazon US (1001): USD, stocked.
const GOOGLE_PLAY = 2001;

describe('catalog', () => {
  test('categories and products: pagination headers, filters, JSON sort in any case', async () => {
    const { client } = await ts.partner();
    const categories = await client.v1.categories.list({ limit: 2 });
    assert.equal(categories.items.length, 2);
    assert.equal(categories.pagination.per_page, 2);
    assert.ok(categories.pagination.total_count >= 2);

    const page = await client.v1.products.list({ currency: 'USD', limit: 5, page: 2 });
    assert.equal(page.pagination.page, 2);
    assert.equal(page.pagination.page_size, page.items.length);
    assert.ok(page.items.every((p) => p.currency === 'USD'));

    const sorted = await client.v1.products.list({ sort: { field: 'name', direction: 'asc' as 'ASC' }, limit: 20 });
    const names = sorted.items.map((p) => p.name);
    assert.deepEqual(names, [...names].sort(), 'by name, ascending');

    const bad = await apiFailure(client.v1.products.list({ limit: 0 }));
    assert.equal(bad.status, 400);
    assert.equal(bad.code, 'E_VALIDATION_FAILURE');
    assert.ok((bad.messages ?? []).length > 0);
  });

  test('a product, its availability (live delivery_time) and charges; unknown products are 404', async () => {
    const { client } = await ts.partner();
    const product = await client.v1.products.get(GOOGLE_PLAY);
    assert.equal(product.id, GOOGLE_PLAY);

    const cold = await client.v1.products.checkAvailability(GOOGLE_PLAY, { denomination: 11, quantity: 1 });
    assert.equal(cold.delivery_time, 'DELAYED');
    await ts.pump(GOOGLE_PLAY, '11.00', 'USD', 2);
    const warm = await client.v1.products.checkAvailability(GOOGLE_PLAY, { denomination: 11, quantity: 1 });
    assert.equal(warm.delivery_time, 'INSTANT');

    const charges = await client.v1.charges.calculate({ product_id: GOOGLE_PLAY, amount: '11.00', quantity: 2, currency: 'USD' });
    assert.equal(charges.delivery_time, 'INSTANT');

    assert.equal((await apiFailure(client.v1.products.get(999_999))).code, 'E_NOT_FOUND');
    assert.equal((await apiFailure(client.v1.products.checkAvailability(999_999, { denomination: 10, quantity: 1 }))).status, 404);
    const invalid = await apiFailure(client.v1.charges.calculate({ product_id: GOOGLE_PLAY, amount: '11.001', quantity: 1 }));
    assert.equal(invalid.code, 'E_VALIDATION_FAILURE');
  });
});

describe('orders', () => {
  test('cache hit → DELIVERED with vouchers; miss → PENDING; some units → PARTIALLY_DELIVERED; > 50 → bulk PENDING/INITIAL', async () => {
    const { client } = await ts.partner();
    await ts.pump(GOOGLE_PLAY, '12.00', 'USD', 3);

    const delivered = await client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '12.00', quantity: 2, currency: 'USD' });
    assert.equal(delivered.status, 'DELIVERED');
    assert.equal(delivered.sub_status, 'INVENTORY_FULFILLED');
    assert.equal(delivered.fulfilled_from_cache, 2);
    assert.ok(delivered.items.every((item) => item.voucher?.code));

    const partial = await client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '12.00', quantity: 3, currency: 'USD' });
    assert.equal(partial.status, 'PARTIALLY_DELIVERED');
    assert.equal(partial.sub_status, 'PARTIAL');
    assert.equal(partial.pending_items, 2);

    const pending = await client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '12.00', quantity: 1, currency: 'USD' });
    assert.equal(pending.status, 'PENDING');
    assert.equal(pending.sub_status, 'VENDOR_ORDER_PENDING');

    const bulk = await client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '5.00', quantity: 51, currency: 'USD' });
    assert.equal(bulk.status, 'PENDING');
    assert.equal(bulk.sub_status, 'INITIAL');
    assert.deepEqual(bulk.items, []);

    const fetched = await client.v1.orders.get(delivered.id);
    assert.deepEqual(
      fetched.items.map((item) => item.voucher?.code),
      delivered.items.map((item) => item.voucher?.code),
      'vouchers are decrypted on read',
    );
  });

  test('errors: insufficient funds 422, unknown product 404, invalid body 400, unknown order 404, another partner cannot see it', async () => {
    const { client } = await ts.partner({ wallets: [{ currency: 'USD', balance: '5.00' }] });
    const poor = await apiFailure(client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '50.00', quantity: 1, currency: 'USD' }));
    assert.equal(poor.status, 422);
    assert.equal(poor.code, 'E_INSUFFICIENT_FUNDS');
    assert.equal((await apiFailure(client.v1.orders.create({ product_id: 999_999, amount: '5.00', quantity: 1 }))).status, 404);
    const invalid = await apiFailure(client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: 'five', quantity: 0 }));
    assert.equal(invalid.code, 'E_VALIDATION_FAILURE');
    assert.equal((invalid.messages ?? []).length, 2);
    assert.equal((await apiFailure(client.v1.orders.get('ord_01KP5JHE5RPHMY8VB485T2M51E'))).code, 'E_NOT_FOUND');
    assert.equal((await apiFailure(client.v1.orders.get('not-an-order-id'))).code, 'E_VALIDATION_FAILURE');

    const { client: other } = await ts.partner();
    const mine = await other.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '5.00', quantity: 1, currency: 'USD' });
    assert.equal((await apiFailure(client.v1.orders.get(mine.id))).code, 'E_NOT_FOUND');
  });

  test('listing: status filter in any case, product filter, pagination', async () => {
    const { client } = await ts.partner();
    await client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '6.00', quantity: 1, currency: 'USD' });
    await client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '6.00', quantity: 1, currency: 'USD' });
    await client.v1.orders.create({ product_id: 1001, amount: '25.00', quantity: 1, currency: 'USD' });

    const pending = await client.v1.orders.list({ status: 'pending' as 'PENDING' });
    assert.equal(pending.items.length, 2);
    assert.ok(pending.items.every((o) => o.status === 'PENDING'));
    const mixedCase = await client.v1.orders.list({ status: 'Pending' as 'PENDING', limit: 1 });
    assert.equal(mixedCase.pagination.total_count, 2);
    assert.equal(mixedCase.pagination.has_more, true);
    const byProduct = await client.v1.orders.list({ product_id: 1001 });
    assert.equal(byProduct.items.length, 1);
    const all = [];
    for await (const order of client.v1.orders.listAll({ limit: 2 })) all.push(order);
    assert.equal(all.length, 3);
  });

  test('simulateOrder is planned: 404 E_FEATURE_DISABLED until ORDER_SIMULATION is on', async () => {
    const { client } = await ts.partner();
    const body = { product_id: GOOGLE_PLAY, amount: '5.00', quantity: 1, currency: 'USD' };
    const disabled = await apiFailure(client.v1.orders.simulate(body));
    assert.equal(disabled.status, 404);
    assert.equal(disabled.code, 'E_FEATURE_DISABLED');
    await ts.admin('PATCH', '/settings', { feature_flags: { order_simulation: true } });
    try {
      const simulation = await client.v1.orders.simulate(body);
      assert.equal(typeof simulation, 'object');
      const wallets = await client.v1.wallets.list();
      assert.equal(wallets.items.find((w) => w.currency === 'USD')?.balance, '1000.00', 'a simulation moves no money');
    } finally {
      await ts.admin('PATCH', '/settings', { feature_flags: { order_simulation: false } });
    }
  });
});

describe('operator actions', () => {
  test('retry after a pump, vendor fulfillment, cancel with refund, fail; wrong state 409, unknown order 404', async () => {
    const { client } = await ts.partner();
    const order = (amount: string) => client.v1.orders.create({ product_id: GOOGLE_PLAY, amount, quantity: 1, currency: 'USD' });

    const toRetry = await order('7.00');
    await ts.pump(GOOGLE_PLAY, '7.00', 'USD', 1);
    const retried = await ts.admin('POST', `/orders/${toRetry.id}/retry`);
    assert.equal(retried.status, 'DELIVERED');
    assert.equal((await client.v1.orders.get(toRetry.id)).status, 'DELIVERED');

    const toVendor = await order('8.00');
    const vendored = await ts.admin('POST', `/orders/${toVendor.id}/fulfill-from-vendor`, { vendor: 'pinelabs' });
    assert.equal(vendored.status, 'DELIVERED');
    assert.equal(vendored.sub_status, 'VENDOR_VOUCHER_FETCHED');

    const before = (await client.v1.wallets.list()).items.find((w) => w.currency === 'USD')!.balance;
    const toCancel = await order('9.00');
    const cancelled = await ts.admin('POST', `/orders/${toCancel.id}/cancel`, { reason: 'Could not be sourced.' });
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal(cancelled.sub_status, 'REFUNDED');
    const afterRefund = (await client.v1.wallets.list()).items.find((w) => w.currency === 'USD')!.balance;
    assert.equal(afterRefund, before, 'the cancel refunded the debit');
    const refunds = await client.v1.transactions.list({ type: 'refund' as 'REFUND', order_id: toCancel.id });
    assert.equal(refunds.items.length, 1);

    const again = await ts.control('POST', `/orders/${toCancel.id}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'E_INVALID_ORDER_STATE');

    const toFail = await order('9.50');
    assert.equal((await ts.admin('POST', `/orders/${toFail.id}/fail`, { reason: 'Vendor rejected it.' })).status, 'FAILED');

    const unknown = await ts.control('POST', '/orders/ord_01KP5JHE5RPHMY8VB485T2M51E/retry');
    assert.equal(unknown.status, 404);
  });
});

describe('money', () => {
  test('wallets and transactions: debit at placement, filters in any case, funding', async () => {
    const { client, partner } = await ts.partner();
    const order = await client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '10.00', quantity: 1, currency: 'USD' });
    const usd = (await client.v1.wallets.list()).items.find((w) => w.currency === 'USD')!;
    assert.equal(Number(usd.balance), 1000 - Number(order.total_amount));

    const debits = await client.v1.transactions.list({ type: 'Debit' as 'DEBIT' });
    assert.equal(debits.items.length, 1);
    assert.equal(debits.items[0]?.order_id, order.id);

    const funded = await ts.admin('POST', `/partners/${partner.partner_id}/wallets/fund`, { currency: 'GBP', amount: '50.00' });
    assert.equal(funded.wallet.balance, '50.00');
    const credits = await client.v1.transactions.list({ currency: 'GBP' });
    assert.deepEqual(credits.items.map((t) => t.type), ['CREDIT']);
    const missing = await ts.control('POST', '/partners/ptr_01KP5JFKJRHZ9SB1SVVD0X1QTN/wallets/fund', { currency: 'USD', amount: '1.00' });
    assert.equal(missing.status, 404);
  });
});

describe('webhooks', () => {
  test('register (201, then 200 on the same URL), list, update with a lowercase status, rotate, delete; unknown ids 404', async () => {
    const { client } = await ts.partner();
    const created = await client.v1.webhooks.upsert({ url: 'https://partner.example/hooks', events: ['order.delivered'] });
    assert.match(created.secret, /^whsec_/);
    const updated = await client.v1.webhooks.upsert({ url: 'https://partner.example/hooks', events: ['order.delivered', 'order.pending'] });
    assert.equal(updated.id, created.id);

    const listed = await client.v1.webhooks.list();
    assert.deepEqual(listed.items.map((w) => w.id), [created.id]);

    const disabled = await client.v1.webhooks.update(created.id, {
      url: 'https://partner.example/hooks2',
      events: ['ORDER.CANCELLED' as 'order.cancelled'],
      status: 'disabled' as 'DISABLED',
    });
    assert.equal(disabled.status, 'DISABLED');
    assert.deepEqual(disabled.events, ['order.cancelled']);

    const rotated = await client.v1.webhooks.rotateSecret(created.id);
    assert.notEqual(rotated.secret, created.secret);

    await client.v1.webhooks.delete(created.id);
    assert.equal((await apiFailure(client.v1.webhooks.delete(created.id))).code, 'E_NOT_FOUND');
    assert.equal((await apiFailure(client.v1.webhooks.rotateSecret('wh_01KP5KCX2R5Y2MSQW3MJAKYNFG'))).status, 404);
    assert.equal((await apiFailure(client.v1.webhooks.upsert({ url: 'not a url', events: ['order.delivered'] }))).status, 400);
  });

  test('the webhook delivery log is empty until delivery exists; replay finds nothing', async () => {
    const deliveries = await ts.control('GET', '/webhook-deliveries');
    assert.equal(deliveries.status, 200);
    assert.deepEqual(deliveries.body, []);
    assert.equal(deliveries.headers.get('x-total-count'), '0');
    assert.equal((await ts.control('POST', '/webhook-deliveries/dlv_01KP5KZ70RZGZ351G3XWVTP42Y/replay')).status, 404);
  });
});

describe('reconciliation', () => {
  test('planned: 404 E_FEATURE_DISABLED until RECONCILIATION_API is on', async () => {
    const { client } = await ts.partner();
    assert.equal((await apiFailure(client.v1.reconciliation.get('2026-04-14'))).code, 'E_FEATURE_DISABLED');
    await ts.admin('PATCH', '/settings', { feature_flags: { reconciliation_api: true } });
    try {
      const report = await client.v1.reconciliation.get(ts.sandbox.engine.clock.now().toISOString().slice(0, 10));
      assert.equal(typeof report, 'object');
      assert.equal((await apiFailure(client.v1.reconciliation.get('14-04-2026'))).code, 'E_VALIDATION_FAILURE');
    } finally {
      await ts.admin('PATCH', '/settings', { feature_flags: { reconciliation_api: false } });
    }
  });
});

describe('faults', () => {
  test('HTTP_ERROR answers the armed status with Retry-After and runs nothing; UNKNOWN_FIELDS / UNKNOWN_ENUM reach the client', async () => {
    const { client, partner } = await ts.partner();
    await ts.admin('POST', '/faults', { operation_id: 'createOrder', partner_id: partner.partner_id, kind: 'HTTP_ERROR', status: 503, retry_after: 2 });
    const body = { product_id: GOOGLE_PLAY, amount: '5.00', quantity: 1, currency: 'USD' };
    const unavailable = await apiFailure(client.v1.orders.create(body, { idempotencyKey: 'fault-key-1' }));
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.code, 'E_SERVICE_UNAVAILABLE');
    assert.equal((await client.v1.orders.list()).items.length, 0, 'nothing was placed');
    const placed = await client.v1.orders.create(body, { idempotencyKey: 'fault-key-1' });
    assert.equal(placed.status, 'PENDING', 'the same key works once the fault is spent');

    await ts.admin('POST', '/faults', { operation_id: 'getOrder', kind: 'UNKNOWN_ENUM' });
    await ts.admin('POST', '/faults', { path: `/api/v1/orders/${placed.id}`, kind: 'UNKNOWN_FIELDS' });
    await ts.withoutSpecCheck(async () => {
      const odd = await client.v1.orders.get(placed.id);
      assert.equal(odd.status as string, 'SANDBOX_UNKNOWN_VALUE');
      const extra = (await client.v1.orders.get(placed.id)) as unknown as Record<string, unknown>;
      assert.ok('sandbox_unknown_field' in extra);
    });
    assert.equal((await client.v1.orders.get(placed.id)).status, 'PENDING', 'faults are one-shot');
  });
});
