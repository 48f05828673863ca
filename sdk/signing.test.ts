import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signingVectors } from '../testdata/vectors.ts';
import type { RequestSigningVector } from '../testdata/vectors.ts';
import {
  WRITE_METHODS,
  canonicalRequestBytes,
  canonicalRequestString,
  isWriteMethod,
  signRequest,
  verifyRequestSignature,
} from './signing.ts';
import type { RequestSignatureVerification, VerifyRequestSignatureInput } from './signing.ts';


const vectors = signingVectors.request_signing;

test('the shared request-signing vectors are present', () => assert.ok(vectors.length >= 6));

for (const [i, v] of vectors.entries()) {
  const label = `vector ${i} (${v.method} ${v.path})`;

  test(`${label}: canonical string and X-Signature`, () => {
    assert.equal(canonicalRequestString(v), v.canonical);
    const signed = signRequest(v);
    assert.equal(signed.header, v.x_signature);
    assert.deepEqual(signed.headers, { 'X-Timestamp': String(v.timestamp), 'X-Signature': v.x_signature });
    assert.equal(signed.timestamp, String(v.timestamp));
    assert.equal(`t=${signed.timestamp},v1=${signed.signature}`, v.x_signature);
  });

  test(`${label}: same signature from a string timestamp, a lower-case method and a byte body`, () => {
    const body = v.body === '' ? undefined : new Uint8Array(Buffer.from(v.body, 'utf8'));
    const signed = signRequest({ ...v, timestamp: String(v.timestamp), method: v.method.toLowerCase(), body });
    assert.equal(signed.header, v.x_signature);
  });

  test(`${label}: verifies`, () => {
    const result = verifyRequestSignature({
      ...v,
      timestampHeader: String(v.timestamp),
      signatureHeader: v.x_signature,
      now: v.timestamp,
    });
    assert.deepEqual(result, { ok: true, canonical: v.canonical });
  });
}

const [base, , emptyBody, , unicode] = vectors as [RequestSigningVector, RequestSigningVector, RequestSigningVector, RequestSigningVector, RequestSigningVector];
const ts = String(base.timestamp);
const goodV1 = base.x_signature.slice(base.x_signature.indexOf('v1=') + 3);
const otherV1 = 'f'.repeat(64);

const valid: VerifyRequestSignatureInput = {
  secret: base.secret,
  method: base.method,
  path: base.path,
  body: base.body,
  timestampHeader: ts,
  signatureHeader: base.x_signature,
  now: base.timestamp,
};

type Expectation = 'ok' | [code: string, reason: string];

const verifyCases: Array<[string, Partial<VerifyRequestSignatureInput>, Expectation]> = [
  ['untouched', {}, 'ok'],
  ['method received in lower case', { method: 'post' }, 'ok'],
  ['body as Buffer', { body: Buffer.from(base.body) }, 'ok'],
  ['300 s later (edge of window)', { now: base.timestamp + 300 }, 'ok'],
  ['300 s earlier (edge of window)', { now: base.timestamp - 300 }, 'ok'],
  ['v1 for another secret first (rotation)', { signatureHeader: `t=${ts},v1=${otherV1},v1=${goodV1}` }, 'ok'],
  ['v1 for another secret second', { signatureHeader: `t=${ts},v1=${goodV1},v1=${otherV1}` }, 'ok'],
  ['unknown v0 scheme alongside', { signatureHeader: `t=${ts},v0=legacy,v1=${goodV1}` }, 'ok'],
  ['tampered body', { body: base.body.replace('25.00', '2500') }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['body re-serialised with spaces', { body: JSON.stringify(JSON.parse(base.body), null, 1) }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['query string added', { path: `${base.path}?x=1` }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['path without /api/v1', { path: '/orders' }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['other method', { method: 'PUT' }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['wrong secret', { secret: 'sk_test_5f1c9b' }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['only other v1s', { signatureHeader: `t=${ts},v1=${otherV1},v1=${'0'.repeat(64)}` }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['t ≠ X-Timestamp', { timestampHeader: String(base.timestamp + 1) }, ['E_SIGNATURE_INVALID', 'T_MISMATCH']],
  ['t ≠ X-Timestamp by leading zero', { timestampHeader: `0${ts}` }, ['E_SIGNATURE_INVALID', 'T_MISMATCH']],
  ['stale: 301 s old', { now: base.timestamp + 301 }, ['E_TIMESTAMP_OUT_OF_WINDOW', 'TIMESTAMP_TOO_OLD']],
  ['future: 301 s ahead', { now: base.timestamp - 301 }, ['E_TIMESTAMP_OUT_OF_WINDOW', 'TIMESTAMP_TOO_NEW']],
  ['custom tolerance', { now: base.timestamp + 11, toleranceSeconds: 10 }, ['E_TIMESTAMP_OUT_OF_WINDOW', 'TIMESTAMP_TOO_OLD']],
  ['stale and tampered: the signature is judged first', { now: base.timestamp + 301, body: '{}' }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['X-Timestamp missing', { timestampHeader: undefined }, ['E_SIGNATURE_INVALID', 'X_TIMESTAMP_MISSING']],
  ['X-Timestamp empty', { timestampHeader: '' }, ['E_SIGNATURE_INVALID', 'X_TIMESTAMP_MISSING']],
  ['X-Timestamp in milliseconds with a dot', { timestampHeader: `${ts}.000` }, ['E_SIGNATURE_INVALID', 'X_TIMESTAMP_MALFORMED']],
  ['X-Timestamp as a date', { timestampHeader: '2025-04-14T16:00:00Z' }, ['E_SIGNATURE_INVALID', 'X_TIMESTAMP_MALFORMED']],
  ['X-Signature missing', { signatureHeader: undefined }, ['E_SIGNATURE_INVALID', 'HEADER_MISSING']],
  ['X-Signature is the bare hex', { signatureHeader: goodV1 }, ['E_SIGNATURE_INVALID', 'HEADER_ITEM_MALFORMED']],
  ['X-Signature with a space', { signatureHeader: `t=${ts}, v1=${goodV1}` }, ['E_SIGNATURE_INVALID', 'HEADER_ITEM_MALFORMED']],
  ['upper-case hex', { signatureHeader: `t=${ts},v1=${goodV1.toUpperCase()}` }, ['E_SIGNATURE_INVALID', 'V1_MALFORMED']],
  ['no v1', { signatureHeader: `t=${ts}` }, ['E_SIGNATURE_INVALID', 'V1_MISSING']],
  ['no t', { signatureHeader: `v1=${goodV1}` }, ['E_SIGNATURE_INVALID', 'T_MISSING']],
];

function assertOutcome(result: RequestSignatureVerification, expected: Expectation): void {
  if (expected === 'ok') {
    assert.equal(result.ok, true, JSON.stringify(result));
    return;
  }
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual([result.code, result.reason], expected);
  assert.ok(result.message.length > 0);
}

for (const [name, change, expected] of verifyCases) {
  test(`verifyRequestSignature: ${name}`, () => assertOutcome(verifyRequestSignature({ ...valid, ...change }), expected));
}

test('a failure reports the canonical string the server signed, and never the secret or expected signature', () => {
  const result = verifyRequestSignature({ ...valid, secret: 'sk_wrong_secret' });
  assert.equal(result.ok, false);
  assert.equal(result.canonical, base.canonical);
  const serialised = JSON.stringify(result);
  assert.ok(!serialised.includes('sk_wrong_secret'));
  assert.ok(!serialised.includes(signRequest({ ...base, secret: 'sk_wrong_secret' }).signature));
});

test('no canonical string when X-Timestamp is unusable', () => {
  assert.equal(verifyRequestSignature({ ...valid, timestampHeader: undefined }).canonical, undefined);
});

test('the window defaults to 300 s around the current clock', () => {
  const now = Math.floor(Date.now() / 1000);
  const fresh = signRequest({ ...base, timestamp: now - 290 });
  const stale = signRequest({ ...base, timestamp: now - 310 });
  const check = (s: typeof fresh) =>
    verifyRequestSignature({ ...valid, timestampHeader: s.timestamp, signatureHeader: s.header, now: undefined });
  assert.equal(check(fresh).ok, true);
  assertOutcome(check(stale), ['E_TIMESTAMP_OUT_OF_WINDOW', 'TIMESTAMP_TOO_OLD']);
});

test('signRequest defaults the timestamp to now', () => {
  const before = Math.floor(Date.now() / 1000);
  const signed = signRequest({ secret: base.secret, method: 'DELETE', path: '/api/v1/webhooks/wh_1' });
  const t = Number(signed.timestamp);
  assert.ok(t >= before && t <= Math.floor(Date.now() / 1000));
});

test('an empty body may be omitted, null or empty: all sign the same', () => {
  const sigs = [undefined, null, '', new Uint8Array()].map((body) => signRequest({ ...emptyBody, body }).header);
  assert.deepEqual(new Set(sigs), new Set([emptyBody.x_signature]));
});

test('non-ASCII: string and Buffer bodies sign identically, and the bytes are UTF-8', () => {
  const fromBuffer = signRequest({ ...unicode, body: Buffer.from(unicode.body, 'utf8') });
  assert.equal(fromBuffer.header, unicode.x_signature);
  assert.notEqual(signRequest({ ...unicode, body: Buffer.from(unicode.body, 'latin1') }).header, unicode.x_signature);
  const received = { ...valid, secret: unicode.secret, path: unicode.path, timestampHeader: String(unicode.timestamp), now: unicode.timestamp };
  assert.equal(verifyRequestSignature({ ...received, body: Buffer.from(unicode.body), signatureHeader: unicode.x_signature }).ok, true);
  assert.equal(verifyRequestSignature({ ...received, body: unicode.body, signatureHeader: fromBuffer.header }).ok, true);
});

test('bodies that are not UTF-8 are signed as raw bytes, not decoded first', () => {
  const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
  const signed = signRequest({ secret: 's', timestamp: 1, method: 'POST', path: '/api/v1/x', body });
  assert.equal(canonicalRequestBytes({ timestamp: 1, method: 'POST', path: '/api/v1/x', body }).subarray(-4).toString('hex'), '7bfffe7d');
  const received = { secret: 's', method: 'POST', path: '/api/v1/x', timestampHeader: '1', signatureHeader: signed.header, now: 1 };
  assert.equal(verifyRequestSignature({ ...received, body }).ok, true);
  assert.equal(verifyRequestSignature({ ...received, body: body.toString('utf8') }).ok, false);
});

for (const [name, input, pattern] of [
  ['a full URL as path', { path: 'https://api-playground.starshiprewards.com/api/v1/orders' }, /path/],
  ['an empty secret', { secret: '' }, /secret/],
  ['a millisecond timestamp', { timestamp: 1744646400123.5 }, /timestamp/],
  ['a parsed body', { body: { product_id: 1 } as unknown as string }, /raw body/],
] as const) {
  test(`signRequest refuses ${name}`, () => assert.throws(() => signRequest({ ...base, ...input }), pattern));
}

for (const [method, expected] of [
  ['POST', true],
  ['put', true],
  ['PATCH', true],
  ['delete', true],
  ['GET', false],
  ['HEAD', false],
  ['OPTIONS', false],
] as const) {
  test(`isWriteMethod(${method}) is ${expected}`, () => assert.equal(isWriteMethod(method), expected));
}

test('WRITE_METHODS matches the spec extension applies_to', () => {
  assert.deepEqual([...WRITE_METHODS], ['POST', 'PUT', 'PATCH', 'DELETE']);
});
