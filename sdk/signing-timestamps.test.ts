import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplaySafeSigner } from './signing-timestamps.ts';

const request = { secret: 'sk_test_1', method: 'POST', path: '/api/v1/orders', body: '{"product_id":1001,"amount":"10.00","quantity":1}' };

test('two different requests never get one signature; the exact retry with its key keeps its own', () => {
  const signer = new ReplaySafeSigner();
  const first = signer.sign({ ...request, timestamp: 1_800_000_000, idempotencyKey: 'a' });
  const second = signer.sign({ ...request, timestamp: 1_800_000_000, idempotencyKey: 'b' });
  const unkeyed = signer.sign({ ...request, timestamp: 1_800_000_000 });
  assert.equal(first.timestamp, '1800000000');
  assert.equal(second.timestamp, '1800000001', 'moved to the next second');
  assert.equal(unkeyed.timestamp, '1800000002');
  assert.equal(new Set([first.signature, second.signature, unkeyed.signature]).size, 3);
  assert.equal(signer.sign({ ...request, timestamp: 1_800_000_000, idempotencyKey: 'a' }).signature, first.signature, 'a retry with key a');
  assert.notEqual(signer.sign({ ...request, timestamp: 1_800_000_000 }).signature, unkeyed.signature, 'no key: never the same signature twice');
  assert.equal(signer.sign({ ...request, body: '{}', timestamp: 1_800_000_000 }).timestamp, '1800000000', 'another body is another signature');
});
