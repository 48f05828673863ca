import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ORDER_STATUSES, parseEnum } from './enums.ts';

test('parseEnum accepts any case and the REALTIME alias', () => {
  const deliveryTimes = ['INSTANT', 'DELAYED'] as const;
  const cases: Array<[string, string | undefined]> = [
    ['instant', 'INSTANT'],
    ['Instant', 'INSTANT'],
    ['REALTIME', 'INSTANT'],
    ['realtime', 'INSTANT'],
    ['delayed', 'DELAYED'],
    ['soon', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(parseEnum(input, deliveryTimes), expected, input);
  assert.equal(parseEnum('partially_delivered', ORDER_STATUSES), 'PARTIALLY_DELIVERED');
});
