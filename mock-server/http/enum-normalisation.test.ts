import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEnumPlan, compileEnumPlan, enumNormalisation } from './enum-normalisation.ts';
import { buildOperationTable } from './operations.ts';
import { rawBody } from './raw-body.ts';
import { resolveOperation } from './resolve-operation.ts';
import { loadSpec } from '@starship/contract';
import { json, pipeline, serve } from '../test-support/http-harness.ts';

const doc = { openapi: '3.1.0', components: { schemas: { DeliveryTime: { type: 'string', enum: ['INSTANT', 'DELAYED'] } } } };

test('plans follow $ref, properties, items and allOf/anyOf/oneOf; REALTIME is read as INSTANT', () => {
  const plan = compileEnumPlan(doc, {
    type: 'object',
    properties: {
      delivery_time: { $ref: '#/components/schemas/DeliveryTime' },
      times: { type: 'array', items: { $ref: '#/components/schemas/DeliveryTime' } },
      nested: { allOf: [{ type: 'object', properties: { t: { $ref: '#/components/schemas/DeliveryTime' } } }] },
      free: { type: 'string' },
    },
  });
  assert.ok(plan);
  const value = { delivery_time: 'realtime', times: ['Instant', 'delayed', 'SOON'], nested: { t: 'REALTIME' }, free: 'instant' };
  assert.deepEqual(applyEnumPlan(plan, value), {
    delivery_time: 'INSTANT',
    times: ['INSTANT', 'DELAYED', 'SOON'],
    nested: { t: 'INSTANT' },
    free: 'instant',
  });
  assert.equal(compileEnumPlan(doc, { type: 'object', properties: { a: { type: 'string' } } }), undefined, 'no enums, no plan');
});

test('lowercase event names stay canonical lowercase; other enums without INSTANT get no alias', () => {
  const plan = compileEnumPlan(doc, { type: 'string', enum: ['order.delivered', 'ACTIVE'] });
  assert.ok(plan);
  assert.equal(applyEnumPlan(plan, 'ORDER.Delivered'), 'order.delivered');
  assert.equal(applyEnumPlan(plan, 'active'), 'ACTIVE');
  assert.equal(applyEnumPlan(plan, 'realtime'), 'realtime');
});

test('query parameters (JSON content ones too) and bodies are normalised before validation, from the spec', async () => {
  const spec = loadSpec('starship');
  const table = buildOperationTable(spec);
  const served = await serve(
    pipeline([rawBody(), resolveOperation(table), enumNormalisation(spec, table)], {
      mount: '/api/v1',
      terminal: (req, res) => {
        res.json({ query: req.query, body: req.body ?? null });
      },
    }),
  );
  const get = async (pathAndQuery: string) => json(await fetch(`${served.url}/api/v1${pathAndQuery}`));
  try {
    assert.deepEqual((await get('/orders?status=pending&page=1')).query, { status: 'PENDING', page: '1' });
    assert.deepEqual((await get('/orders?status=partially_Delivered')).query, { status: 'PARTIALLY_DELIVERED' });
    assert.deepEqual((await get('/orders?status=nonsense')).query, { status: 'nonsense' }, 'left for the validator');
    assert.deepEqual((await get('/transactions?type=refund')).query, { type: 'REFUND' });
    const sort = encodeURIComponent(JSON.stringify({ field: 'name', direction: 'asc' }));
    assert.deepEqual((await get(`/products?sort=${sort}`)).query, { sort: '{"field":"name","direction":"ASC"}' });

    const update = await fetch(`${served.url}/api/v1/webhooks/wh_1`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: 'https://x.example', events: ['Order.Delivered'], status: 'disabled' }),
    });
    assert.deepEqual((await json(update)).body, { url: 'https://x.example', events: ['order.delivered'], status: 'DISABLED' });
  } finally {
    await served.close();
  }
});
