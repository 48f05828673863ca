import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notFoundFallback } from './not-found.ts';
import { json, pipeline, serve } from '../test-support/http-harness.ts';

test('an unrouted request is 404 E_NOT_FOUND in the envelope', async () => {
  const served = await serve(pipeline([notFoundFallback()]));
  try {
    const response = await fetch(`${served.url}/elsewhere`, { method: 'POST' });
    assert.equal(response.status, 404);
    assert.deepEqual((await json(response)).error, { name: 'NotFound', code: 'E_NOT_FOUND', message: 'No operation at POST /elsewhere.' });
  } finally {
    await served.close();
  }
});
