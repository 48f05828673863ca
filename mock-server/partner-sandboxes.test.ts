/**
 * Issue 17: two partners share one sandbox process (`starship mock`, as hosted) and drive it with their own
 * credentials only. A advances its clock two days, arms faults and drains its voucher pool; B's orders,
 * timestamps, stock, request log and signed writes are exactly as if A did nothing. A's correctly signed
 * writes still pass (signature windows are real time), and A's webhook signatures carry real time while its
 * events carry its own clock.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStarshipClient, createStarshipTestHelpers, verifyWebhook } from '@starship/sdk';
import { SandboxClient, type Credentials } from '../reliability/http.ts';
import { spawnSandbox } from '../reliability/sandbox-process.ts';
import { TestReceiver } from './test-support/webhook-receiver.ts';
import { apiFailure } from './test-support/api-failure.ts';

const TWO_DAYS = 2 * 86_400;
const AMAZON = { product_id: 1001, amount: '25.00' };

function partnerClients(origin: string, partner: Credentials) {
  const options = { baseUrl: `${origin}/api/v1`, apiKey: partner.api_key, apiSecret: partner.api_secret, maxAttempts: 1 };
  return { api: createStarshipClient(options), helpers: createStarshipTestHelpers(options) };
}

test('two partners on one sandbox process: nothing A does changes what B sees', { timeout: 60_000 }, async (t) => {
  const sandbox = await spawnSandbox({ db: ':memory:' });
  t.after(() => sandbox.kill('SIGTERM'));
  const operator = new SandboxClient(sandbox.origin, sandbox.adminToken);
  t.after(() => operator.agent.destroy());
  const wallets = [{ currency: 'USD', balance: '5000.00' }];
  const a = partnerClients(sandbox.origin, await operator.createPartner({ wallets }));
  const bPartner = await operator.createPartner({ wallets });
  const b = partnerClients(sandbox.origin, bPartner);
  const receiver = await TestReceiver.start();
  t.after(() => receiver.close());
  const hook = await a.api.v1.webhooks.upsert({ url: receiver.url, events: ['order.delivered', 'order.pending'] });

  // A moves its own clock two days on, arms a fault on its createOrder, and empties its Amazon 25.00 pool.
  assert.ok((await a.helpers.clock.advance(TWO_DAYS)).offset_seconds >= TWO_DAYS);
  const drained = await a.api.v1.orders.create({ ...AMAZON, quantity: 50 });
  assert.deepEqual([drained.status, drained.items.length], ['DELIVERED', 50], 'the seeded pool held 50');
  assert.equal((await a.api.v1.products.checkAvailability(1001, { denomination: 25, quantity: 1 })).delivery_time, 'DELAYED');
  await a.helpers.faults.inject({ target: 'REQUEST', operation_id: 'createOrder', status: 503, count: 3 });
  await a.helpers.faults.inject({ target: 'WEBHOOK', kind: 'DUPLICATE', count: 3 });

  // B: its own full pool, real time, no fault, correctly signed writes accepted.
  assert.equal((await b.api.v1.products.checkAvailability(1001, { denomination: 25, quantity: 1 })).delivery_time, 'INSTANT');
  const bOrder = await b.api.v1.orders.create({ ...AMAZON, quantity: 1 });
  assert.deepEqual([bOrder.status, bOrder.sub_status], ['DELIVERED', 'INVENTORY_FULFILLED']);
  assert.ok(Math.abs(Date.parse(bOrder.created_at) - Date.now()) < 10_000, `B's order is dated now, not two days on: ${bOrder.created_at}`);
  const bClock = await b.helpers.clock.get();
  assert.equal(bClock.offset_seconds, 0);
  const [bDebit] = (await b.api.v1.transactions.list({ order_id: bOrder.id })).items;
  assert.ok(Math.abs(Date.parse(bDebit!.created_at) - Date.now()) < 10_000);
  assert.deepEqual((await b.helpers.requests.list()).items.map((e) => e.operation_id), ['checkProductAvailability', 'createOrder', 'listTransactions']);

  // A's fault is A's: its next order is refused, B's next goes through.
  const faulted = await apiFailure(a.api.v1.orders.create({ ...AMAZON, quantity: 1 }));
  assert.equal(faulted.status, 503);
  assert.equal((await b.api.v1.orders.create({ ...AMAZON, quantity: 1 })).status, 'DELIVERED');

  // A's own writes stay valid on real time; its events are dated on its clock, their signatures on real time.
  assert.equal((await a.helpers.wallets.fund({ currency: 'USD', amount: '1.00' })).wallet.currency, 'USD');
  await a.helpers.events.trigger('order.pending');
  await receiver.until(() => receiver.received.some((r) => r.eventType === 'order.pending'), "A's order.pending delivery");
  const delivery = receiver.received.find((r) => r.eventType === 'order.pending')!;
  const event = verifyWebhook(delivery.body, String(delivery.headers['x-signature']), hook.secret) as { created_at: string };
  const signedAt = Number(/t=(\d+)/.exec(String(delivery.headers['x-signature']))![1]);
  assert.ok(Math.abs(signedAt - Date.now() / 1000) < 10, 'the webhook signature carries real time');
  assert.ok(Date.parse(event.created_at) - Date.now() > (TWO_DAYS - 60) * 1000, "the event is dated on A's clock");

  // Scoped strictly: A cannot touch B's order, and learns nothing about it.
  const pending = await b.api.v1.orders.create({ ...AMAZON, quantity: 1, reference: 'SANDBOX_FORCE_PENDING' });
  const stolen = await apiFailure(a.helpers.orders.deliver(pending.id));
  assert.deepEqual([stolen.status, stolen.code, stolen.message], [404, 'E_NOT_FOUND', `Order ${pending.id} not found.`]);
  assert.equal((await b.api.v1.orders.get(pending.id)).status, 'PENDING');
  assert.equal((await b.helpers.orders.deliver(pending.id)).status, 'DELIVERED');

  // The operator still acts on any partner, and reads any partner's clock.
  assert.ok((await operator.control.getClock({ query: { partner_id: bPartner.partner_id } })).offset_seconds < 60);
  assert.equal(sandbox.output().stderr.includes('"level":50'), false, sandbox.output().stderr);
});
