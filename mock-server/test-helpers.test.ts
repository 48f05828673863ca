/**
 * The test helpers through real HTTP with the SDK's test-helper client, against one sandbox: each operation,
 * its scoping (another partner's object is a 404 in the envelope, never a leak), its authentication (key,
 * secret, signature, allowlist) and its bad input; the event stream's resumption; every response checked
 * against the control spec. The cross-process scenarios are in partner-sandboxes.test.ts.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamedEvent } from '@starship/sdk';
import { starshipWebhookEventTypes } from '@starship/spec/starship-operations';
import { TestSandbox, type TestPartner } from './test-support/sandbox.ts';
import { apiFailure } from './test-support/api-failure.ts';

let ts: TestSandbox;
before(async () => {
  ts = await TestSandbox.start();
});
afterEach(() => ts.assertConforming());
after(() => ts.close());

const PENDING_ORDER = { product_id: 2001, amount: '10.00', quantity: 1, reference: 'SANDBOX_FORCE_PENDING' };

/** Collects `count` events of the partner's stream (starting as `after` says), then stops it. */
async function streamed(partner: TestPartner, count: number, start: () => Promise<unknown>, after?: number): Promise<StreamedEvent[]> {
  const controller = new AbortController();
  const got: StreamedEvent[] = [];
  let ready!: () => void;
  const connected = new Promise<void>((resolve) => (ready = resolve));
  const reading = (async () => {
    for await (const event of partner.helpers.events.stream({ signal: controller.signal, onConnect: ready, ...(after === undefined ? {} : { after }) })) {
      got.push(event);
      if (got.length >= count) controller.abort();
    }
  })();
  await connected;
  await start();
  const timer = setTimeout(() => controller.abort(), 5_000);
  await reading;
  clearTimeout(timer);
  return got;
}

describe('orders', () => {
  test('deliver (as stock, or from a vendor), cancel and fail my own orders; webhooks and the timeline follow', async () => {
    const { client, helpers } = await ts.partner();
    const stock = await client.v1.orders.create(PENDING_ORDER);
    const delivered = await helpers.orders.deliver(stock.id);
    assert.deepEqual([delivered.status, delivered.sub_status], ['DELIVERED', 'INVENTORY_FULFILLED']);
    assert.ok(delivered.items[0]?.voucher?.code);
    assert.equal((await helpers.inventory.pump({ product_id: 2001, amount: '10.00', currency: 'USD', count: 1 })).available, 1, 'the pool was untouched');

    const vendor = await helpers.orders.deliver((await client.v1.orders.create(PENDING_ORDER)).id, { source: 'VENDOR', vendor: 'BAMBOO' });
    assert.deepEqual([vendor.status, vendor.sub_status, vendor.timeline.at(-1)?.note], ['DELIVERED', 'VENDOR_VOUCHER_FETCHED', 'Fulfilled by BAMBOO.']);

    const cancelled = await helpers.orders.cancel((await client.v1.orders.create(PENDING_ORDER)).id, { reason: 'changed my mind' });
    assert.deepEqual([cancelled.status, cancelled.sub_status, cancelled.timeline.at(-1)?.note], ['CANCELLED', 'REFUNDED', 'changed my mind']);
    const failed = await helpers.orders.fail((await client.v1.orders.create(PENDING_ORDER)).id);
    assert.deepEqual([failed.status, failed.sub_status], ['FAILED', 'NOT_REFUNDED']);
    assert.match(failed.timeline.at(-1)?.note ?? '', /Failed by a test helper/);

    const again = await apiFailure(helpers.orders.deliver(delivered.id));
    assert.deepEqual([again.status, again.code], [409, 'E_INVALID_ORDER_STATE']);
    assert.match(again.message, /only PENDING or PARTIALLY_DELIVERED orders can be delivered/);
    const vendorOnStock = await apiFailure(helpers.orders.deliver(stock.id, { vendor: 'BAMBOO' }));
    assert.deepEqual([vendorOnStock.status, vendorOnStock.code], [400, 'E_VALIDATION_FAILURE']);
  });

  test("another partner's order is a 404 in the envelope for every helper, and stays untouched", async () => {
    const owner = await ts.partner();
    const other = await ts.partner();
    const order = await owner.client.v1.orders.create(PENDING_ORDER);
    for (const act of [other.helpers.orders.deliver, other.helpers.orders.cancel, other.helpers.orders.fail]) {
      const error = await apiFailure(act(order.id));
      assert.deepEqual([error.status, error.code, error.message], [404, 'E_NOT_FOUND', `Order ${order.id} not found.`]);
      assert.equal(error.body.includes(owner.partner.partner_id), false);
    }
    assert.equal((await owner.client.v1.orders.get(order.id)).status, 'PENDING');
    const unknown = await apiFailure(other.helpers.orders.deliver('ord_01KP5JY8ARRGKGAVBXP47SSE59'));
    assert.deepEqual([unknown.status, unknown.message], [404, 'Order ord_01KP5JY8ARRGKGAVBXP47SSE59 not found.'], 'the same answer as a missing order');
  });
});

describe('my pool, my clock, my faults', () => {
  test('a pump fills my pool only; my clock moves my timestamps only; signatures stay on real time', async () => {
    const a = await ts.partner();
    const b = await ts.partner();
    await a.helpers.inventory.pump({ product_id: 2001, amount: '15.00', currency: 'USD', count: 1 });
    const availability = { denomination: 15, quantity: 1 };
    assert.equal((await a.client.v1.products.checkAvailability(2001, availability)).delivery_time, 'INSTANT');
    assert.equal((await b.client.v1.products.checkAvailability(2001, availability)).delivery_time, 'DELAYED');

    const clock = await a.helpers.clock.advance(172_800);
    assert.equal(clock.partner_id, a.partner.partner_id);
    assert.ok(clock.offset_seconds >= 172_800);
    const mine = await a.client.v1.orders.create({ product_id: 2001, amount: '15.00', quantity: 1 });
    const theirs = await b.client.v1.orders.create({ product_id: 2001, amount: '15.00', quantity: 1 });
    assert.equal(mine.status, 'DELIVERED');
    assert.equal(theirs.status, 'PENDING', "A's pump is not B's stock");
    const aheadMs = Date.parse(mine.created_at) - Date.now();
    assert.ok(aheadMs > 172_790_000 && aheadMs < 172_810_000, `A's order is dated on A's clock (${aheadMs} ms ahead)`);
    assert.ok(Math.abs(Date.parse(theirs.created_at) - Date.now()) < 10_000, "B's order is dated on real time");
    assert.equal((await b.helpers.clock.get()).offset_seconds, 0);

    const bad = await apiFailure(a.helpers.clock.advance(0));
    assert.deepEqual([bad.status, bad.code], [400, 'E_VALIDATION_FAILURE']);
  });

  test('a fault I arm fires on my traffic only; a webhook fault on my deliveries only', async () => {
    const a = await ts.partner();
    const b = await ts.partner();
    const fault = await a.helpers.faults.inject({ target: 'REQUEST', operation_id: 'listWallets', status: 503, count: 1 });
    assert.equal('partner_id' in fault && fault.partner_id, a.partner.partner_id);
    assert.equal((await b.call('GET', '/api/v1/wallets')).status, 200);
    await ts.withoutSpecCheck(async () => assert.equal((await a.call('GET', '/api/v1/wallets')).status, 503));
    assert.equal((await a.call('GET', '/api/v1/wallets')).status, 200, 'used up');
    const webhook = await a.helpers.faults.inject({ target: 'WEBHOOK', kind: 'FORGED_SIGNATURE', event_type: 'order.delivered' });
    assert.deepEqual(['partner_id' in webhook && webhook.partner_id, webhook.kind], [a.partner.partner_id, 'FORGED_SIGNATURE']);
    const noTarget = await apiFailure(a.helpers.faults.inject({ target: 'REQUEST', status: 503 }));
    assert.deepEqual([noTarget.status, noTarget.messages], [400, ['name the target with operation_id or path']]);
    const mixed = await apiFailure(a.helpers.faults.inject({ target: 'WEBHOOK', kind: 'DUPLICATE', partner_id: b.partner.partner_id } as never));
    assert.equal(mixed.status, 400, 'no partner_id: a helper only ever arms faults on its own traffic');
    // Found by the bad-input fuzz: no body at all was a 500.
    const empty = await a.call('POST', '/sandbox/v1/test-helpers/faults', { headers: { 'Content-Type': 'application/json' } });
    assert.deepEqual([empty.status, empty.body.error.code], [400, 'E_VALIDATION_FAILURE']);
  });

  test('test money: fund my wallet', async () => {
    const { client, helpers } = await ts.partner();
    const funded = await helpers.wallets.fund({ currency: 'GBP', amount: '20.00' });
    assert.deepEqual([funded.wallet.currency, funded.wallet.balance, funded.transaction.type], ['GBP', '20.00', 'CREDIT']);
    assert.ok((await client.v1.wallets.list()).items.some((w) => w.currency === 'GBP'));
  });
});

describe('observability', () => {
  test('my request log: oldest first, the last n or after a cursor, with the canonical string of a bad signature', async () => {
    const a = await ts.partner();
    const b = await ts.partner();
    await a.client.v1.wallets.list();
    const body = JSON.stringify({ product_id: 2001, amount: '5.00', quantity: 1 });
    const forged = await a.call('POST', '/api/v1/charges', { body, headers: { 'X-Signature': `t=1,v1=${'a'.repeat(64)}`, 'X-Timestamp': '1' } });
    assert.equal(forged.status, 401);
    await b.client.v1.wallets.list();

    const { items, hasMore } = await a.helpers.requests.list();
    assert.deepEqual(items.map((e) => [e.operation_id, e.status]), [['listWallets', 200], ['calculateCharges', 401]]);
    assert.equal(hasMore, false);
    assert.equal(items[1]!.verdicts.signature.result, 'FAIL');
    assert.equal(items[1]!.verdicts.signature.canonical_string, `1POST/api/v1/charges${body}`);
    const after = await a.helpers.requests.list({ after: items[0]!.id, limit: 1 });
    assert.deepEqual([after.items.map((e) => e.id), after.hasMore], [[items[1]!.id], false]);
    assert.deepEqual((await a.helpers.requests.list({ operation_id: 'listWallets' })).items.map((e) => e.id), [items[0]!.id]);
    assert.equal((await b.helpers.requests.list()).items.length, 1, "B sees only B's request");
    // Found by the bad-input fuzz: a limit the validator lets through as a number (1e309) was a 500.
    const huge = await a.call('GET', '/sandbox/v1/test-helpers/requests?limit=1e309');
    assert.deepEqual([huge.status, huge.body.error.code], [400, 'E_VALIDATION_FAILURE']);
  });

  test("my webhook deliveries: listed and replayed; another partner's delivery is a 404", async () => {
    const a = await ts.partner();
    const b = await ts.partner();
    await a.client.v1.webhooks.upsert({ url: 'http://127.0.0.1:9/unreachable', events: ['order.pending'] });
    const order = await a.client.v1.orders.create(PENDING_ORDER);
    const listed = await a.helpers.webhookDeliveries.list({ order_id: order.id });
    assert.equal(listed.items.length, 1);
    assert.equal(listed.pagination.total_count, 1);
    const [delivery] = listed.items;
    const replayed = await a.helpers.webhookDeliveries.replay(delivery!.id);
    assert.ok(replayed.attempts.length >= 1);
    assert.equal((await b.helpers.webhookDeliveries.list()).items.length, 0);
    const stolen = await apiFailure(b.helpers.webhookDeliveries.replay(delivery!.id));
    assert.deepEqual([stolen.status, stolen.code], [404, 'E_NOT_FOUND']);
  });
});

describe('events', () => {
  test('trigger: every event type of the spec is emitted, each with its sequence number', async () => {
    await ts.admin('PATCH', '/settings', { feature_flags: { webhook_reconciliation_drift: true, webhook_wallet_balance_threshold: true } });
    try {
      const { helpers, client } = await ts.partner();
      await client.v1.webhooks.upsert({ url: 'http://127.0.0.1:9/all', events: [...starshipWebhookEventTypes] });
      let last = 0;
      for (const type of starshipWebhookEventTypes) {
        const triggered = await helpers.events.trigger(type);
        assert.ok(triggered.events.some((e) => e.event_type === type), `${type}: ${JSON.stringify(triggered)}`);
        assert.ok(triggered.events.every((e) => e.sequence > last), 'sequence numbers only go up');
        last = triggered.events.at(-1)!.sequence;
        assert.match((await client.v1.orders.get(triggered.order_id)).reference ?? '', new RegExp(`^SANDBOX_FORCE_[A-Z]+: starship trigger ${type.replace('.', '\\.')}$`));
      }
      const [wallet] = (await ts.admin('GET', '/webhook-deliveries?event_type=wallet.balance_threshold')) as Array<{ payload: { data: { threshold: string } } }>;
      assert.ok(wallet, 'the threshold crossing was delivered');
    } finally {
      await ts.admin('PATCH', '/settings', { feature_flags: { webhook_reconciliation_drift: false, webhook_wallet_balance_threshold: false } });
    }
  });

  test('trigger: an unknown event type lists the valid ones; a planned one needs its flag; no event is kept with nobody listening', async () => {
    const { helpers } = await ts.partner();
    const unknown = await apiFailure(helpers.events.trigger('order.shipped' as never));
    assert.equal(unknown.status, 400);
    for (const type of starshipWebhookEventTypes) assert.ok(String(unknown.messages).includes(type), `${type} is listed: ${String(unknown.messages)}`);
    const planned = await apiFailure(helpers.events.trigger('reconciliation.drift'));
    assert.deepEqual([planned.status, planned.code], [404, 'E_FEATURE_DISABLED']);
    assert.match(planned.message, /WEBHOOK_RECONCILIATION_DRIFT/);
    assert.deepEqual((await helpers.events.trigger('order.delivered')).events, []);
  });

  test('trigger: wallets that cannot pay are a 422 saying which', async () => {
    const { helpers } = await ts.partner({ wallets: [{ currency: 'USD', balance: '1.00' }] });
    const broke = await apiFailure(helpers.events.trigger('order.delivered'));
    assert.deepEqual([broke.status, broke.code], [422, 'E_INSUFFICIENT_FUNDS']);
    assert.match(broke.message, /USD 1\.00/);
  });

  test('the stream: my events in order, resumable after any sequence number, filtered by type; never another partner’s', async () => {
    const a = await ts.partner();
    const b = await ts.partner();
    const live = await streamed(a, 3, async () => {
      await b.helpers.events.trigger('order.delivered');
      await a.helpers.events.trigger('order.pending');
      await a.helpers.events.trigger('order.delivered');
      await a.helpers.events.trigger('order.failed');
    });
    assert.deepEqual(live.map((e) => e.type), ['order.pending', 'order.delivered', 'order.failed']);
    const sequences = live.map((e) => e.sequence);
    assert.deepEqual(sequences, [sequences[0]!, sequences[0]! + 1, sequences[0]! + 2]);
    assert.equal(live[1]!.envelope.event_type, 'order.delivered');
    assert.equal(JSON.parse(live[1]!.raw).event_id, live[1]!.envelope.event_id);

    const resumed = await streamed(a, 2, async () => {}, sequences[0]);
    assert.deepEqual(resumed.map((e) => e.sequence), sequences.slice(1), 'after n: every kept event after it, once');

    const filtered: StreamedEvent[] = [];
    for await (const event of a.helpers.events.stream({ after: 0, events: ['order.failed'], signal: AbortSignal.timeout(3_000) })) {
      filtered.push(event);
      break;
    }
    assert.deepEqual(filtered.map((e) => e.type), ['order.failed']);
    const bad = await apiFailure((async () => {
      for await (const _ of a.helpers.events.stream({ events: ['order.shipped'] })) break;
    })());
    assert.deepEqual([bad.status, bad.code], [400, 'E_VALIDATION_FAILURE']);
  });
});

describe('authentication', () => {
  test('test helpers take the partner key and secret, from the allowlist, with signed writes; the admin token is not enough', async () => {
    const { partner, helpers } = await ts.partner();
    const url = `${ts.sandbox.origin}/sandbox/v1/test-helpers/clock`;
    const anonymous = await ts.fetchControl(url);
    assert.deepEqual([anonymous.status, ((await anonymous.json()) as { error: { code: string } }).error.code], [401, 'E_UNAUTHORIZED']);
    const admin = await ts.fetchControl(url, { headers: { Authorization: 'Bearer adm_test_token' } });
    assert.equal(admin.status, 401);
    const wrongSecret = await ts.fetchControl(url, { headers: { 'X-API-Key': partner.api_key, 'X-API-Secret': 'sk_test_nope' } });
    assert.equal(wrongSecret.status, 401);
    const unsigned = await ts.fetchControl(`${ts.sandbox.origin}/sandbox/v1/test-helpers/clock/advance`, {
      method: 'POST',
      headers: { 'X-API-Key': partner.api_key, 'X-API-Secret': partner.api_secret, 'Content-Type': 'application/json' },
      body: JSON.stringify({ seconds: 60 }),
    });
    assert.deepEqual([unsigned.status, ((await unsigned.json()) as { error: { code: string } }).error.code], [401, 'E_SIGNATURE_INVALID']);
    assert.equal((await helpers.clock.get()).offset_seconds, 0, 'the unsigned advance did nothing');

    const elsewhere = await ts.partner({ ip_allowlist: ['203.0.113.0/24'] });
    const refused = await apiFailure(elsewhere.helpers.clock.get());
    assert.deepEqual([refused.status, refused.code], [403, 'E_IP_NOT_ALLOWED']);
    const unknownPath = await ts.withoutSpecCheck(() =>
      fetch(`${ts.sandbox.origin}/sandbox/v1/test-helpers/nothing`, { headers: { 'X-API-Key': partner.api_key, 'X-API-Secret': partner.api_secret } }),
    );
    assert.deepEqual([unknownPath.status, ((await unknownPath.json()) as { error: { code: string } }).error.code], [404, 'E_NOT_FOUND']);
  });

  test('the report-signing key is public; the rest of the control API still needs the admin token', async () => {
    const key = await ts.fetchControl(`${ts.sandbox.origin}/sandbox/v1/certification/signing-key`);
    assert.equal(key.status, 200);
    assert.match(((await key.json()) as { public_key_pem: string }).public_key_pem, /BEGIN PUBLIC KEY/);
    assert.equal((await ts.fetchControl(`${ts.sandbox.origin}/sandbox/v1/settings`)).status, 401);
  });
});

describe('certification with my own credentials', () => {
  test('a session opened by a partner runs as a fresh partner of its own; only its owner (or an operator) grades it', async () => {
    const owner = await ts.partner();
    const other = await ts.partner();
    const session = await owner.helpers.certification.createSession({ pending_seconds: 1 });
    assert.equal(session.owner_partner_id, owner.partner.partner_id);
    assert.notEqual(session.partner_id, owner.partner.partner_id);
    const run = { exit_code: 0, timed_out: false, duration_ms: 10 };
    const stolen = await apiFailure(other.helpers.certification.grade(session.session_id, { run }));
    assert.deepEqual([stolen.status, stolen.code], [404, 'E_NOT_FOUND']);
    const report = await owner.helpers.certification.grade(session.session_id, { run });
    assert.deepEqual([report.certification.owner_partner_id, report.certification.practice], [owner.partner.partner_id, false]);
    assert.equal((await owner.client.v1.orders.list()).items.length, 0, "the owner's account was not touched");
  });
});
