import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytesPooled, randomIntPooled } from './random.ts';

test('pooled bytes are fresh across refills and of the requested length', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const bytes = randomBytesPooled(12);
    assert.equal(bytes.length, 12);
    seen.add(bytes.toString('hex'));
  }
  assert.equal(seen.size, 5000);
  assert.equal(randomBytesPooled(40_000).length, 40_000);
});

test('randomIntPooled stays in range and covers it', () => {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 10_000; i++) {
    const n = randomIntPooled(10);
    assert.ok(Number.isInteger(n) && n >= 0 && n < 10);
    counts[n]! += 1;
  }
  assert.ok(counts.every((c) => c > 800 && c < 1200), counts.join(','));
});
