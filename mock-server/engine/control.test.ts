import assert from 'node:assert/strict';
import type { C } from '../engine.ts';
import { backendTest, balanceOf, logEntry, newPartner, rejectsWith } from '../test-support/engine.ts';

const frozen = { realNow: () => Date.UTC(2026, 3, 14, 23, 30, 0) };

backendTest('settings: defaults, partial patches, validation', async (_t, engine) => {
  assert.deepEqual(await engine.getSettings(), {
    disable_auto_order_retry: true,
    allow_auto_vendor_fulfill: [],
    feature_flags: { reconciliation_api: false, order_simulation: false, webhook_reconciliation_drift: false, webhook_wallet_balance_threshold: false },
  });
  await engine.updateSettings({ feature_flags: { order_simulation: true } });
  const patched = await engine.updateSettings({ allow_auto_vendor_fulfill: [2001, 2001, 1001], feature_flags: { reconciliation_api: true } });
  assert.deepEqual(patched, {
    disable_auto_order_retry: true,
    allow_auto_vendor_fulfill: [2001, 1001],
    feature_flags: { reconciliation_api: true, order_simulation: true, webhook_reconciliation_drift: false, webhook_wallet_balance_threshold: false },
  });
  assert.deepEqual(await engine.getSettings(), patched);
  await rejectsWith(engine.updateSettings({ allow_auto_vendor_fulfill: [5] }), 400, 'E_VALIDATION_FAILURE');
});

backendTest('the clock only moves forward and everything reads it', async (_t, engine) => {
  const partner = await newPartner(engine);
  assert.deepEqual(await engine.getClock(), { now: '2026-04-14T23:30:00.000Z', offset_seconds: 0, partner_id: null });
  assert.deepEqual(await engine.advanceClock(86_401), { now: '2026-04-15T23:30:01.000Z', offset_seconds: 86_401, partner_id: null });
  assert.equal(engine.clock.nowSeconds(), Date.UTC(2026, 3, 15, 23, 30, 1) / 1000);
  const order = await engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1 });
  assert.equal(order.created_at, '2026-04-15T23:30:01.000Z');
  assert.equal(order.items[0]?.voucher?.expiry, '2027-04-14', 'a voucher expires 12 months after it was stocked, not sold');
  for (const bad of [0, -5, 1.5, 31_536_001]) await rejectsWith(engine.advanceClock(bad), 400, 'E_VALIDATION_FAILURE');
}, frozen);

backendTest('faults are consumed one matching request at a time, oldest first', async (_t, engine) => {
  const partner = await newPartner(engine);
  const other = await newPartner(engine);
  const byOp = await engine.injectFault({ operation_id: 'createOrder', status: 503, count: 2 });
  assert.deepEqual(
    { ...byOp, fault_id: 'x', created_at: 'x' },
    { fault_id: 'x', operation_id: 'createOrder', path: null, partner_id: null, kind: 'HTTP_ERROR', status: 503, count: 2, remaining: 2, retry_after: null, delay_ms: null, created_at: 'x' },
  );
  const forPartner = await engine.injectFault({ path: '/api/v1/products', partner_id: partner.partner_id, kind: 'DELAY', delay_ms: 250 } as C['InjectFaultRequest']);
  assert.equal(forPartner.status, null);

  assert.equal(await engine.takeFault('listProducts', '/api/v1/products', other.partner_id), undefined);
  assert.equal((await engine.takeFault('listProducts', '/api/v1/products'))?.fault_id, undefined);
  const delay = await engine.takeFault('listProducts', '/api/v1/products', partner.partner_id);
  assert.deepEqual([delay?.fault_id, delay?.kind, delay?.delay_ms, delay?.remaining], [forPartner.fault_id, 'DELAY', 250, 0]);
  assert.equal(await engine.takeFault('listProducts', '/api/v1/products', partner.partner_id), undefined);

  assert.equal((await engine.takeFault('createOrder', '/api/v1/orders', partner.partner_id))?.remaining, 1);
  assert.equal((await engine.takeFault('createOrder', '/api/v1/orders'))?.remaining, 0);
  assert.equal(await engine.takeFault('createOrder', '/api/v1/orders'), undefined);

  await engine.injectFault({ operation_id: 'getOrder', path: '/api/v1/orders/ord_1', kind: 'UNKNOWN_ENUM' } as C['InjectFaultRequest']);
  assert.equal(await engine.takeFault('getOrder', '/api/v1/orders/ord_2'), undefined, 'both named targets must match');
  assert.equal((await engine.takeFault('getOrder', '/api/v1/orders/ord_1'))?.kind, 'UNKNOWN_ENUM');

  for (const body of [{ kind: 'HTTP_ERROR' }, { operation_id: 'getOrder', kind: 'DELAY' }, { operation_id: 'getOrder', kind: 'DELAY', delay_ms: 5, status: 500 }]) {
    await rejectsWith(engine.injectFault(body as C['InjectFaultRequest']), 400, 'E_VALIDATION_FAILURE');
  }
});

backendTest('the request log stores entries and lists them newest first with filters', async (_t, engine) => {
  const a = logEntry(1, 'ptr_01KP5JFKJRHZ9SB1SVVD0X1QTN', 'listProducts', '2026-04-14T08:00:00Z');
  const b = logEntry(2, null, null, '2026-04-14T08:00:01.500Z');
  const c = logEntry(3, 'ptr_01KP5JFKJRHZ9SB1SVVD0X1QTN', 'getProduct', '2026-04-14T08:00:02Z');
  for (const entry of [a, b, c]) await engine.logRequest(entry);
  const all = await engine.listRequests({});
  assert.deepEqual(all.items, [c, b, a]);
  assert.equal(all.total, 3);
  assert.deepEqual((await engine.listRequests({ partner_id: a.partner_id! })).items, [c, a]);
  assert.deepEqual((await engine.listRequests({ operation_id: 'listProducts' })).items, [a]);
  assert.deepEqual((await engine.listRequests({ trace_id: 'trace-2' })).items, [b]);
  assert.deepEqual((await engine.listRequests({ since: '2026-04-14T08:00:01Z' })).items, [c, b]);
  assert.deepEqual((await engine.listRequests({ limit: 1, page: 3 })).items, [a]);
  await rejectsWith(engine.listRequests({ since: 'soon' }), 400, 'E_VALIDATION_FAILURE');
});

backendTest('reconciliation is behind its flag and summarises the day', async (_t, engine) => {
  const partner = await newPartner(engine);
  await rejectsWith(engine.getReconciliation(partner.partner_id, '2026-04-14'), 404, 'E_FEATURE_DISABLED');
  await engine.updateSettings({ feature_flags: { reconciliation_api: true } });
  await engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 2 });
  await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 1 });
  await engine.placeOrder((await newPartner(engine)).partner_id, { product_id: 1001, amount: '25.00', quantity: 1 });
  await engine.advanceClock(3600); // past midnight: a new day
  await engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1 });
  const day = await engine.getReconciliation(partner.partner_id, '2026-04-14');
  assert.deepEqual(day, {
    date: '2026-04-14',
    summary: { orders_total: 2, vouchers_allocated: 2, matched: 2, drifted: 0, unmatched: 0 },
    drifts: [],
    generated_at: '2026-04-15T00:30:00.000Z',
  });
  assert.equal((await engine.getReconciliation(partner.partner_id, '2026-04-15')).summary.orders_total, 1);
  for (const bad of ['2026-4-14', '2026-02-30', 'today']) await rejectsWith(engine.getReconciliation(partner.partner_id, bad), 400, 'E_VALIDATION_FAILURE');
}, frozen);

backendTest('simulateOrder predicts without side effects, behind its flag', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '60.00' }]);
  const body = { product_id: 1001, amount: '25.00', quantity: 2 };
  await rejectsWith(engine.simulateOrder(partner.partner_id, body), 404, 'E_FEATURE_DISABLED');
  await engine.updateSettings({ feature_flags: { order_simulation: true } });
  assert.deepEqual(await engine.simulateOrder(partner.partner_id, body), {
    product_id: 1001,
    quantity: 2,
    predicted_status: 'DELIVERED',
    predicted_sub_status: 'INVENTORY_FULFILLED',
    fulfillable_from_cache: 2,
    delivery_time: 'INSTANT',
    total_amount: '48.75',
    currency: 'USD',
    sufficient_funds: true,
  });
  const cases: Array<[object, string, string, number, boolean]> = [
    [{ product_id: 1001, amount: '25.00', quantity: 3 }, 'DELIVERED', 'INVENTORY_FULFILLED', 3, false],
    [{ product_id: 2001, amount: '10.00', quantity: 1 }, 'PENDING', 'VENDOR_ORDER_PENDING', 0, true],
    [{ product_id: 1001, amount: '25.00', quantity: 60 }, 'PENDING', 'INITIAL', 0, false],
    [{ product_id: 1001, amount: '25.00', quantity: 1, reference: 'SANDBOX_FORCE_PARTIAL' }, 'x', 'x', 0, false],
    [{ product_id: 1001, amount: '25.00', quantity: 2, reference: 'SANDBOX_FORCE_PENDING' }, 'PENDING', 'VENDOR_ORDER_PENDING', 0, true],
    [{ product_id: 2001, amount: '10.00', quantity: 2, reference: 'SANDBOX_FORCE_PARTIAL' }, 'PARTIALLY_DELIVERED', 'PARTIAL', 1, true],
    [{ product_id: 2001, amount: '10.00', quantity: 1, reference: 'SANDBOX_FORCE_INSUFFICIENT_FUNDS' }, 'PENDING', 'VENDOR_ORDER_PENDING', 0, false],
    [{ product_id: 2001, amount: '10.00', quantity: 1, reference: 'SANDBOX_FORCE_FAIL' }, 'FAILED', 'NOT_REFUNDED', 0, true],
  ];
  for (const [request, status, subStatus, fromCache, funds] of cases) {
    const label = JSON.stringify(request);
    if (status === 'x') {
      await rejectsWith(engine.simulateOrder(partner.partner_id, request as typeof body), 400, 'E_VALIDATION_FAILURE');
      continue;
    }
    const sim = await engine.simulateOrder(partner.partner_id, request as typeof body);
    assert.deepEqual([sim.predicted_status, sim.predicted_sub_status, sim.fulfillable_from_cache, sim.sufficient_funds], [status, subStatus, fromCache, funds], label);
  }
  await engine.updateSettings({ allow_auto_vendor_fulfill: [2001] });
  const vendor = await engine.simulateOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 1 });
  assert.deepEqual([vendor.predicted_status, vendor.predicted_sub_status, vendor.delivery_time], ['DELIVERED', 'VENDOR_VOUCHER_FETCHED', 'INSTANT']);
  assert.equal(await balanceOf(engine, partner.partner_id), '60.00');
  assert.equal((await engine.listOrders(partner.partner_id, {})).total, 0);
  assert.equal((await engine.simulateOrder(partner.partner_id, body)).fulfillable_from_cache, 2, 'nothing was consumed');
});

backendTest('buffered request-log entries are listed before their batch is written, and reset wipes them', async (_t, engine) => {
  const written = [1, 2, 3].map((n) => engine.logRequest(logEntry(n, null, 'getProduct', `2026-04-14T08:00:0${n}Z`)));
  assert.equal((await engine.listRequests({})).total, 3);
  await Promise.all(written);
  void engine.logRequest(logEntry(4, null, 'getProduct', '2026-04-14T08:00:04Z'));
  await engine.resetSandbox();
  assert.equal((await engine.listRequests({})).total, 0);
});

backendTest('a batch of request-log entries larger than one multi-row insert is written whole and in order', async (_t, engine) => {
  const entries = Array.from({ length: 130 }, (_, i) => logEntry(i, null, 'getProduct', new Date(Date.UTC(2026, 3, 14, 8, 0, i)).toISOString()));
  await Promise.all(entries.map((entry) => engine.logRequest(entry)));
  const listed = await engine.listRequests({ limit: 200 });
  assert.equal(listed.total, 130);
  assert.deepEqual(listed.items, entries.toReversed());
});

backendTest('faults armed after a reset still fire', async (_t, engine) => {
  assert.equal(await engine.takeFault('createOrder', '/api/v1/orders'), undefined);
  await engine.injectFault({ operation_id: 'createOrder', count: 2 });
  await engine.resetSandbox();
  assert.equal(await engine.takeFault('createOrder', '/api/v1/orders'), undefined);
  await engine.injectFault({ operation_id: 'createOrder' });
  assert.equal((await engine.takeFault('createOrder', '/api/v1/orders'))?.remaining, 0);
  assert.equal(await engine.takeFault('createOrder', '/api/v1/orders'), undefined);
});

backendTest('reset wipes partner data with their pools and clocks, and restores defaults', async (_t, engine) => {
  const { db } = engine.context;
  const count = async (table: 'inventory_vouchers' | 'products') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const partner = await newPartner(engine);
  await engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 2 });
  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 5 });
  await engine.upsertWebhook(partner.partner_id, { url: 'https://x.example', events: ['order.delivered'] });
  await engine.claimIdempotencyKey({ partnerId: partner.partner_id, key: 'k', fingerprint: 'f' });
  await engine.injectFault({ operation_id: 'createOrder' });
  await engine.logRequest(logEntry(1, partner.partner_id, 'createOrder', '2026-04-14T08:00:00Z'));
  await engine.updateSettings({ disable_auto_order_retry: false, feature_flags: { order_simulation: true } });
  await engine.advanceClock(500);
  await engine.advanceClock(700, partner.partner_id);

  await engine.resetSandbox();
  assert.equal(await engine.findPartnerByApiKey(partner.api_key), undefined);
  assert.equal(await count('inventory_vouchers'), 0, 'every pool belonged to a partner');
  assert.equal((await db.selectFrom('inventory_seed').selectAll().execute()).length, 0);
  assert.equal(await count('products'), 200);
  for (const table of ['partners', 'orders', 'order_items', 'wallets', 'ledger_transactions', 'webhook_endpoints', 'idempotency_keys', 'faults', 'request_log'] as const) {
    const rows = await db.selectFrom(table).selectAll().execute();
    assert.equal(rows.length, 0, table);
  }
  assert.equal((await engine.getSettings()).disable_auto_order_retry, true);
  assert.equal((await engine.getSettings()).feature_flags.order_simulation, false);
  assert.equal((await engine.getClock()).offset_seconds, 0);
  const fresh = await newPartner(engine);
  assert.equal((await engine.getClock(fresh.partner_id)).offset_seconds, 0, 'a new partner starts at the sandbox clock');
  assert.equal((await engine.getProduct(fresh.partner_id, 1001)).delivery_time, 'INSTANT', 'with the initial stock');
  assert.equal((await engine.getProduct(fresh.partner_id, 2001)).delivery_time, 'DELAYED');
  assert.equal((await engine.placeOrder(fresh.partner_id, { product_id: 1001, amount: '25.00', quantity: 1 })).status, 'DELIVERED');
});
