import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRetryableStatus, parseRetryAfterMs, retryDelayMs } from './retry.ts';

for (const [status, expected] of [
  [429, true],
  [500, true],
  [502, true],
  [503, true],
  [504, true],
  [400, false],
  [401, false],
  [403, false],
  [404, false],
  [409, false],
  [422, false],
  [501, false],
  [505, false],
  [200, false],
] as const) {
  test(`isRetryableStatus(${status}) is ${expected}`, () => assert.equal(isRetryableStatus(status), expected));
}

const almostOne = () => 1 - Number.EPSILON;
const now = new Date('2015-10-21T07:27:50Z');

for (const [name, input, expected] of [
  ['random 0 → no wait', { attempt: 1, random: () => 0 }, 0],
  ['attempt 1 tops out below base', { attempt: 1, random: almostOne }, 249],
  ['attempt 2 doubles', { attempt: 2, random: almostOne }, 499],
  ['attempt 3 doubles again', { attempt: 3, random: almostOne }, 999],
  ['jitter is proportional', { attempt: 3, random: () => 0.5 }, 500],
  ['capped at 20 s', { attempt: 10, random: almostOne }, 19_999],
  ['no overflow for huge attempts', { attempt: 5000, random: () => 0.5 }, 10_000],
  ['custom base and cap', { attempt: 4, baseMs: 100, capMs: 500, random: () => 0.5 }, 250],
  ['Retry-After seconds is a floor', { attempt: 1, retryAfterHeader: '3', random: () => 0 }, 3000],
  ['Retry-After may exceed the cap', { attempt: 1, retryAfterHeader: '60', random: () => 0 }, 60_000],
  ['backoff longer than Retry-After wins', { attempt: 3, retryAfterHeader: '0', random: () => 0.5 }, 500],
  ['Retry-After HTTP-date', { attempt: 1, retryAfterHeader: 'Wed, 21 Oct 2015 07:28:00 GMT', random: () => 0, now }, 10_000],
  ['Retry-After date in the past', { attempt: 2, retryAfterHeader: 'Wed, 21 Oct 2015 07:00:00 GMT', random: () => 0.5, now }, 250],
  ['unparseable Retry-After ignored', { attempt: 2, retryAfterHeader: 'soon', random: () => 0.5 }, 250],
  ['null Retry-After ignored', { attempt: 2, retryAfterHeader: null, random: () => 0.5 }, 250],
] as const) {
  test(`retryDelayMs: ${name}`, () => assert.equal(retryDelayMs(input), expected));
}

test('retryDelayMs defaults to Math.random within the backoff ceiling', () => {
  for (let i = 0; i < 200; i++) {
    const delay = retryDelayMs({ attempt: 2 });
    assert.ok(Number.isInteger(delay) && delay >= 0 && delay < 500, String(delay));
  }
});

for (const attempt of [0, -1, 1.5, Number.NaN]) {
  test(`retryDelayMs rejects attempt ${attempt}`, () => assert.throws(() => retryDelayMs({ attempt }), RangeError));
}

for (const [name, header, expected] of [
  ['delta-seconds', '120', 120_000],
  ['zero', '0', 0],
  ['surrounding whitespace', ' 5 ', 5000],
  ['IMF-fixdate', 'Wed, 21 Oct 2015 07:28:00 GMT', 10_000],
  ['obsolete RFC 850 date', 'Wednesday, 21-Oct-15 07:28:00 GMT', 10_000],
  ['obsolete asctime date', 'Wed Oct 21 07:28:00 2015', 10_000],
  ['asctime with a single-digit day', 'Sun Nov  1 07:27:50 2015', 11 * 86_400_000],
  ['past date clamps to 0', 'Tue, 20 Oct 2015 07:28:00 GMT', 0],
  ['absent', undefined, undefined],
  ['empty', '', undefined],
  ['fraction (not delta-seconds, and not a date)', '1.5', undefined],
  ['negative', '-1', undefined],
  ['ISO 8601 is not an HTTP-date', '2015-10-21T07:28:00Z', undefined],
  ['date without GMT', 'Wed, 21 Oct 2015 07:28:00', undefined],
  ['words', 'soon', undefined],
] as const) {
  test(`parseRetryAfterMs: ${name}`, () => assert.equal(parseRetryAfterMs(header, now), expected));
}

test('parseRetryAfterMs reads asctime as UTC whatever the local zone', () => {
  const saved = process.env.TZ;
  process.env.TZ = 'America/New_York';
  try {
    assert.equal(parseRetryAfterMs('Wed Oct 21 07:28:00 2015', now), 10_000);
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});
