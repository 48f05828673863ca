/**
 * Issue 17 on a hosted sandbox that outgrows one process: two `starship mock --database-url` instances on one
 * PostgreSQL database. What a partner does through a test helper on one instance is seen by the next request on
 * the other: its clock, a delivered order, a fault, its pool, and an event triggered on one arrives on an event
 * stream held open on the other. Skipped without STARSHIP_TEST_DATABASE_URL (CI sets it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStarshipClient, createStarshipTestHelpers, StarshipApiError, type StreamedEvent } from '@starship/sdk';
import { SandboxClient } from '../reliability/http.ts';
import { spawnSandbox, type SandboxProcess } from '../reliability/sandbox-process.ts';
import { ENCRYPTION_KEY_ENV } from './db/encryption-key.ts';
import { generateKey } from './domain/voucher-crypto.ts';
import { createTestDatabase, TEST_DATABASE_URL_ENV, testServerUrl } from './test-support/postgres-database.ts';

const serverUrl = testServerUrl();

test(
  'two instances on one PostgreSQL: a test-helper call on one is seen on the other',
  { skip: serverUrl ? false : `${TEST_DATABASE_URL_ENV} is not set (tools/postgres-cluster.sh start prints one)`, timeout: 90_000 },
  async (t) => {
    const database = await createTestDatabase(serverUrl!);
    t.after(() => database.drop());
    const env = { [ENCRYPTION_KEY_ENV]: generateKey().toString('hex') };
    const instances: SandboxProcess[] = [];
    t.after(() => Promise.all(instances.map((instance) => instance.kill('SIGTERM'))));
    // Started together: the first start's migrations and seeding are serialised between them.
    await Promise.all([0, 1].map(async () => instances.push(await spawnSandbox({ databaseUrl: database.url, env, adminToken: 'adm_pg_helpers' }))));
    const operator = new SandboxClient(instances[0]!.origin, 'adm_pg_helpers');
    t.after(() => operator.agent.destroy());
    const partner = await operator.createPartner({ wallets: [{ currency: 'USD', balance: '1000.00' }] });
    const on = (instance: SandboxProcess) => {
      const options = { baseUrl: `${instance.origin}/api/v1`, apiKey: partner.api_key, apiSecret: partner.api_secret, maxAttempts: 1 };
      return { api: createStarshipClient(options), helpers: createStarshipTestHelpers(options) };
    };
    const [one, two] = [on(instances[0]!), on(instances[1]!)];

    // The clock.
    await one.helpers.clock.advance(3_600);
    assert.ok((await two.helpers.clock.get()).offset_seconds >= 3_600);
    const dated = await two.api.v1.orders.create({ product_id: 2001, amount: '10.00', quantity: 1 });
    assert.ok(Date.parse(dated.created_at) - Date.now() > 3_500_000, 'an order placed on the other instance is dated on the moved clock');

    // An order delivered on one, read on the other.
    assert.equal(dated.status, 'PENDING');
    assert.equal((await one.helpers.orders.deliver(dated.id, { source: 'VENDOR' })).status, 'DELIVERED');
    assert.equal((await two.api.v1.orders.get(dated.id)).status, 'DELIVERED');

    // The pool and a fault.
    await one.helpers.inventory.pump({ product_id: 2001, amount: '12.00', currency: 'USD', count: 1 });
    assert.equal((await two.api.v1.products.checkAvailability(2001, { denomination: 12, quantity: 1 })).delivery_time, 'INSTANT');
    await two.helpers.faults.inject({ target: 'REQUEST', operation_id: 'listWallets', status: 503 });
    const faulted = await one.api.v1.wallets.list().then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(faulted instanceof StarshipApiError && faulted.status === 503, String(faulted));

    // An event triggered through one instance reaches a stream open on the other.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const received: StreamedEvent[] = [];
    const reading = (async () => {
      for await (const event of two.helpers.events.stream({ signal: controller.signal, onConnect: connected })) {
        received.push(event);
        controller.abort();
      }
    })();
    await ready;
    const triggered = await one.helpers.events.trigger('order.delivered');
    await reading;
    clearTimeout(timer);
    assert.deepEqual(received.map((e) => e.envelope.event_id), triggered.events.map((e) => e.event_id));

    // The request log of one instance's requests, read on the other.
    const log = await one.helpers.requests.list({ operation_id: 'createOrder' });
    assert.deepEqual(log.items.map((e) => e.status), [200]);
  },
);
