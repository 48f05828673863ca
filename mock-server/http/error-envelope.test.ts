import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import { capturingLogger, json, pipeline, serve } from '../test-support/http-harness.ts';

test('ApiError → its status, headers and envelope; anything else → logged, 500 E_INTERNAL without a trace of it', async () => {
  const { logger, lines } = capturingLogger();
  const thrower: RequestHandler = async (req) => {
    if (req.path === '/api') {
      throw new ApiError(422, 'E_INSUFFICIENT_FUNDS', 'Wallet USD balance 1.00 is below 2.00.', {
        messages: ['a', 'b'],
        headers: { 'X-Extra': 'yes' },
      });
    }
    throw new TypeError('secret internals at /srv/app.ts:42');
  };
  const served = await serve(pipeline([thrower], { logger }));
  try {
    const known = await fetch(`${served.url}/api`);
    assert.equal(known.status, 422);
    assert.equal(known.headers.get('x-extra'), 'yes');
    assert.match(known.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await json(known), {
      error: { name: 'InsufficientFunds', code: 'E_INSUFFICIENT_FUNDS', message: 'Wallet USD balance 1.00 is below 2.00.', messages: ['a', 'b'] },
    });

    const bug = await fetch(`${served.url}/bug`);
    assert.equal(bug.status, 500);
    const text = await bug.text();
    assert.deepEqual(JSON.parse(text), {
      error: { name: 'InternalError', code: 'E_INTERNAL', message: 'Something went wrong. Quote the X-Trace-ID when contacting support.' },
    });
    assert.ok(!text.includes('secret') && !text.includes('TypeError'));
    const logged = lines.find((line) => line.msg === 'unhandled error') as { err?: { stack?: string }; traceId?: string } | undefined;
    assert.match(logged?.err?.stack ?? '', /secret internals/);
    assert.equal(logged?.traceId, bug.headers.get('x-trace-id'));
  } finally {
    await served.close();
  }
});
