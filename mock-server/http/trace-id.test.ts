import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import { pipeline, serve } from '../test-support/http-harness.ts';

test('every response carries an X-Trace-ID; a well-formed incoming one is kept, a malformed one replaced', async () => {
  const failOnRequest: RequestHandler = (req, _res, next) => {
    if (req.path === '/fail') throw new ApiError(418, 'E_TEAPOT', 'no');
    next();
  };
  const served = await serve(pipeline([failOnRequest]));
  try {
    const fresh = await fetch(`${served.url}/ok`);
    assert.match(fresh.headers.get('x-trace-id') ?? '', /^[0-9a-f]{32}$/);

    const kept = await fetch(`${served.url}/ok`, { headers: { 'X-Trace-ID': '4bf92f3577b34da6a3ce929d0e0e4736' } });
    assert.equal(kept.headers.get('x-trace-id'), '4bf92f3577b34da6a3ce929d0e0e4736');

    for (const bad of ['has space', 'x'.repeat(129), '-leading-dash', 'quote"d']) {
      const replaced = await fetch(`${served.url}/ok`, { headers: { 'X-Trace-ID': bad } });
      assert.match(replaced.headers.get('x-trace-id') ?? '', /^[0-9a-f]{32}$/, bad);
    }

    const error = await fetch(`${served.url}/fail`, { headers: { 'X-Trace-ID': 'trace-123' } });
    assert.equal(error.status, 418);
    assert.equal(error.headers.get('x-trace-id'), 'trace-123');
  } finally {
    await served.close();
  }
});
