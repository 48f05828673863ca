import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import { contextOf } from './context.ts';
import { buildOperationTable } from './operations.ts';
import { rateLimit, rateLimitPreview } from './rate-limit.ts';
import { RateLimiter } from './rate-limiter.ts';
import { resolveOperation } from './resolve-operation.ts';
import { loadSpec } from '@starship/contract';
import { json, pipeline, serve, settableClock } from '../test-support/http-harness.ts';

const T = 1_800_000_000;

/** Authenticates `X-API-Key: pk_test_ok` only; anything else is a 401 raised before the limiter. */
const fakeAuth: RequestHandler = (req, res, next) => {
  if (req.get('x-api-key') !== 'pk_test_ok') throw new ApiError(401, 'E_UNAUTHORIZED', 'no');
  contextOf(res).partner = { partnerId: 'ptr_1', apiKey: 'pk_test_ok', apiSecret: 'sk', ipAllowlist: [] };
  next();
};

async function setup() {
  const clock = settableClock(T + 5);
  const limiter = new RateLimiter({ windowSeconds: 60, burst: { limit: 3, windowSeconds: 10 }, classes: { PRODUCT_LIST: 4, DEFAULT: 50 } });
  const app = pipeline(
    [resolveOperation(buildOperationTable(loadSpec('starship'))), rateLimitPreview(limiter, clock), fakeAuth, rateLimit(limiter, clock)],
    { mount: '/api/v1' },
  );
  return { clock, served: await serve(app) };
}

const headersOf = (response: Response) => ({
  limit: response.headers.get('x-ratelimit-limit'),
  remaining: response.headers.get('x-ratelimit-remaining'),
  reset: response.headers.get('x-ratelimit-reset'),
});

test('X-RateLimit-* on every response; 429 E_RATE_LIMITED with Retry-After; case and slash variants share a bucket', async () => {
  const { clock, served } = await setup();
  const get = (path: string, key = 'pk_test_ok') => fetch(`${served.url}${path}`, { headers: { 'X-API-Key': key } });
  try {
    const first = await get('/api/v1/products');
    assert.equal(first.status, 200);
    assert.deepEqual(headersOf(first), { limit: '4', remaining: '3', reset: String(T + 60) });
    assert.deepEqual((await json(first)).locals.rate_limit, { result: 'PASS', class: 'PRODUCT_LIST', limit: 4, remaining: 3 });

    assert.equal((await get('/API/V1/Products/')).status, 200);
    assert.equal((await get('/api/v1/PRODUCTS?limit=1')).status, 200);
    const limited = await get('/api/v1/products');
    assert.equal(limited.status, 429, 'the burst of 3 is spent across the variants');
    assert.equal(limited.headers.get('retry-after'), '5');
    assert.deepEqual(headersOf(limited), { limit: '4', remaining: '1', reset: String(T + 60) });
    const body = await json(limited);
    assert.equal(body.error.code, 'E_RATE_LIMITED');
    assert.equal(body.error.name, 'RateLimited');

    const otherClass = await get('/api/v1/orders');
    assert.equal(otherClass.status, 200);
    assert.deepEqual(headersOf(otherClass), { limit: '50', remaining: '49', reset: String(T + 60) });

    clock.set(T + 10);
    assert.equal((await get('/api/v1/products')).status, 200);
    const minute = await get('/api/v1/products');
    assert.equal(minute.status, 429, 'the per-minute limit of 4 is spent');
    assert.equal(minute.headers.get('retry-after'), '50');

    const rejectedEarlier = await get('/api/v1/products', 'pk_test_unknown');
    assert.equal(rejectedEarlier.status, 401);
    assert.deepEqual(headersOf(rejectedEarlier), { limit: '4', remaining: '4', reset: String(T + 60) }, 'a 401 carries them too');
  } finally {
    await served.close();
  }
});
