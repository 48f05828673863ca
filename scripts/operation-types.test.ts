import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectOperations, expressPath, operationTypesSource, webhookEventNames } from './operation-types.ts';
import type { OpenApiDocument } from '@starship/contract';

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/orders/{order_id}': {
      parameters: [],
      get: {
        operationId: 'getOrder',
        responses: { '200': {}, '404': { $ref: '#/components/responses/NotFound' }, default: {} },
      },
      delete: { operationId: 'cancel', 'x-starship-planned': true, responses: { '204': {} } },
    },
    '/products': { get: { operationId: 'listProducts', responses: { '400': {}, '200': {} } } },
  },
  webhooks: { 'order.pending': {}, 'order.delivered': {} },
  components: {
    responses: {
      NotFound: { $ref: '#/components/responses/Missing' },
      Missing: { 'x-starship-error-codes': ['E_NOT_FOUND', 'E_FEATURE_DISABLED'] },
    },
  },
};

test('collectOperations: sorted by operationId, numeric statuses only, planned flag, error codes through refs', () => {
  assert.deepEqual(collectOperations(doc), [
    { operationId: 'cancel', method: 'delete', path: '/orders/{order_id}', statuses: [204], planned: true, errorCodes: [] },
    {
      operationId: 'getOrder',
      method: 'get',
      path: '/orders/{order_id}',
      statuses: [200, 404],
      planned: false,
      errorCodes: ['E_FEATURE_DISABLED', 'E_NOT_FOUND'],
    },
    { operationId: 'listProducts', method: 'get', path: '/products', statuses: [200, 400], planned: false, errorCodes: [] },
  ]);
});

test('collectOperations refuses an operation without operationId', () => {
  const bad = { openapi: '3.1.0', paths: { '/x': { post: { responses: {} } } } };
  assert.throws(() => collectOperations(bad), /POST \/x has no operationId/);
});

for (const [input, expected] of [
  ['/products', '/products'],
  ['/products/{product_id}/availability', '/products/:product_id/availability'],
  ['/a/{x}/b/{y}', '/a/:x/b/:y'],
] as const) {
  test(`expressPath ${input}`, () => assert.equal(expressPath(input), expected));
}

test('webhookEventNames sorted', () => {
  assert.deepEqual(webhookEventNames(doc), ['order.delivered', 'order.pending']);
});

test('operationTypesSource emits the route table, handler types and webhook map', () => {
  const src = operationTypesSource(doc, { name: 'demo', typePrefix: 'Demo', source: 'openapi/demo.yaml' });
  assert.match(src, /getOrder: \{ method: 'get', path: '\/orders\/\{order_id\}', expressPath: '\/orders\/:order_id', statuses: \[200, 404\], planned: false, errorCodes: \['E_FEATURE_DISABLED', 'E_NOT_FOUND'\] \}/);
  assert.match(src, /export const demoErrorCodes = \['E_FEATURE_DISABLED', 'E_NOT_FOUND'\] as const;/);
  assert.match(src, /getOrder: OperationTypes<operations\['getOrder'\], 200 \| 404>;/);
  assert.match(src, /import type \{ operations, webhooks \} from '.\/demo.ts';/);
  assert.match(src, /'order.pending': JsonRequestBody<webhooks\['order.pending'\]\['post'\]>;/);
  assert.match(src, /export type DemoHandlers<Context>/);
});
