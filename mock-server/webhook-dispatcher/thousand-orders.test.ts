/**
 * Volume: 1,000 orders placed concurrently, then an inventory pump that auto-retries 200 of the PENDING ones
 * and 100 cancellations, against a receiver that fails about one first attempt in twenty. Every expected
 * event (one per order state change) arrives, none is lost, and no state change has two event ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestSandbox } from '../test-support/sandbox.ts';
import { TestReceiver, eventually } from '../test-support/webhook-receiver.ts';

const ORDERS = 1_000;
const FROM_CACHE = 600;
const RETRIED = 200;
const CANCELLED = 100;

async function inParallel<T>(count: number, width: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await run(i);
      }
    }),
  );
  return results;
}

test('1,000 orders: every expected event delivered, none lost, none split into two events', async () => {
  const sandbox = await TestSandbox.start();
  const receiver = await TestReceiver.start();
  try {
    const unlimited = { product_list: 1e6, product_details: 1e6, orders: 1e6, default: 1e6, burst: 1e6 };
    const { partner, client } = await sandbox.partner({ wallets: [{ currency: 'USD', balance: '100000.00' }], rate_limit_overrides: unlimited });
    await client.v1.webhooks.upsert({ url: receiver.url, events: ['order.pending', 'order.delivered', 'order.cancelled'] });
    const failedOnce = new Set<string>();
    receiver.answer = (delivery) => {
      if (!failedOnce.has(delivery.eventId) && Number.parseInt(delivery.eventId.slice(-2), 32) % 20 === 0) {
        failedOnce.add(delivery.eventId);
        return 500;
      }
      return 204;
    };
    await sandbox.pump(1001, '25.00', 'USD', FROM_CACHE);

    // Orders and operator actions go through the engine, concurrently (the other tests use HTTP): the subject
    // here is the event path — outbox, dispatcher, receiver — at volume, within the test suite's time budget.
    const { engine } = sandbox.sandbox;
    const orders = await inParallel(ORDERS, 16, async (i) =>
      engine.placeOrder(
        partner.partner_id,
        i < FROM_CACHE
          ? { product_id: 1001, amount: '25.00', quantity: 1, currency: 'USD' }
          : { product_id: 2001, amount: '10.00', quantity: 1, currency: 'USD', reference: `SANDBOX_FORCE_PENDING:${i}` },
      ),
    );
    const expected = new Set(orders.map((o) => `${o.id} ${o.status === 'DELIVERED' ? 'order.delivered' : 'order.pending'}`));
    assert.equal(orders.filter((o) => o.status === 'DELIVERED').length, FROM_CACHE);

    await engine.updateSettings({ disable_auto_order_retry: false });
    const pumped = await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: RETRIED });
    assert.equal(pumped.retried_order_ids.length, RETRIED);
    for (const id of pumped.retried_order_ids) expected.add(`${id} order.delivered`);
    const stillPending = orders.filter((o) => o.status === 'PENDING' && !pumped.retried_order_ids.includes(o.id)).slice(0, CANCELLED);
    await inParallel(stillPending.length, 8, async (i) => engine.cancelOrder(stillPending[i]!.id, {}));
    for (const o of stillPending) expected.add(`${o.id} order.cancelled`);
    assert.equal(expected.size, ORDERS + RETRIED + CANCELLED);

    // Every first attempt made and recorded, then the failed ones' retries (due within 30 s on the sandbox clock).
    await eventually(async () => (await sandbox.control('GET', '/webhook-deliveries?status=PENDING&limit=1')).headers.get('x-total-count') === '0', 'every first attempt', 30_000);
    await sandbox.admin('POST', '/clock/advance', { seconds: 30 });
    await receiver.until(() => receiver.eventIds().size === expected.size && receiver.received.length >= expected.size + failedOnce.size, 'every event', 30_000);
    assert.ok(failedOnce.size > 0, 'some first attempts failed');


    const log = await eventually(async () => {
      const list = await sandbox.admin('GET', '/webhook-deliveries?limit=10000');
      return list.every((d: any) => d.status === 'SUCCEEDED') && list;
    }, 'every delivery SUCCEEDED');
    assert.equal(log.length, expected.size);
    const byChange = new Map<string, Set<string>>();
    for (const d of log) {
      const change = `${d.payload.data.order_id} ${d.event_type}`;
      byChange.set(change, (byChange.get(change) ?? new Set()).add(d.event_id));
    }
    assert.deepEqual([...byChange.keys()].sort(), [...expected].sort(), 'exactly the expected state changes');
    for (const [change, ids] of byChange) assert.equal(ids.size, 1, `${change} has one event id`);

    const received = new Map<string, string>();
    for (const r of receiver.received) {
      const event = JSON.parse(r.body);
      const change = `${event.data.order_id} ${event.event_type}`;
      assert.equal(received.get(r.eventId) ?? change, change, 'an event id always names the same change');
      received.set(r.eventId, change);
    }
    assert.deepEqual(new Set(received.values()), expected, 'every expected event was received');
    sandbox.assertConforming();
  } finally {
    await sandbox.close();
    await receiver.close();
  }
});
