/**
 * Catalog reads over HTTP are sent from bytes serialised once per view (http/openapi-validation.ts,
 * engine/stable-views.ts): a pump, an order and a reset through the APIs are visible in the next read, every
 * response is still checked against the spec, and a fault that rewrites a response leaves the view served
 * afterwards untouched.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { TestSandbox, type TestPartner } from './test-support/sandbox.ts';

let ts: TestSandbox;
before(async () => {
  ts = await TestSandbox.start();
});
afterEach(() => ts.assertConforming());
after(() => ts.close());

// Google Play US: no initial stock until pumped.
const GOOGLE_PLAY = 2001;

/** The raw texts of GET /products/2001 and of the listing's first page (id DESC: 2001 first), read twice. */
async function read(partner: TestPartner): Promise<{ product: string; listed: string }> {
  const texts = async () => {
    const product = await partner.call('GET', `/api/v1/products/${GOOGLE_PLAY}`);
    const listed = await partner.call('GET', '/api/v1/products?limit=3');
    assert.equal(product.status, 200);
    assert.equal(listed.status, 200);
    return { product: product.body.delivery_time as string, listed: listed.body[0].delivery_time as string, raw: JSON.stringify([product.body, listed.body]) };
  };
  const first = await texts();
  const second = await texts();
  assert.equal(second.raw, first.raw, 'the same bytes while nothing changed');
  return { product: first.product, listed: first.listed };
}

test('a pump, an order and a reset through the APIs are visible in the next catalog read', async () => {
  let partner = await ts.partner();
  assert.deepEqual(await read(partner), { product: 'DELAYED', listed: 'DELAYED' });
  await ts.pump(GOOGLE_PLAY, '10.00', 'USD', 1);
  assert.deepEqual(await read(partner), { product: 'INSTANT', listed: 'INSTANT' }, 'after a pump');
  const order = await partner.client.v1.orders.create({ product_id: GOOGLE_PLAY, amount: '10.00', quantity: 1, currency: 'USD' }, { idempotencyKey: 'catalog-reads-1' });
  assert.equal(order.status, 'DELIVERED');
  assert.deepEqual(await read(partner), { product: 'DELAYED', listed: 'DELAYED' }, 'after the order took the last unit');
  await ts.pump(GOOGLE_PLAY, '10.00', 'USD', 1);
  assert.deepEqual(await read(partner), { product: 'INSTANT', listed: 'INSTANT' });
  await ts.admin('POST', '/reset');
  partner = await ts.partner();
  assert.deepEqual(await read(partner), { product: 'DELAYED', listed: 'DELAYED' }, 'after a reset');
});

test("a fault's rewrite of a catalog read does not change what later reads are sent", async () => {
  const partner = await ts.partner();
  const clean = await partner.call('GET', `/api/v1/products/${GOOGLE_PLAY}`);
  await ts.admin('POST', '/faults', { operation_id: 'getProduct', kind: 'UNKNOWN_ENUM' });
  await ts.admin('POST', '/faults', { operation_id: 'listProducts', kind: 'UNKNOWN_ENUM' });
  await ts.withoutSpecCheck(async () => {
    const odd = await partner.call('GET', `/api/v1/products/${GOOGLE_PLAY}`);
    assert.equal(odd.status, 200);
    assert.ok(JSON.stringify(odd.body).includes('SANDBOX_UNKNOWN_VALUE'));
    const oddList = await partner.call('GET', '/api/v1/products?limit=3');
    assert.ok(JSON.stringify(oddList.body).includes('SANDBOX_UNKNOWN_VALUE'));
  });
  assert.deepEqual((await partner.call('GET', `/api/v1/products/${GOOGLE_PLAY}`)).body, clean.body);
  assert.ok(!JSON.stringify((await partner.call('GET', '/api/v1/products?limit=3')).body).includes('SANDBOX_UNKNOWN_VALUE'));
});
