/**
 * Catalog reads are served from views rendered once and in-stock answers kept between writes
 * (stable-views.ts, stock-answers.ts): whatever changes the stock is visible in the very next read — a pump,
 * an allocation, a reset, the day moving past an expiry, and on PostgreSQL another instance's write.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENCRYPTION_KEY_ENV } from '../db/encryption-key.ts';
import { generateKey } from '../domain/voucher-crypto.ts';
import { openEngine } from './index.ts';
import { backendTest, newPartner, type TestEngine } from '../test-support/engine.ts';
import { createTestDatabase, TEST_DATABASE_URL_ENV, testServerUrl } from '../test-support/postgres-database.ts';

// Google Play US: no initial stock. Amazon US: stocked at first start, vouchers valid 12 months.
const GOOGLE_PLAY = 2001;
const AMAZON = 1001;

/** delivery_time of a product for a partner, as getProduct and as the listing show it. */
async function shown(engine: TestEngine, partnerId: string, productId: number): Promise<[string, string | undefined]> {
  const product = await engine.getProduct(partnerId, productId);
  const listed = await engine.listProducts(partnerId, { limit: 200 });
  return [product.delivery_time, listed.items.find((p) => p.id === productId)?.delivery_time];
}

/** Reads twice, so the second read is served from whatever the first kept. */
async function readTwice(engine: TestEngine, partnerId: string, productId = GOOGLE_PLAY): Promise<[string, string | undefined]> {
  const first = await shown(engine, partnerId, productId);
  assert.deepEqual(await shown(engine, partnerId, productId), first);
  return first;
}

backendTest('a pump, an allocation and a reset are visible in the next catalog read, per partner', async (_t, engine) => {
  const partner = (await newPartner(engine)).partner_id;
  const other = (await newPartner(engine, [{ currency: 'USD', balance: '100000.00' }])).partner_id;
  assert.deepEqual(await readTwice(engine, partner), ['DELAYED', 'DELAYED']);
  await engine.pumpInventory({ product_id: GOOGLE_PLAY, amount: '10.00', currency: 'USD', count: 1, partner_id: partner });
  assert.deepEqual(await readTwice(engine, partner), ['INSTANT', 'INSTANT'], 'after a pump');
  assert.deepEqual(await readTwice(engine, other), ['DELAYED', 'DELAYED'], "another partner's pools are its own");
  await engine.placeOrder(partner, { product_id: GOOGLE_PLAY, amount: '10.00', quantity: 1 });
  assert.deepEqual(await readTwice(engine, partner), ['DELAYED', 'DELAYED'], 'after the allocation of the last unit');
  await engine.pumpInventory({ product_id: GOOGLE_PLAY, amount: '10.00', currency: 'USD', count: 1 });
  assert.deepEqual(await readTwice(engine, partner), ['INSTANT', 'INSTANT']);
  // Amazon US comes from the partner's seed: drawing all 50 units of each stocked amount empties it.
  assert.deepEqual(await readTwice(engine, other, AMAZON), ['INSTANT', 'INSTANT']);
  for (const amount of ['25.00', '50.00', '100.00']) {
    const order = await engine.placeOrder(other, { product_id: AMAZON, amount, quantity: 50 });
    assert.equal(order.status, 'DELIVERED');
  }
  assert.deepEqual(await readTwice(engine, other, AMAZON), ['DELAYED', 'DELAYED'], 'after its seed was drawn to the last unit');
  await engine.resetSandbox();
  const fresh = (await newPartner(engine)).partner_id;
  assert.deepEqual(await readTwice(engine, fresh), ['DELAYED', 'DELAYED'], 'after a reset');
  assert.deepEqual(await readTwice(engine, fresh, AMAZON), ['INSTANT', 'INSTANT'], "a new partner's seed");
});

let realNow = Date.now();
backendTest(
  'the day moving past the vouchers\' expiry is visible in the next catalog read, with nothing written',
  async (_t, engine) => {
    const partner = (await newPartner(engine)).partner_id;
    assert.deepEqual(await readTwice(engine, partner, AMAZON), ['INSTANT', 'INSTANT']);
    // Real time moves (the engine reads it on each request); the 12-month vouchers have expired, no row changed.
    realNow += 2 * 366 * 86_400_000;
    assert.deepEqual(await readTwice(engine, partner, AMAZON), ['DELAYED', 'DELAYED']);
  },
  { realNow: () => realNow },
);

const serverUrl = testServerUrl();
test(
  'on PostgreSQL, another instance\'s pump and allocation are visible in the next catalog read',
  { skip: serverUrl ? false : `${TEST_DATABASE_URL_ENV} is not set` },
  async (t) => {
    const database = await createTestDatabase(serverUrl!);
    t.after(() => database.drop());
    const env = { [ENCRYPTION_KEY_ENV]: generateKey().toString('hex') };
    const reader = await openEngine({ databaseUrl: database.url, env });
    t.after(() => reader.close());
    const writer = await openEngine({ databaseUrl: database.url, env });
    t.after(() => writer.close());
    const partner = (await newPartner(writer)).partner_id;
    assert.deepEqual(await readTwice(reader, partner), ['DELAYED', 'DELAYED']);
    await writer.pumpInventory({ product_id: GOOGLE_PLAY, amount: '10.00', currency: 'USD', count: 1 });
    assert.deepEqual(await readTwice(reader, partner), ['INSTANT', 'INSTANT'], "after the other instance's pump");
    await writer.placeOrder(partner, { product_id: GOOGLE_PLAY, amount: '10.00', quantity: 1 });
    assert.deepEqual(await readTwice(reader, partner), ['DELAYED', 'DELAYED'], "after the other instance's allocation");
  },
);
