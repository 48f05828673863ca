import { test } from 'node:test';
import assert from 'node:assert/strict';
import { operationGate } from './operation-gate.ts';
import { buildOperationTable } from './operations.ts';
import { resolveOperation } from './resolve-operation.ts';
import { loadSpec } from '@starship/contract';
import { startEngine } from '../test-support/engine.ts';
import { json, pipeline, serve } from '../test-support/http-harness.ts';

test('unknown route 404, wrong method 405 with Allow, planned operation 404 E_FEATURE_DISABLED until its flag is on', async (t) => {
  const engine = await startEngine(t, 'memory');
  const table = buildOperationTable(loadSpec('starship'));
  const served = await serve(pipeline([resolveOperation(table), operationGate(table, engine)], { mount: '/api/v1' }));
  try {
    assert.equal((await fetch(`${served.url}/api/v1/products`)).status, 200);

    const missing = await fetch(`${served.url}/api/v1/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal((await json(missing)).error.code, 'E_NOT_FOUND');

    const wrongMethod = await fetch(`${served.url}/api/v1/products`, { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');
    assert.deepEqual((await json(wrongMethod)).error.code, 'E_METHOD_NOT_ALLOWED');

    const planned = await fetch(`${served.url}/api/v1/reconciliation/2026-04-14`);
    assert.equal(planned.status, 404);
    const body = await json(planned);
    assert.equal(body.error.code, 'E_FEATURE_DISABLED');
    assert.equal(body.error.name, 'FeatureDisabled');
    assert.equal(body.error.message, 'getReconciliation is planned and not enabled (feature flag RECONCILIATION_API is off).');

    await engine.updateSettings({ feature_flags: { reconciliation_api: true } });
    assert.equal((await fetch(`${served.url}/api/v1/reconciliation/2026-04-14`)).status, 200);
    assert.equal((await fetch(`${served.url}/api/v1/orders/simulate`, { method: 'POST' })).status, 404, 'each flag gates its own operation');
  } finally {
    await served.close();
  }
});
