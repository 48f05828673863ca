import { test } from 'node:test';
import assert from 'node:assert/strict';
import { magicOutcome } from './magic.ts';

test('a reference starting with a magic token forces that outcome', () => {
  const cases: Array<[string | null | undefined, string | undefined]> = [
    ['SANDBOX_FORCE_PENDING', 'PENDING'],
    ['SANDBOX_FORCE_PENDING:inv-42', 'PENDING'],
    ['SANDBOX_FORCE_PARTIAL inv 42', 'PARTIAL'],
    ['SANDBOX_FORCE_DELIVERED', 'DELIVERED'],
    ['SANDBOX_FORCE_VENDOR-1', 'VENDOR'],
    ['SANDBOX_FORCE_FAIL', 'FAIL'],
    ['SANDBOX_FORCE_CANCEL#7', 'CANCEL'],
    ['SANDBOX_FORCE_INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS'],
    ['SANDBOX_FORCE_PENDINGX', undefined],
    ['SANDBOX_FORCE_FAIL_SOMEHOW', undefined],
    ['sandbox_force_pending', undefined],
    ['INV-SANDBOX_FORCE_PENDING', undefined],
    ['INV-2026-0414-001', undefined],
    [null, undefined],
    [undefined, undefined],
  ];
  for (const [reference, expected] of cases) assert.equal(magicOutcome(reference), expected, String(reference));
});
