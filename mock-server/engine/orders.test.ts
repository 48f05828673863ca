import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLedgerMatchesBalances, backendTest, balanceOf, newPartner, rejectsWith, startEngine } from '../test-support/engine.ts';

backendTest('cache hit: DELIVERED / INVENTORY_FULFILLED with vouchers, wallet debited', async (_t, engine) => {
  const partner = await newPartner(engine);
  const order = await engine.placeOrder(partner.partner_id, {
    product_id: 1001,
    amount: '25.00',
    quantity: 2,
    currency: 'USD',
    reference: 'INV-1',
    customer_info: { name: 'Ada Lovelace', email: 'ada@example.com' },
  });
  assert.equal(order.status, 'DELIVERED');
  assert.equal(order.sub_status, 'INVENTORY_FULFILLED');
  assert.equal(order.total_amount, '48.75');
  assert.equal(order.delivery_time, 'INSTANT');
  assert.equal(order.fulfilled_from_cache, 2);
  assert.equal(order.pending_items, 0);
  assert.deepEqual(order.customer_info, { name: 'Ada Lovelace', email: 'ada@example.com' });
  assert.deepEqual(order.timeline.map((e) => `${e.status}/${e.sub_status}`), ['PLACED/INITIAL', 'DELIVERED/INVENTORY_FULFILLED']);
  for (const item of order.items) {
    assert.equal(item.status, 'DELIVERED');
    assert.match(item.voucher?.code ?? '', /^AMZN-/);
    assert.match(item.voucher?.expiry ?? '', /^\d{4}-\d{2}-\d{2}$/);
  }
  assert.equal(await balanceOf(engine, partner.partner_id), '951.25');
  assert.deepEqual(await engine.getOrder(partner.partner_id, order.id), order);

  const { items: txns } = await engine.listTransactions(partner.partner_id, { order_id: order.id });
  assert.deepEqual(txns.map((t) => [t.type, t.amount, t.balance_after]), [['DEBIT', '48.75', '951.25']]);
  assert.equal(txns[0]!.description, `Order ${order.id} (2 × Amazon Gift Card - USD 25.00)`);
});

backendTest('cache miss: PENDING / VENDOR_ORDER_PENDING, debited, no vouchers', async (_t, engine) => {
  const partner = await newPartner(engine);
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 1 });
  assert.equal(order.status, 'PENDING');
  assert.equal(order.sub_status, 'VENDOR_ORDER_PENDING');
  assert.equal(order.currency, 'USD');
  assert.equal(order.total_amount, '9.82');
  assert.equal(order.delivery_time, 'DELAYED');
  assert.deepEqual(order.items.map((i) => [i.status, i.voucher]), [['PENDING', undefined]]);
  assert.equal(order.pending_items, 1);
  assert.equal(order.reference, null);
  assert.equal(order.customer_info, undefined);
  assert.equal(order.timeline.at(-1)?.note, 'No cached inventory; awaiting operator action.');
  assert.equal(await balanceOf(engine, partner.partner_id), '990.18');
});

backendTest('partial: the cache holds 1 of 3 units', async (_t, engine) => {
  const partner = await newPartner(engine);
  await engine.pumpInventory({ product_id: 2001, amount: '50.00', currency: 'USD', count: 1 });
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '50.00', quantity: 3 });
  assert.equal(order.status, 'PARTIALLY_DELIVERED');
  assert.equal(order.sub_status, 'PARTIAL');
  assert.deepEqual(order.items.map((i) => i.status), ['DELIVERED', 'PENDING', 'PENDING']);
  assert.match(order.items[0]!.voucher?.pin ?? '', /^\d{4}$/);
  assert.equal(order.fulfilled_from_cache, 1);
  assert.equal(order.pending_items, 2);
  assert.equal(order.timeline.at(-1)?.note, '1 of 3 units fulfilled from inventory; 2 awaiting inventory or operator action.');
});

backendTest('bulk (quantity > 50): PENDING / INITIAL with no items, full debit', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '5000.00' }]);
  const order = await engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 51 });
  assert.equal(order.status, 'PENDING');
  assert.equal(order.sub_status, 'INITIAL');
  assert.deepEqual(order.items, []);
  assert.equal(order.pending_items, 0);
  assert.equal(order.fulfilled_from_cache, 0);
  assert.equal(order.total_amount, '1243.12'); // 1275.00 − 31.875 rounded half-up to 31.88
  assert.equal(await balanceOf(engine, partner.partner_id), '3756.88');
});

backendTest('ALLOW_AUTO_VENDOR_FULFILL: a miss is fetched from the vendor at once', async (_t, engine) => {
  const partner = await newPartner(engine);
  await engine.updateSettings({ allow_auto_vendor_fulfill: [2001] });
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 2 });
  assert.equal(order.status, 'DELIVERED');
  assert.equal(order.sub_status, 'VENDOR_VOUCHER_FETCHED');
  assert.equal(order.delivery_time, 'INSTANT');
  assert.equal(order.fulfilled_from_cache, 0);
  assert.ok(order.items.every((i) => i.voucher?.code));
});

backendTest('settlement in another currency: FX fee and converted total from the matching wallet', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'EUR', balance: '100.00' }]);
  const charges = await engine.calculateCharges(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 2, currency: 'EUR' });
  assert.equal(charges.fx.rate, '0.92');
  assert.deepEqual(charges.fees.map((f) => [f.type, f.amount]), [['FX_FEE', '0.49']]);
  assert.equal(charges.total, '45.30'); // (48.75 + 0.49) × 0.92 = 45.3008
  const order = await engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 2, currency: 'eur' });
  assert.equal(order.currency, 'EUR');
  assert.equal(order.total_amount, charges.total);
  assert.equal(await balanceOf(engine, partner.partner_id, 'EUR'), '54.70');
});

backendTest('insufficient funds is 422 and leaves nothing behind', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '10.00' }]);
  const stockBefore = (await engine.pumpInventory({ product_id: 1001, amount: '25.00', currency: 'USD', count: 1 })).available;
  await rejectsWith(engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1 }), 422, 'E_INSUFFICIENT_FUNDS');
  await rejectsWith(engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1, currency: 'GBP' }), 422, 'E_INSUFFICIENT_FUNDS');
  assert.equal((await engine.listOrders(partner.partner_id, {})).total, 0);
  assert.equal(await balanceOf(engine, partner.partner_id), '10.00');
  const after = await engine.pumpInventory({ product_id: 1001, amount: '25.00', currency: 'USD', count: 1 });
  assert.equal(after.available, stockBefore + 1);
});

backendTest('validation: unknown product 404; amount, quantity and currency 400 with messages', async (_t, engine) => {
  const partner = await newPartner(engine);
  await rejectsWith(engine.placeOrder(partner.partner_id, { product_id: 999999, amount: '10.00', quantity: 1 }), 404, 'E_NOT_FOUND');
  const cases = [
    { product_id: 1001, amount: '5.00', quantity: 1 },
    { product_id: 1001, amount: '600.00', quantity: 1 },
    { product_id: 1001, amount: '10.001', quantity: 1 },
    { product_id: 1001, amount: '10.00', quantity: 0 },
    { product_id: 1001, amount: '10.00', quantity: 1001 },
    { product_id: 1001, amount: '10.00', quantity: 1, currency: 'JPY' },
  ];
  for (const body of cases) {
    await assert.rejects(engine.placeOrder(partner.partner_id, body), (error: { code: string; options: { messages?: string[] } }) => {
      assert.equal(error.code, 'E_VALIDATION_FAILURE');
      assert.equal(error.options.messages?.length, 1, JSON.stringify(body));
      return true;
    });
  }
  await assert.rejects(engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '5.00', quantity: 0, currency: 'XXX' }), (error: { options: { messages?: string[] } }) => {
    assert.equal(error.options.messages?.length, 3);
    assert.match(error.options.messages?.[0] ?? '', /amount 5\.00 is not offered for product 1001; denominations: 10\.00–500\.00 USD/);
    return true;
  });
});

const MAGIC: Array<[string, number, string, string, number]> = [
  // reference, quantity, status, sub_status, units delivered
  ['SANDBOX_FORCE_DELIVERED', 2, 'DELIVERED', 'INVENTORY_FULFILLED', 2],
  ['SANDBOX_FORCE_PARTIAL:inv-1', 3, 'PARTIALLY_DELIVERED', 'PARTIAL', 1],
  ['SANDBOX_FORCE_PENDING', 1, 'PENDING', 'VENDOR_ORDER_PENDING', 0],
  ['SANDBOX_FORCE_VENDOR', 2, 'DELIVERED', 'VENDOR_VOUCHER_FETCHED', 2],
  ['SANDBOX_FORCE_FAIL', 2, 'FAILED', 'NOT_REFUNDED', 0],
  ['SANDBOX_FORCE_CANCEL', 2, 'CANCELLED', 'REFUNDED', 0],
  ['SANDBOX_FORCE_PENDING', 60, 'PENDING', 'INITIAL', 0],
  ['SANDBOX_FORCE_FAIL', 60, 'FAILED', 'NOT_REFUNDED', 0],
];

backendTest('magic references force every path from the partner API alone', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '10000.00' }]);
  // 1001 at 25.00 has cached stock, 2001 at 10.00 has none: the outcome must not depend on it.
  for (const productId of [1001, 2001]) {
    for (const [reference, quantity, status, subStatus, delivered] of MAGIC) {
      const amount = productId === 1001 ? '25.00' : '10.00';
      const before = await balanceOf(engine, partner.partner_id);
      const order = await engine.placeOrder(partner.partner_id, { product_id: productId, amount, quantity, reference });
      const label = `${productId} ${reference} ×${quantity}`;
      assert.equal(order.status, status, label);
      assert.equal(order.sub_status, subStatus, label);
      assert.equal(order.items.filter((i) => i.voucher).length, delivered, label);
      assert.equal(order.reference, reference);
      const after = await balanceOf(engine, partner.partner_id);
      const spent = Math.round((Number(before) - Number(after)) * 100);
      assert.equal(spent, reference.startsWith('SANDBOX_FORCE_CANCEL') ? 0 : Math.round(Number(order.total_amount) * 100), label);
    }
  }
  await rejectsWith(engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1, reference: 'SANDBOX_FORCE_INSUFFICIENT_FUNDS' }), 422, 'E_INSUFFICIENT_FUNDS');
  await rejectsWith(engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1, reference: 'SANDBOX_FORCE_PARTIAL' }), 400, 'E_VALIDATION_FAILURE');
  const cancelled = (await engine.listOrders(partner.partner_id, { status: 'cancelled' as 'CANCELLED' })).items[0]!;
  const { items } = await engine.listTransactions(partner.partner_id, { order_id: cancelled.id });
  assert.deepEqual(items.map((t) => t.type).sort(), ['DEBIT', 'REFUND']);
});

backendTest('concurrent orders never share a voucher', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '100000.00' }]);
  await engine.pumpInventory({ product_id: 2001, amount: '20.00', currency: 'USD', count: 30 });
  const orders = await Promise.all(
    Array.from({ length: 25 }, () => engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '20.00', quantity: 2 })),
  );
  const codes = orders.flatMap((o) => o.items.flatMap((i) => (i.voucher ? [i.voucher.code] : [])));
  assert.equal(codes.length, 30);
  assert.equal(new Set(codes).size, 30);
  assert.equal(orders.filter((o) => o.status === 'DELIVERED').length, 15);
  const { db } = engine.context;
  const items = await db.selectFrom('order_items').select('voucher_id').where('voucher_id', 'is not', null).execute();
  assert.equal(new Set(items.map((i) => i.voucher_id)).size, items.length);
  const left = await db.selectFrom('inventory_vouchers').select('id').where('product_id', '=', 2001).where('status', '=', 'AVAILABLE').execute();
  assert.equal(left.length, 0);
});

backendTest('listOrders filters and pages, newest first, without vouchers', async (_t, engine) => {
  const partner = await newPartner(engine);
  const other = await newPartner(engine);
  const a = await engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1 });
  const b = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 1 });
  const c = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '15.00', quantity: 1 });
  await engine.placeOrder(other.partner_id, { product_id: 2001, amount: '10.00', quantity: 1 });

  const all = await engine.listOrders(partner.partner_id, {});
  assert.deepEqual(all.items.map((o) => o.id), [c.id, b.id, a.id]);
  assert.equal(all.total, 3);
  assert.ok(all.items.every((o) => o.items.every((i) => i.voucher === undefined)));
  assert.deepEqual((await engine.listOrders(partner.partner_id, { status: 'pending' as 'PENDING' })).items.map((o) => o.id), [c.id, b.id]);
  assert.deepEqual((await engine.listOrders(partner.partner_id, { product_id: 1001 })).items.map((o) => o.id), [a.id]);
  const page2 = await engine.listOrders(partner.partner_id, { page: 2, limit: 2 });
  assert.deepEqual([page2.items.map((o) => o.id), page2.total], [[a.id], 3]);
  assert.equal((await engine.listOrders(partner.partner_id, { from: '2999-01-01T00:00:00Z' })).total, 0);
  assert.equal((await engine.listOrders(partner.partner_id, { to: '2000-01-01T00:00:00Z' })).total, 0);
  await rejectsWith(engine.listOrders(partner.partner_id, { status: 'LOST' as never }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.listOrders(partner.partner_id, { from: 'yesterday' }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.getOrder(other.partner_id, a.id), 404, 'E_NOT_FOUND');
});

test('an expired voucher is never allocated', async (t) => {
  const engine = await startEngine(t, 'memory');
  const partner = await newPartner(engine);
  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 1, expiry: '2000-01-01' });
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 1 });
  assert.equal(order.status, 'PENDING');
  await assertLedgerMatchesBalances(engine);
});
