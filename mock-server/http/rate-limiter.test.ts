import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter, rateLimitsFromSpec, type RateLimits } from './rate-limiter.ts';
import { loadSpec } from '@starship/contract';

const limits: RateLimits = { windowSeconds: 60, burst: { limit: 5, windowSeconds: 10 }, classes: { PRODUCT_LIST: 8, DEFAULT: 100 } };
const T = 1_800_000_000; // a multiple of 60: windows start here

test('the spec publishes the limits: 100/min product list, 200/min details, 60/min orders, 120/min default, 20 per 10 s burst', () => {
  assert.deepEqual(rateLimitsFromSpec(loadSpec('starship')), {
    windowSeconds: 60,
    burst: { limit: 20, windowSeconds: 10 },
    classes: { PRODUCT_LIST: 100, PRODUCT_DETAILS: 200, ORDERS: 60, DEFAULT: 120 },
  });
});

test('the burst window caps a class at 5 per 10 s, with Retry-After until that window ends', () => {
  const limiter = new RateLimiter(limits);
  for (let i = 0; i < 5; i++) {
    const decision = limiter.hit('pk', 'PRODUCT_LIST', T + 1);
    assert.deepEqual(decision, { allowed: true, limit: 8, remaining: 7 - i, reset: T + 60 });
  }
  assert.deepEqual(limiter.hit('pk', 'PRODUCT_LIST', T + 3), { allowed: false, limit: 8, remaining: 3, reset: T + 60, retryAfter: 7 });
  assert.equal(limiter.hit('pk', 'PRODUCT_LIST', T + 10).allowed, true, 'a new burst window');
});

test('the per-minute limit holds across burst windows; Retry-After runs to the minute boundary', () => {
  const limiter = new RateLimiter(limits);
  for (let i = 0; i < 5; i++) assert.equal(limiter.hit('pk', 'PRODUCT_LIST', T).allowed, true);
  for (let i = 0; i < 3; i++) assert.equal(limiter.hit('pk', 'PRODUCT_LIST', T + 20).allowed, true);
  const refused = limiter.hit('pk', 'PRODUCT_LIST', T + 45);
  assert.deepEqual(refused, { allowed: false, limit: 8, remaining: 0, reset: T + 60, retryAfter: 15 });
  assert.deepEqual(limiter.hit('pk', 'PRODUCT_LIST', T + 60), { allowed: true, limit: 8, remaining: 7, reset: T + 120 });
});

test('buckets are per API key and class; rejected requests are not counted; peek counts nothing', () => {
  const limiter = new RateLimiter(limits);
  for (let i = 0; i < 5; i++) limiter.hit('pk_a', 'PRODUCT_LIST', T);
  assert.equal(limiter.hit('pk_a', 'PRODUCT_LIST', T).allowed, false);
  assert.equal(limiter.hit('pk_a', 'PRODUCT_LIST', T).allowed, false);
  assert.equal(limiter.hit('pk_a', 'DEFAULT', T).allowed, true);
  assert.equal(limiter.hit('pk_b', 'PRODUCT_LIST', T).allowed, true);
  assert.deepEqual(limiter.peek('pk_a', 'PRODUCT_LIST', T), { allowed: true, limit: 8, remaining: 3, reset: T + 60 });
  assert.deepEqual(limiter.peek('pk_new', 'ORDERS', T), { allowed: true, limit: 100, remaining: 100, reset: T + 60 }, 'unknown class → DEFAULT');
});

test('partner overrides replace a class limit and the burst', () => {
  const limiter = new RateLimiter(limits);
  const overrides = { product_list: 2, burst: 50 };
  assert.equal(limiter.hit('pk', 'PRODUCT_LIST', T, overrides).limit, 2);
  assert.equal(limiter.hit('pk', 'PRODUCT_LIST', T, overrides).remaining, 0);
  assert.equal(limiter.hit('pk', 'PRODUCT_LIST', T, overrides).allowed, false);
  for (let i = 0; i < 20; i++) assert.equal(limiter.hit('pk', 'DEFAULT', T, overrides).allowed, true, 'burst raised to 50');
});

test('a clock set back (sandbox reset) starts fresh windows', () => {
  const limiter = new RateLimiter(limits);
  for (let i = 0; i < 5; i++) limiter.hit('pk', 'DEFAULT', T + 86_400);
  assert.equal(limiter.hit('pk', 'DEFAULT', T + 86_400).allowed, false);
  assert.equal(limiter.hit('pk', 'DEFAULT', T).allowed, true);
});
