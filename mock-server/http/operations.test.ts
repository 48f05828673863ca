import { test } from 'node:test';
import assert from 'node:assert/strict';
import { starshipOperations } from '@starship/spec/starship-operations';
import { sandboxOperations } from '@starship/spec/sandbox-operations';
import { buildOperationTable } from './operations.ts';
import { loadSpec } from '@starship/contract';

const partner = buildOperationTable(loadSpec('starship'));
const sandbox = buildOperationTable(loadSpec('sandbox'));

const idOf = (method: string, path: string) => {
  const match = partner.match(method, path);
  return match.kind === 'FOUND' ? match.operation.operationId : match.kind;
};

test('the tables hold exactly the generated route tables, under each spec base path', () => {
  assert.equal(partner.basePath, '/api/v1');
  assert.equal(sandbox.basePath, '/sandbox/v1');
  assert.deepEqual([...partner.byId.keys()].sort(), Object.keys(starshipOperations).sort());
  assert.deepEqual([...sandbox.byId.keys()].sort(), Object.keys(sandboxOperations).sort());
  for (const [id, op] of Object.entries(starshipOperations)) {
    const operation = partner.byId.get(id);
    assert.equal(operation?.method, op.method.toUpperCase());
    assert.equal(operation?.path, op.path);
  }
});

test('matching ignores case and one trailing slash; a literal segment beats a template', () => {
  assert.equal(idOf('GET', '/api/v1/products'), 'listProducts');
  assert.equal(idOf('get', '/API/V1/Products/'), 'listProducts');
  assert.equal(idOf('GET', '/api/v1/products/1001'), 'getProduct');
  assert.equal(idOf('POST', '/api/v1/products/1001/availability'), 'checkProductAvailability');
  assert.equal(idOf('POST', '/api/v1/orders/simulate'), 'simulateOrder');
  assert.equal(idOf('GET', '/api/v1/orders/ord_01KP5JHE5RPHMY8VB485T2M51E'), 'getOrder');
  assert.equal(idOf('GET', '/api/v1/products//'), 'NOT_FOUND');
  assert.equal(idOf('GET', '/api/v1/nope'), 'NOT_FOUND');
  assert.equal(idOf('GET', '/api/v2/products'), 'NOT_FOUND');
  assert.deepEqual(partner.match('PATCH', '/api/v1/webhooks/wh_1'), { kind: 'METHOD_NOT_ALLOWED', allow: ['PUT', 'DELETE'] });
});

test('a match carries the path parameters as the URL spells them, for the validator to decode', () => {
  const match = sandbox.match('PUT', '/sandbox/v1/partners/ptr_%41/wallets/usd/threshold/');
  assert.equal(match.kind, 'FOUND');
  assert.deepEqual(match.kind === 'FOUND' && match.pathParams, { partner_id: 'ptr_%41', currency: 'usd' });
  const literal = partner.match('POST', '/api/v1/orders/simulate');
  assert.deepEqual(literal.kind === 'FOUND' && literal.pathParams, {});
});

test('each operation carries its rate-limit class and Idempotency-Key requirement from the spec', () => {
  const op = (id: string) => partner.byId.get(id)!;
  assert.equal(op('listProducts').rateLimitClass, 'PRODUCT_LIST');
  assert.equal(op('getProduct').rateLimitClass, 'PRODUCT_DETAILS');
  assert.equal(op('createOrder').rateLimitClass, 'ORDERS');
  assert.equal(op('getOrder').rateLimitClass, 'DEFAULT');
  assert.equal(op('createOrder').idempotencyKey, 'REQUIRED');
  assert.equal(op('upsertWebhook').idempotencyKey, 'OPTIONAL');
  assert.equal(op('rotateWebhookSecret').idempotencyKey, 'OPTIONAL');
  assert.equal(op('calculateCharges').idempotencyKey, 'NONE');
  assert.ok(op('updateWebhook').parameters.some((p) => p.name === 'webhook_id'), 'path-item parameters are included');
});
