import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPagination } from './pagination.ts';

test('readPagination reads every seed header', () => {
  const headers = new Headers({
    'X-Page': '2',
    'X-Per-Page': '50',
    'X-Total-Count': '1247',
    'X-Total-Pages': '25',
    'X-Page-Size': '50',
    'X-Has-More': 'true',
  });
  assert.deepEqual(readPagination(headers, 50), {
    page: 2,
    per_page: 50,
    total_count: 1247,
    total_pages: 25,
    page_size: 50,
    has_more: true,
  });
});

test('readPagination falls back to the body when headers are missing or garbled', () => {
  assert.deepEqual(readPagination(new Headers({ 'X-Page': 'two', 'X-Has-More': 'FALSE' }), 3), {
    page: 1,
    per_page: 3,
    total_count: 3,
    total_pages: 1,
    page_size: 3,
    has_more: false,
  });
  assert.equal(readPagination(new Headers({ 'X-Page': '1', 'X-Total-Pages': '4' }), 10).has_more, true);
});
