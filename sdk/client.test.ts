/**
 * Contract test of the SDK against `prism mock` of the bundled spec: an implementation we did not write.
 * Every GET operation is called through the typed client; each response must be documented and
 * schema-valid (status, headers, body), and the facade must hand back typed data and pagination.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createStarshipClient, type StarshipClient } from './client.ts';
import { StarshipApiError } from './errors.ts';
import { createContractValidator } from '@starship/contract/validator';
import { starshipOperations } from '@starship/spec/starship-operations';
import { bundledSpecPath } from '../tools/repo.ts';
import { startPrism, type RunningPrism } from '../tools/prism.ts';

const validator = createContractValidator(JSON.parse(readFileSync(bundledSpecPath('starship'), 'utf8')));
let prism: RunningPrism;
let starship: StarshipClient;

before(async () => {
  prism = await startPrism(bundledSpecPath('starship'));
  // Prism serves the spec's paths at its root; the real API and the sandbox serve them under /api/v1.
  starship = createStarshipClient({ baseUrl: prism.origin, apiKey: 'pk_test_contract', apiSecret: 'sk_test_contract' });
});
after(() => prism?.stop());

type Call = () => Promise<{ data?: unknown; error?: unknown; response: Response }>;
const getCalls: Record<string, Call> = {
  listCategories: () => starship.client.GET('/categories'),
  listProducts: () =>
    starship.client.GET('/products', {
      params: { query: { page: 1, limit: 20, category: 'Gift Cards', sort: { field: 'name', direction: 'ASC' } } },
    }),
  getProduct: () => starship.client.GET('/products/{product_id}', { params: { path: { product_id: 1001 } } }),
  listOrders: () => starship.client.GET('/orders', { params: { query: { status: 'DELIVERED', page: 1 } } }),
  getOrder: () =>
    starship.client.GET('/orders/{order_id}', { params: { path: { order_id: 'ord_01HX9ABCDEFGHJKMNPQRSTVWXY' } } }),
  listWallets: () => starship.client.GET('/wallets'),
  listTransactions: () => starship.client.GET('/transactions', { params: { query: { type: 'DEBIT' } } }),
  listWebhooks: () => starship.client.GET('/webhooks'),
  getReconciliation: () => starship.client.GET('/reconciliation/{date}', { params: { path: { date: '2026-04-13' } } }),
};

test('the contract test covers every GET operation in the spec', () => {
  const gets = Object.entries(starshipOperations)
    .filter(([, route]) => route.method === 'get')
    .map(([id]) => id)
    .sort();
  assert.deepEqual(Object.keys(getCalls).sort(), gets);
});

for (const [operationId, call] of Object.entries(getCalls)) {
  test(`${operationId}: Prism's response is documented and schema-valid`, async () => {
    const { data, error, response } = await call();
    assert.equal(error, undefined, `unexpected error ${JSON.stringify(error)}`);
    assert.equal(response.status, 200);
    assert.deepEqual(validator.validateResponse(operationId, { status: response.status, headers: response.headers, body: data }), []);
  });
}

test('facade: lists come back typed, with the pagination headers read', async () => {
  const page = await starship.v1.products.list({ limit: 2 });
  assert.ok(page.items.length > 0);
  const first = page.items[0]!;
  const id: number = first.id;
  const deliveryTime: string = first.delivery_time;
  assert.equal(typeof id, 'number');
  assert.match(deliveryTime, /^[A-Z_]+$/);
  assert.equal(typeof page.pagination.total_count, 'number');
  assert.equal(typeof page.pagination.has_more, 'boolean');

  const order = await starship.v1.orders.get('ord_01HX9ABCDEFGHJKMNPQRSTVWXY');
  const status: string = order.status;
  assert.match(status, /^[A-Z_]+$/);
  for (const item of order.items ?? []) if (item.voucher) assert.equal(typeof item.voucher.code, 'string');

  const wallets = await starship.v1.wallets.list();
  for (const wallet of wallets.items) assert.match(wallet.balance, /^-?\d+(\.\d+)?$/);
});

test('facade: an error response becomes a StarshipApiError carrying its status and a code to branch on', async () => {
  // A product id of 0 violates the spec's `minimum: 1`, so Prism answers with a documented 4xx.
  await assert.rejects(starship.v1.products.get(0), (error: unknown) => {
    assert.ok(error instanceof StarshipApiError);
    assert.ok(error.status >= 400 && error.status < 500, `status ${error.status}`);
    assert.match(error.code, /^E_[A-Z_]+$/);
    return true;
  });
});
