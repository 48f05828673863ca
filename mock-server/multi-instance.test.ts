/**
 * Issue 10: three `starship mock --database-url` processes on one fresh PostgreSQL database behind a
 * round-robin client. 2,000 concurrent orders from four partners against pools of 1,000 vouchers in all, 400 of
 * them in pairs sharing an Idempotency-Key sent to two different instances at once: no voucher is handed out
 * twice, every wallet equals its ledger, each key makes one order, every order's event is in the outbox and
 * reaches a loopback receiver exactly once. The clock, a burst window, an armed fault and the request log are
 * shared across instances; the conformance suite passes against each instance; after a reset on one, another
 * refuses the deleted partners within its short credential cache. Skipped without STARSHIP_TEST_DATABASE_URL
 * (CI sets it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSuite } from '@starship/conformance/server/runner';
import { keepAliveAgent, SandboxClient, UNLIMITED, type Credentials, type RawReply } from '../reliability/http.ts';
import { ledgerProblems, readLedger } from '../reliability/ledger.ts';
import { spawnSandbox, type SandboxProcess } from '../reliability/sandbox-process.ts';
import { ENCRYPTION_KEY_ENV } from './db/encryption-key.ts';
import { createTestDatabase, TEST_DATABASE_URL_ENV, testServerUrl } from './test-support/postgres-database.ts';
import { generateKey } from './domain/voucher-crypto.ts';
import { eventually, TestReceiver } from './test-support/webhook-receiver.ts';

const INSTANCES = 3;
const ORDERS = 2_000;
/** Requests 0 … SHARED-1 come in pairs with one key, each pair's two requests on two different instances. */
const SHARED = 400;
const POOL = 1_000;
const PARTNERS = 4;
/** Google Play US: the seed stocks none of it, so the pump below is the whole pool. */
const PRODUCT = 2001;
const AMOUNT = '9.00';
const EVENTS = ['order.pending', 'order.delivered', 'order.partially_delivered'];

const serverUrl = testServerUrl();

test(
  'three instances on one PostgreSQL: 2,000 concurrent orders keep every invariant, and each instance passes the conformance suite',
  { skip: serverUrl ? false : `${TEST_DATABASE_URL_ENV} is not set (tools/postgres-cluster.sh start prints one)`, timeout: 600_000 },
  async (t) => {
    const database = await createTestDatabase(serverUrl!);
    t.after(() => database.drop());
    const env = { [ENCRYPTION_KEY_ENV]: generateKey().toString('hex') };
    const adminToken = 'adm_multi_instance';
    // Started together: the first start's migrations and seeding are serialised between them.
    const instances: SandboxProcess[] = [];
    t.after(async () => {
      await Promise.all(instances.map((instance) => instance.kill('SIGTERM')));
    });
    await Promise.all(
      Array.from({ length: INSTANCES }, async () => {
        instances.push(await spawnSandbox({ databaseUrl: database.url, env, adminToken, args: ['--no-validate-responses'] }));
      }),
    );
    const receiver = await TestReceiver.start();
    t.after(() => receiver.close());
    const clients = instances.map((instance) => new SandboxClient(instance.origin, adminToken, keepAliveAgent(128)));
    t.after(() => clients.forEach((client) => client.agent.destroy()));
    const [first] = clients as [SandboxClient, ...SandboxClient[]];

    const partners: Credentials[] = [];
    for (let i = 0; i < PARTNERS; i++) {
      const partner = await clients[i % INSTANCES]!.createPartner({ rate_limit_overrides: UNLIMITED });
      partners.push(partner);
      const hook = await clients[(i + 1) % INSTANCES]!.partner(partner, 'POST', '/webhooks', { url: receiver.url, events: EVENTS });
      assert.ok(hook.status < 300, hook.text);
    }
    // Each partner's own pool, a quarter of POOL each, pumped through different instances.
    for (const [i, partner] of partners.entries()) {
      const pumped = await clients[i % INSTANCES]!.control.pumpInventory({ body: { partner_id: partner.partner_id, product_id: PRODUCT, amount: AMOUNT, currency: 'USD', count: POOL / PARTNERS } });
      assert.equal(pumped.available, POOL / PARTNERS);
    }

    const keyOf = (i: number) => (i < SHARED ? `shared-${Math.floor(i / 2)}` : `solo-${i}`);
    const partnerOf = (i: number) => partners[(i < SHARED ? Math.floor(i / 2) : i) % PARTNERS]!;
    const started = Date.now();
    const replies: RawReply[] = await Promise.all(
      Array.from({ length: ORDERS }, (_, i) =>
        clients[i % INSTANCES]!.partner(partnerOf(i), 'POST', '/orders', { product_id: PRODUCT, amount: AMOUNT, quantity: 1, reference: keyOf(i) }, { 'Idempotency-Key': keyOf(i) }),
      ),
    );
    const replayed = replies.filter((r) => r.headers['idempotent-replayed'] === 'true').length;
    const inUse = replies.filter((r) => r.status === 409).length;
    console.log(`multi-instance: ${ORDERS} orders through ${INSTANCES} instances in ${Date.now() - started} ms (shared keys: ${replayed} replays, ${inUse} × 409)`);

    // One order per key: a shared key's two answers are one order and its replay, or one order and a 409.
    const orderOfKey = new Map<string, any>();
    for (const [i, reply] of replies.entries()) {
      if (reply.status === 409 && i < SHARED) {
        assert.equal(reply.json?.error?.code, 'E_IDEMPOTENCY_KEY_IN_USE');
        continue;
      }
      assert.equal(reply.status, 200, `order ${i}: ${reply.status} ${reply.text.slice(0, 300)}`);
      const known = orderOfKey.get(keyOf(i));
      if (known) assert.equal(reply.json.id, known.id, `key ${keyOf(i)} answered two orders`);
      else orderOfKey.set(keyOf(i), reply.json);
    }
    const orders = [...orderOfKey.values()];
    assert.equal(orders.length, ORDERS - SHARED / 2, 'every key made an order');
    assert.equal(new Set(orders.map((o) => o.id)).size, orders.length);

    // The pool is handed out once: exactly POOL units delivered, no code twice.
    const codes = orders.flatMap((o) => (o.items as any[]).filter((item) => item.status === 'DELIVERED').map((item) => item.voucher.code as string));
    assert.equal(codes.length, POOL);
    assert.equal(new Set(codes).size, POOL, 'a voucher was handed out twice');

    // Money and orders as the partner API reports them, read through different instances.
    let listed = 0;
    for (const [i, partner] of partners.entries()) {
      const ledger = await readLedger(clients[(i + 2) % INSTANCES]!, partner);
      assert.deepEqual(ledgerProblems(ledger), []);
      listed += ledger.orders.length;
    }
    assert.equal(listed, orders.length, 'no order beyond one per key');

    // Every order's event is in the outbox, and every event reaches the receiver from exactly one instance.
    const expected = new Map(orders.map((o) => [o.id as string, o.status === 'DELIVERED' ? 'order.delivered' : 'order.pending']));
    await receiver.until(() => receiver.eventIds().size >= expected.size, 'every event', 120_000);
    const deliveries = await eventually(async () => {
      const list = await first.control.listWebhookDeliveries({ query: { limit: 10000 } });
      return list.length >= expected.size && list.every((d: any) => d.status === 'SUCCEEDED') && list;
    }, 'every delivery SUCCEEDED');
    assert.deepEqual(
      new Map(deliveries.map((d: any) => [d.payload.data.order_id, d.event_type])),
      expected,
      'one event per order, of its state',
    );
    const perEvent = new Map<string, number>();
    for (const r of receiver.received) perEvent.set(r.eventId, (perEvent.get(r.eventId) ?? 0) + 1);
    assert.deepEqual(new Set(perEvent.keys()), new Set(deliveries.map((d: any) => d.event_id)), 'every event received');
    assert.deepEqual([...perEvent.entries()].filter(([, n]) => n !== 1), [], 'an event was sent more than once');

    // State a lone process keeps in memory is shared: the clock, rate limits, faults and the request log.
    const [, second, third] = clients as [SandboxClient, SandboxClient, SandboxClient];
    const before = Date.parse((await second.control.getClock()).now);
    await first.control.advanceClock({ body: { seconds: 3_600 } });
    assert.ok(Date.parse((await third.control.getClock()).now) - before >= 3_600_000, 'an advance on one instance is seen by the others');

    const limited = await first.createPartner({ rate_limit_overrides: { ...UNLIMITED, burst: 3 } });
    const burst = [];
    for (let i = 0; i < 4; i++) burst.push((await clients[i % INSTANCES]!.partner(limited, 'GET', '/categories')).status);
    assert.deepEqual(burst, [200, 200, 200, 429], 'one burst window across instances');

    const faultedPartner = partners[2]!;
    await second.control.injectFault({ body: { operation_id: 'listWallets', partner_id: faultedPartner.partner_id, count: 2, status: 503 } });
    const faulted = [];
    for (const client of [third, first, second]) faulted.push((await client.partner(faultedPartner, 'GET', '/wallets')).status);
    assert.deepEqual(faulted.slice(0, 2), [503, 503], 'an armed fault fires on any instance');
    assert.notEqual(faulted[2], 503, 'and only as often as armed');

    // Entries are written as each response finishes, so another instance lists them a moment later.
    const traced = await third.partner(partners[0]!, 'GET', '/wallets');
    await eventually(
      async () => (await second.control.listRequests({ query: { trace_id: String(traced.headers['x-trace-id']) } })).length === 1,
      "one instance's request log lists another's requests",
      2_000,
    );

    // The contract holds on every instance, with the others sharing its database.
    for (const [i, instance] of instances.entries()) {
      const partner = await clients[i]!.createPartner();
      const run = await runSuite({
        baseUrl: `${instance.origin}/api/v1`,
        apiKey: partner.api_key,
        apiSecret: partner.api_secret,
        sandboxUrl: instance.origin,
        adminToken,
        includeRateLimits: true,
      });
      const notPassing = run.outcomes.filter((o) => o.result !== 'PASS').map((o) => `${o.result} ${o.id}: ${o.detail}`);
      assert.deepEqual(notPassing, [], `instance ${i + 1}`);
    }

    // A reset on one instance: the others stop authenticating the deleted partners once their short cache lapses.
    await first.control.resetSandbox();
    await eventually(async () => (await third.partner(partners[1]!, 'GET', '/wallets')).status === 401, 'a deleted partner refused elsewhere', 3_000);
  },
);
