import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  anySignatureMatches,
  bodyBytes,
  formatSignatureHeader,
  hmacSha256Hex,
  parseSignatureHeader,
  timestampString,
  timestampWindowViolation,
} from './hmac.ts';
import type { ParsedSignatureHeader, SignatureHeaderFailureReason } from './hmac.ts';

const A = 'a'.repeat(64);
const B = '0123456789abcdef'.repeat(4);

const parseCases: Array<[string, string | null | undefined, ParsedSignatureHeader | SignatureHeaderFailureReason]> = [
  ['one v1', `t=1744646400,v1=${A}`, { ok: true, t: '1744646400', v1: [A] }],
  ['several v1 in order', `t=1,v1=${A},v1=${B}`, { ok: true, t: '1', v1: [A, B] }],
  ['t after v1', `v1=${A},t=5`, { ok: true, t: '5', v1: [A] }],
  ['unknown schemes ignored, whatever their value', `t=1,v0=NOT-HEX,v2=abc==,v1=${A}`, { ok: true, t: '1', v1: [A] }],
  ['undefined', undefined, 'HEADER_MISSING'],
  ['null', null, 'HEADER_MISSING'],
  ['empty', '', 'HEADER_MISSING'],
  ['bare hex, no scheme', A, 'HEADER_ITEM_MALFORMED'],
  ['space after comma', `t=1, v1=${A}`, 'HEADER_ITEM_MALFORMED'],
  ['trailing comma', `t=1,v1=${A},`, 'HEADER_ITEM_MALFORMED'],
  ['empty value', `t=,v1=${A}`, 'HEADER_ITEM_MALFORMED'],
  ['empty scheme', `=1,v1=${A}`, 'HEADER_ITEM_MALFORMED'],
  ['no t', `v1=${A}`, 'T_MISSING'],
  ['upper-case T is not t', `T=1,v1=${A}`, 'T_MISSING'],
  ['two t', `t=1,t=1,v1=${A}`, 'T_DUPLICATE'],
  ['t not digits', `t=17446464e2,v1=${A}`, 'T_MALFORMED'],
  ['t negative', `t=-1,v1=${A}`, 'T_MALFORMED'],
  ['t fractional', `t=1.5,v1=${A}`, 'T_MALFORMED'],
  ['no v1', 't=1', 'V1_MISSING'],
  ['only v0', `t=1,v0=${A}`, 'V1_MISSING'],
  ['upper-case hex', `t=1,v1=${A.toUpperCase()}`, 'V1_MALFORMED'],
  ['63 hex chars', `t=1,v1=${A.slice(1)}`, 'V1_MALFORMED'],
  ['65 hex chars', `t=1,v1=${A}a`, 'V1_MALFORMED'],
  ['base64, not hex', `t=1,v1=${Buffer.from(A, 'hex').toString('base64')}`, 'V1_MALFORMED'],
  ['one good v1 does not excuse a malformed one', `t=1,v1=${A},v1=xyz`, 'V1_MALFORMED'],
];

for (const [name, header, expected] of parseCases) {
  test(`parseSignatureHeader: ${name}`, () => {
    const parsed = parseSignatureHeader(header);
    if (typeof expected === 'string') {
      assert.equal(parsed.ok, false);
      assert.equal(!parsed.ok && parsed.reason, expected);
      assert.ok(!parsed.ok && parsed.message.length > 0);
    } else {
      assert.deepEqual(parsed, expected);
    }
  });
}

test('formatSignatureHeader round-trips through parseSignatureHeader', () => {
  const header = formatSignatureHeader('1744646400', [A, B]);
  assert.equal(header, `t=1744646400,v1=${A},v1=${B}`);
  assert.deepEqual(parseSignatureHeader(header), { ok: true, t: '1744646400', v1: [A, B] });
});

for (const [name, expected, received, result] of [
  ['single match', [A], [A], true],
  ['match in second received', [A], [B, A], true],
  ['match with second expected (rotated secret)', [B, A], [A], true],
  ['no match', [A], [B], false],
  ['nothing received', [A], [], false],
  ['wrong length never matches', [A], [A.slice(0, 62)], false],
] as const) {
  test(`anySignatureMatches: ${name}`, () => assert.equal(anySignatureMatches(expected, received), result));
}

for (const [name, now, tolerance, expected] of [
  ['same second', 1000, 300, undefined],
  ['300 s old is inside (inclusive)', 1300, 300, undefined],
  ['300 s ahead is inside (inclusive)', 700, 300, undefined],
  ['301 s old', 1301, 300, 'TIMESTAMP_TOO_OLD'],
  ['301 s ahead', 699, 300, 'TIMESTAMP_TOO_NEW'],
  ['fractional now just past the edge', 1300.5, 300, 'TIMESTAMP_TOO_OLD'],
  ['zero tolerance, same second', 1000, 0, undefined],
  ['zero tolerance, one second off', 1001, 0, 'TIMESTAMP_TOO_OLD'],
] as const) {
  test(`timestampWindowViolation: ${name}`, () => assert.equal(timestampWindowViolation('1000', now, tolerance), expected));
}

test('timestampWindowViolation rejects a nonsensical tolerance or clock', () => {
  assert.throws(() => timestampWindowViolation('1000', 1000, -1), RangeError);
  assert.throws(() => timestampWindowViolation('1000', 1000, Number.NaN), RangeError);
  assert.throws(() => timestampWindowViolation('1000', Number.NaN, 300), RangeError);
});

test('timestampWindowViolation: an absurdly long t is simply out of window', () => {
  assert.equal(timestampWindowViolation('9'.repeat(400), 1000, 300), 'TIMESTAMP_TOO_NEW');
});

for (const [name, input, expected] of [
  ['number', 1744646400, '1744646400'],
  ['zero', 0, '0'],
  ['digit string kept verbatim', '0001', '0001'],
] as const) {
  test(`timestampString: ${name}`, () => assert.equal(timestampString(input), expected));
}

for (const [name, input] of [
  ['fractional', 1.5],
  ['negative', -1],
  ['NaN', Number.NaN],
  ['unsafe integer', 2 ** 53],
  ['ISO date', '2026-04-14T00:00:00Z'],
  ['empty', ''],
  ['signed', '+1'],
] as const) {
  test(`timestampString rejects ${name}`, () => assert.throws(() => timestampString(input), TypeError));
}

for (const [name, body, hex] of [
  ['undefined', undefined, ''],
  ['null', null, ''],
  ['empty string', '', ''],
  ['string as UTF-8', 'é', 'c3a9'],
  ['Buffer', Buffer.from([1, 2, 255]), '0102ff'],
  ['Uint8Array view at an offset', new Uint8Array([9, 1, 2, 9]).subarray(1, 3), '0102'],
] as const) {
  test(`bodyBytes: ${name}`, () => assert.equal(bodyBytes(body).toString('hex'), hex));
}

test('bodyBytes refuses a parsed object, which would not be the signed bytes', () => {
  assert.throws(() => bodyBytes({ a: 1 } as unknown as string), /raw body/);
});

test('hmacSha256Hex: RFC 4231 test case 2 and an empty secret', () => {
  assert.equal(
    hmacSha256Hex('Jefe', Buffer.from('what do ya want for nothing?')),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  );
  assert.throws(() => hmacSha256Hex('', Buffer.from('x')), TypeError);
});
