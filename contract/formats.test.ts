import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCalendarDate, isDateTime } from './formats.ts';

test('dates are real calendar days; date-times need one and a zone', () => {
  for (const good of ['2027-02-28', '2028-02-29', '2026-12-31']) assert.equal(isCalendarDate(good), true, good);
  for (const bad of ['2027-02-30', '2027-02-29', '2026-04-31', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z']) assert.equal(isCalendarDate(bad), false, bad);
  for (const good of ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.5+05:30']) assert.equal(isDateTime(good), true, good);
  for (const bad of ['2026-02-30T00:00:00Z', '2026-01-01T00:00:00', '2026-01-01']) assert.equal(isDateTime(bad), false, bad);
});
