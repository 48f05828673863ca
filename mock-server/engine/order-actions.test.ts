import assert from 'node:assert/strict';
import { backendTest, balanceOf, newPartner, rejectsWith } from '../test-support/engine.ts';

backendTest('retry fulfils pending units from the cache once it is pumped', async (_t, engine) => {
  const partner = await newPartner(engine);
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 3 });
  const unchanged = await engine.retryOrder(order.id);
  assert.equal(unchanged.status, 'PENDING');
  assert.equal(unchanged.timeline.length, 2, 'a retry that changes nothing adds no timeline entry');

  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 1 });
  const partial = await engine.retryOrder(order.id);
  assert.deepEqual([partial.status, partial.sub_status, partial.fulfilled_from_cache, partial.pending_items], ['PARTIALLY_DELIVERED', 'PARTIAL', 1, 2]);

  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 1 });
  await engine.advanceClock(60);
  const stillPartial = await engine.retryOrder(order.id);
  assert.deepEqual([stillPartial.status, stillPartial.fulfilled_from_cache, stillPartial.timeline.length], ['PARTIALLY_DELIVERED', 2, partial.timeline.length]);
  assert.ok(stillPartial.updated_at > partial.updated_at, 'delivering a unit updates the order');

  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 5 });
  const done = await engine.retryOrder(order.id);
  assert.deepEqual([done.status, done.sub_status, done.fulfilled_from_cache, done.pending_items], ['DELIVERED', 'INVENTORY_FULFILLED', 3, 0]);
  assert.equal(done.delivery_time, 'DELAYED');
  assert.equal(new Set(done.items.map((i) => i.voucher?.code)).size, 3);
  assert.deepEqual(await engine.getOrder(partner.partner_id, order.id), done);
  await rejectsWith(engine.retryOrder(order.id), 409, 'E_INVALID_ORDER_STATE');
  await rejectsWith(engine.retryOrder('ord_01KP5JHE5RPHMY8VB485T2M51E'), 404, 'E_NOT_FOUND');
});

backendTest('bulk: items are created on the first retry', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '10000.00' }]);
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 60 });
  const first = await engine.retryOrder(order.id);
  assert.equal(first.items.length, 60);
  assert.deepEqual([first.status, first.sub_status, first.pending_items], ['PENDING', 'VENDOR_ORDER_PENDING', 60]);
  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 60 });
  const done = await engine.retryOrder(order.id);
  assert.deepEqual([done.status, done.sub_status, done.fulfilled_from_cache], ['DELIVERED', 'INVENTORY_FULFILLED', 60]);
  assert.deepEqual(done.items.map((i) => i.id), first.items.map((i) => i.id));
});

backendTest('vendor fulfilment delivers every pending unit; a cached part stays cached', async (_t, engine) => {
  const partner = await newPartner(engine);
  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 1 });
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 3 });
  assert.equal(order.status, 'PARTIALLY_DELIVERED');
  const done = await engine.fulfillOrderFromVendor(order.id, { vendor: 'BAMBOO' });
  assert.deepEqual([done.status, done.sub_status, done.fulfilled_from_cache, done.pending_items], ['DELIVERED', 'VENDOR_VOUCHER_FETCHED', 1, 0]);
  assert.equal(done.timeline.at(-1)?.note, '1 units fulfilled from inventory, the rest by BAMBOO.');
  assert.ok(done.items.every((i) => i.voucher?.pin));
  await rejectsWith(engine.fulfillOrderFromVendor(order.id, {}), 409, 'E_INVALID_ORDER_STATE');

  const bulk = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 55 });
  const vendor = await engine.fulfillOrderFromVendor(bulk.id, {});
  assert.deepEqual([vendor.status, vendor.items.length, vendor.timeline.at(-1)?.note], ['DELIVERED', 55, 'Fulfilled by VOUCHERKART.']);
});

backendTest('cancel refunds the undelivered share and is guarded by state', async (_t, engine) => {
  const partner = await newPartner(engine);
  const pending = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 1 });
  assert.equal(await balanceOf(engine, partner.partner_id), '990.18');
  const cancelled = await engine.cancelOrder(pending.id, { reason: 'Voucher could not be sourced from any vendor.' });
  assert.deepEqual([cancelled.status, cancelled.sub_status], ['CANCELLED', 'REFUNDED']);
  assert.deepEqual(cancelled.items.map((i) => i.status), ['CANCELLED']);
  assert.equal(cancelled.timeline.at(-1)?.note, 'Voucher could not be sourced from any vendor.');
  assert.equal(await balanceOf(engine, partner.partner_id), '1000.00');
  const refunds = await engine.listTransactions(partner.partner_id, { type: 'refund' as 'REFUND' });
  assert.deepEqual(refunds.items.map((t) => [t.amount, t.order_id, t.description]), [['9.82', pending.id, `Refund for cancelled order ${pending.id}`]]);
  await rejectsWith(engine.cancelOrder(pending.id, {}), 409, 'E_INVALID_ORDER_STATE');

  await engine.pumpInventory({ product_id: 2001, amount: '50.00', currency: 'USD', count: 1 });
  const partial = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '50.00', quantity: 3 });
  assert.equal(partial.total_amount, '147.30');
  const partlyCancelled = await engine.cancelOrder(partial.id, {});
  assert.deepEqual(partlyCancelled.items.map((i) => i.status), ['DELIVERED', 'CANCELLED', 'CANCELLED']);
  assert.ok(partlyCancelled.items[0]?.voucher, 'the delivered unit keeps its voucher');
  assert.equal(partlyCancelled.timeline.at(-1)?.note, 'Cancelled by an operator; 98.20 USD refunded.');
  assert.equal(await balanceOf(engine, partner.partner_id), '950.90');

  const delivered = await engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1 });
  await rejectsWith(engine.cancelOrder(delivered.id, {}), 409, 'E_INVALID_ORDER_STATE');
});

backendTest('fail leaves the money debited; cancelling the failed order refunds it', async (_t, engine) => {
  const partner = await newPartner(engine);
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 2 });
  const failed = await engine.failOrder(order.id, { reason: 'PINELABS rejected the order.' });
  assert.deepEqual([failed.status, failed.sub_status], ['FAILED', 'NOT_REFUNDED']);
  assert.deepEqual(failed.items.map((i) => i.status), ['FAILED', 'FAILED']);
  assert.equal(await balanceOf(engine, partner.partner_id), '980.36');
  await rejectsWith(engine.failOrder(order.id, {}), 409, 'E_INVALID_ORDER_STATE');
  await rejectsWith(engine.retryOrder(order.id), 409, 'E_INVALID_ORDER_STATE');
  await rejectsWith(engine.fulfillOrderFromVendor(order.id, {}), 409, 'E_INVALID_ORDER_STATE');

  const refunded = await engine.cancelOrder(order.id, {});
  assert.deepEqual([refunded.status, refunded.sub_status], ['FAILED', 'REFUNDED']);
  assert.deepEqual(refunded.items.map((i) => i.status), ['FAILED', 'FAILED']);
  assert.equal(await balanceOf(engine, partner.partner_id), '1000.00');
  await rejectsWith(engine.cancelOrder(order.id, {}), 409, 'E_INVALID_ORDER_STATE');
});

backendTest('a pump retries open orders only when auto-retry is enabled', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '5000.00' }]);
  const older = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '20.00', quantity: 2 });
  const newer = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '20.00', quantity: 2 });
  const otherAmount = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '30.00', quantity: 1 });

  const off = await engine.pumpInventory({ product_id: 2001, amount: '20.00', currency: 'USD', count: 1 });
  assert.deepEqual([off.added, off.available, off.retried_order_ids], [1, 1, []]);
  assert.equal((await engine.getOrder(partner.partner_id, older.id)).status, 'PENDING');

  await engine.updateSettings({ disable_auto_order_retry: false });
  const on = await engine.pumpInventory({ product_id: 2001, amount: '20.00', currency: 'USD', count: 2 });
  assert.deepEqual(on.retried_order_ids, [older.id, newer.id]);
  assert.equal(on.available, 0);
  assert.equal((await engine.getOrder(partner.partner_id, older.id)).status, 'DELIVERED');
  assert.equal((await engine.getOrder(partner.partner_id, newer.id)).status, 'PARTIALLY_DELIVERED');
  assert.equal((await engine.getOrder(partner.partner_id, otherAmount.id)).status, 'PENDING');

  await engine.updateSettings({ allow_auto_vendor_fulfill: [2001] });
  const bulk = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '20.00', quantity: 60 });
  const vendor = await engine.pumpInventory({ product_id: 2001, amount: '20.00', currency: 'USD', count: 1 });
  assert.deepEqual(vendor.retried_order_ids, [newer.id, bulk.id]);
  const bulkAfter = await engine.getOrder(partner.partner_id, bulk.id);
  assert.deepEqual([bulkAfter.status, bulkAfter.sub_status, bulkAfter.items.length], ['DELIVERED', 'VENDOR_VOUCHER_FETCHED', 60]);
});

backendTest('pump validation', async (_t, engine) => {
  await engine.pumpInventory({ product_id: 1001, amount: '10.00', currency: 'usd', count: 1 });
  await rejectsWith(engine.pumpInventory({ product_id: 424242, amount: '10.00', currency: 'USD', count: 1 }), 404, 'E_NOT_FOUND');
  for (const body of [
    { product_id: 1001, amount: '5.00', currency: 'USD', count: 1 },
    { product_id: 1001, amount: '10.00', currency: 'EUR', count: 1 },
    { product_id: 1001, amount: '10.00', currency: 'USD', count: 0 },
    { product_id: 1001, amount: '10.00', currency: 'USD', count: 1, expiry: '14/04/2027' },
  ]) {
    await rejectsWith(engine.pumpInventory(body), 400, 'E_VALIDATION_FAILURE');
  }
});
