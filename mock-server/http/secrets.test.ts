import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeEqual } from './secrets.ts';

test('safeEqual is plain equality whatever the lengths', () => {
  assert.equal(safeEqual('sk_test_1', 'sk_test_1'), true);
  assert.equal(safeEqual('sk_test_2', 'sk_test_1'), false);
  assert.equal(safeEqual('sk_test_1x', 'sk_test_1'), false);
  assert.equal(safeEqual('', 'sk_test_1'), false);
  assert.equal(safeEqual('é', 'é'), true);
});
