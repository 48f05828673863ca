import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageResponse } from './pagination.ts';

test('pagination headers: page, per page, totals, this page size and whether more exist', () => {
  assert.deepEqual(pageResponse({ items: [1, 2], total: 5 }, { page: 1, limit: 2 }).headers, {
    'X-Page': 1,
    'X-Per-Page': 2,
    'X-Total-Count': 5,
    'X-Total-Pages': 3,
    'X-Page-Size': 2,
    'X-Has-More': true,
  });
  const last = pageResponse({ items: [5], total: 5 }, { page: 3, limit: 2 });
  assert.equal(last.headers['X-Has-More'], false);
  assert.equal(last.headers['X-Page-Size'], 1);
  assert.deepEqual(last.body, [5]);
  const empty = pageResponse({ items: [], total: 0 }, {});
  assert.deepEqual([empty.headers['X-Page'], empty.headers['X-Per-Page'], empty.headers['X-Total-Pages'], empty.headers['X-Has-More']], [1, 50, 0, false]);
});
