import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from './context.ts';
import { buildOperationTable } from './operations.ts';
import { resolveOperation } from './resolve-operation.ts';
import { loadSpec } from '@starship/contract';
import { pipeline, serve } from '../test-support/http-harness.ts';

test('annotates the operation (path as sent, query ignored) and marks signatures not applicable to reads; rejects nothing', async () => {
  const contexts: RequestContext[] = [];
  const served = await serve(pipeline([resolveOperation(buildOperationTable(loadSpec('starship')))], { mount: '/api/v1', contexts }));
  try {
    await fetch(`${served.url}/api/v1/Orders/?status=PENDING`);
    await fetch(`${served.url}/api/v1/orders`, { method: 'POST' });
    assert.equal((await fetch(`${served.url}/api/v1/unknown`)).status, 200);
    assert.deepEqual(
      contexts.map((c) => [c.operation?.operationId, c.verdicts.signature.result]),
      [
        ['listOrders', 'NOT_APPLICABLE'],
        ['createOrder', 'NOT_EVALUATED'],
        [undefined, 'NOT_APPLICABLE'],
      ],
    );
  } finally {
    await served.close();
  }
});
