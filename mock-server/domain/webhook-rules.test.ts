import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDelivered } from '@starship/contract/webhook-delivery';
import { backoffSeconds, nextAttemptMs, orderEventType, RETRY_WINDOW_SECONDS } from './webhook-rules.ts';

test('backoff doubles from 30 s and is capped at one hour', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map(backoffSeconds), [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
});

test('jitter only shortens a wait, by at most 20 %', () => {
  const created = 0;
  const now = 1_000_000;
  assert.equal(nextAttemptMs(created, now, 3, 0), now + 120_000);
  assert.equal(nextAttemptMs(created, now, 3, 0.999999), now + 96_000);
  for (let i = 0; i < 100; i++) {
    const at = nextAttemptMs(created, now, 2, Math.random())!;
    assert.ok(at > now + 47_999 && at <= now + 60_000);
  }
});

test('no attempt is scheduled past 24 h after the event', () => {
  const window = RETRY_WINDOW_SECONDS * 1000;
  assert.equal(nextAttemptMs(0, window - 30_000, 1, 0), window);
  assert.equal(nextAttemptMs(0, window - 29_000, 1, 0), undefined);
  // Following the schedule from the first failure gives about 30 attempts in the 24 h.
  let now = 0;
  let failures = 0;
  for (;;) {
    failures += 1;
    const next = nextAttemptMs(0, now, failures, 0);
    if (next === undefined) break;
    now = next;
  }
  assert.ok(failures >= 25 && failures <= 35, `${failures} attempts`);
});

test('only a 2xx counts as delivered', () => {
  assert.deepEqual([200, 204, 299, 300, 301, 404, 500, null].map(isDelivered), [true, true, true, false, false, false, false, false]);
});

test('each order status has its event; PLACED has none', () => {
  assert.equal(orderEventType('PLACED'), undefined);
  assert.equal(orderEventType('PENDING'), 'order.pending');
  assert.equal(orderEventType('DELIVERED'), 'order.delivered');
  assert.equal(orderEventType('PARTIALLY_DELIVERED'), 'order.partially_delivered');
  assert.equal(orderEventType('CANCELLED'), 'order.cancelled');
  assert.equal(orderEventType('FAILED'), 'order.failed');
});
