import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeQuery } from './query.ts';

const cases: [string, Record<string, unknown> | undefined, string][] = [
  ['empty', undefined, ''],
  ['scalars', { page: 2, limit: 20, has_more: true }, 'page=2&limit=20&has_more=true'],
  ['undefined and null skipped', { a: undefined, b: null, c: 'x' }, 'c=x'],
  ['spaces as %20', { category: 'Gift Cards' }, 'category=Gift%20Cards'],
  ['plus sign kept literal', { q: 'a+b' }, 'q=a%2Bb'],
  ['arrays repeated', { status: ['PENDING', 'DELIVERED'] }, 'status=PENDING&status=DELIVERED'],
  [
    'objects as JSON',
    { sort: { field: 'name', direction: 'ASC' } },
    'sort=%7B%22field%22%3A%22name%22%2C%22direction%22%3A%22ASC%22%7D',
  ],
];

for (const [name, query, expected] of cases) {
  test(`serializeQuery: ${name}`, () => assert.equal(serializeQuery(query), expected));
}
