import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTime, isValid } from 'ulid';
import { IDEMPOTENCY_KEY_PREFIX, newIdempotencyKey } from './idempotency.ts';

test('newIdempotencyKey: prefix + a valid ULID stamped with the current time', () => {
  const before = Date.now();
  const key = newIdempotencyKey();
  const id = key.slice(IDEMPOTENCY_KEY_PREFIX.length);
  assert.match(key, /^idk_[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.ok(isValid(id));
  assert.ok(decodeTime(id) >= before && decodeTime(id) <= Date.now());
});

test('newIdempotencyKey: no repeats across many keys in the same millisecond range', () => {
  const keys = Array.from({ length: 10_000 }, () => newIdempotencyKey());
  assert.equal(new Set(keys).size, keys.length);
});
