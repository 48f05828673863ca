import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { C } from '../engine.ts';
import { faults, UNKNOWN_ENUM_VALUE, UNKNOWN_FIELD } from './faults.ts';
import { openApiValidation } from './openapi-validation.ts';
import { buildOperationTable } from './operations.ts';
import { resolveOperation } from './resolve-operation.ts';
import { loadSpec } from '@starship/contract';
import { json, pipeline, product, rateLimitHeaders, serve, silentLogger } from '../test-support/http-harness.ts';

const spec = loadSpec('starship');
const table = buildOperationTable(spec);

function fault(overrides: Partial<C['Fault']>): C['Fault'] {
  return {
    fault_id: 'flt_01KP5M11KRK3JTP7J4BFBVH1YK',
    operation_id: 'getProduct',
    path: null,
    partner_id: null,
    kind: 'HTTP_ERROR',
    status: null,
    count: 1,
    remaining: 0,
    retry_after: null,
    delay_ms: null,
    created_at: '2026-04-14T09:20:00Z',
    ...overrides,
  };
}

test('armed faults: HTTP_ERROR (with Retry-After, any status), DELAY, UNKNOWN_FIELDS and UNKNOWN_ENUM past response validation', async () => {
  const armed: C['Fault'][] = [];
  const taken: [string | undefined, string][] = [];
  const engine = {
    takeFault: async (operationId: string | undefined, path: string) => {
      taken.push([operationId, path]);
      return armed.shift();
    },
  };
  const served = await serve(
    pipeline([resolveOperation(table), openApiValidation({ doc: spec, validateResponses: true, logger: silentLogger }), rateLimitHeaders, faults(engine, spec)], {
      mount: '/api/v1',
      terminal: (_req, res) => void res.json(product),
    }),
  );
  const get = () => fetch(`${served.url}/api/v1/products/1001?`);
  try {
    const plain = await get();
    assert.equal(plain.status, 200);
    assert.deepEqual(taken, [['getProduct', '/api/v1/products/1001']]);

    armed.push(fault({ status: 503, retry_after: 3 }));
    const unavailable = await get();
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '3');
    assert.equal((await json(unavailable)).error.code, 'E_SERVICE_UNAVAILABLE');

    armed.push(fault({}));
    assert.equal((await get()).status, 503, 'HTTP_ERROR defaults to 503');

    armed.push(fault({ status: 418 }));
    const teapot = await get();
    assert.equal(teapot.status, 418, 'an undocumented status is sent as armed, not turned into a 500');
    assert.equal((await json(teapot)).error.code, 'E_INJECTED_FAULT');

    armed.push(fault({ kind: 'DELAY', delay_ms: 300 }));
    const started = performance.now();
    const delayed = await get();
    assert.equal(delayed.status, 200);
    assert.ok(performance.now() - started >= 290);

    armed.push(fault({ kind: 'UNKNOWN_FIELDS' }));
    const extra = await get();
    assert.equal(extra.status, 200);
    const extraBody = await json(extra);
    assert.ok(UNKNOWN_FIELD in extraBody);
    assert.equal(extraBody.name, product.name);

    armed.push(fault({ kind: 'UNKNOWN_ENUM' }));
    const odd = await get();
    assert.equal(odd.status, 200);
    assert.deepEqual(await json(odd), { ...product, delivery_type: UNKNOWN_ENUM_VALUE });
  } finally {
    await served.close();
  }
});
