import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signRequest } from '@starship/sdk';
import { diagnoseSignature, pythonJsonDumpsSpacing, type SignedRequestSeen } from './signature-diagnosis.ts';

const SECRET = 'sk_test_secret';
const KEY = 'pk_test_key';
const TS = '1795390000';
const BODY = '{"product_id":1001,"amount":"25.00","quantity":1}';
const hmac = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');

function seen(v1: string, overrides: Partial<SignedRequestSeen> = {}): SignedRequestSeen {
  return { method: 'POST', path: '/api/v1/orders?dry_run=false', host: '127.0.0.1:4010', body: BODY, timestampHeader: TS, signatureHeader: `t=${TS},v1=${v1}`, ...overrides };
}

const cases: Array<[string, string, RegExp]> = [
  ['path without the query', hmac(SECRET, `${TS}POST/api/v1/orders${BODY}`), /^path: query string left out/],
  ['path without /api/v1', hmac(SECRET, `${TS}POST/orders?dry_run=false${BODY}`), /^path: \/api\/v1 prefix left out/],
  ['full URL', hmac(SECRET, `${TS}POSThttp://127.0.0.1:4010/api/v1/orders?dry_run=false${BODY}`), /^path: full URL signed/],
  ['body re-serialised with indentation', hmac(SECRET, `${TS}POST/api/v1/orders?dry_run=false${JSON.stringify(JSON.parse(BODY), null, 2)}`), /^body: re-serialised with 2-space indentation/],
  ['body with keys sorted', hmac(SECRET, `${TS}POST/api/v1/orders?dry_run=false{"amount":"25.00","product_id":1001,"quantity":1}`), /^body: re-serialised with keys sorted/],
  ['body left out', hmac(SECRET, `${TS}POST/api/v1/orders?dry_run=false`), /^body: left out/],
  ['lower-case method', hmac(SECRET, `${TS}post/api/v1/orders?dry_run=false${BODY}`), /^method: signed in lower case/],
  ['timestamp read twice', hmac(SECRET, `${Number(TS) + 1}POST/api/v1/orders?dry_run=false${BODY}`), /^timestamp: signed with 1795390001, not the X-Timestamp sent/],
  ['newline separators', hmac(SECRET, `${TS}\nPOST\n/api/v1/orders?dry_run=false\n${BODY}`), /^separator: parts joined with "\\n"/],
  ['API key as the HMAC key', hmac(KEY, `${TS}POST/api/v1/orders?dry_run=false${BODY}`), /^key: signed with the API key/],
  ['another secret', hmac('sk_test_other', `${TS}POST/api/v1/orders?dry_run=false${BODY}`), /^unknown: v1 matches none/],
];

for (const [name, v1, part] of cases) {
  test(`diagnoses ${name}`, () => {
    const diagnosis = diagnoseSignature(seen(v1), SECRET, KEY);
    assert.match(diagnosis.part, part);
    assert.equal(diagnosis.expected, `${TS}POST/api/v1/orders?dry_run=false${BODY}`);
  });
}

test('names the variation the partner signed, next to what the sandbox signed', () => {
  const diagnosis = diagnoseSignature(seen(hmac(SECRET, `${TS}POST/api/v1/orders${BODY}`)), SECRET, KEY);
  assert.equal(diagnosis.signed, `${TS}POST/api/v1/orders${BODY}`);
});

test('t= different from X-Timestamp: signed with t', () => {
  const other = String(Number(TS) - 60);
  const v1 = hmac(SECRET, `${other}POST/api/v1/orders?dry_run=false${BODY}`);
  assert.match(diagnoseSignature(seen(v1, { signatureHeader: `t=${other},v1=${v1}` }), SECRET, KEY).part, /^timestamp: signed with t=1795389940, but X-Timestamp is 1795390000/);
});

test('header problems are reported before any HMAC is tried', () => {
  assert.equal(diagnoseSignature(seen('x', { timestampHeader: null }), SECRET, KEY).part, 'X-Timestamp header missing');
  assert.match(diagnoseSignature(seen('x', { timestampHeader: '2026-11-23' }), SECRET, KEY).part, /is not unix seconds/);
  assert.match(diagnoseSignature(seen('x', { signatureHeader: 'sha256=abc' }), SECRET, KEY).part, /^X-Signature header: /);
});

test('a correct signature is not blamed on the canonical string', () => {
  const signed = signRequest({ secret: SECRET, timestamp: TS, method: 'POST', path: '/api/v1/orders?dry_run=false', body: BODY });
  assert.match(diagnoseSignature(seen(signed.signature), SECRET, KEY).part, /^none: the signature matches/);
});

test("names a body signed after Python's default json.dumps spacing while compact JSON was sent", () => {
  const sent = '{"product_id":1001,"amount":"25.00","quantity":1,"customer_info":{"name":"Zoë 😀, \\"x\\": y","tags":[1,2]}}';
  // What python3 -c 'import json; print(json.dumps(body))' writes for that body.
  const python = '{"product_id": 1001, "amount": "25.00", "quantity": 1, "customer_info": {"name": "Zo\\u00eb \\ud83d\\ude00, \\"x\\": y", "tags": [1, 2]}}';
  assert.equal(pythonJsonDumpsSpacing(sent), python);
  const diagnosis = diagnoseSignature(seen(hmac(SECRET, `${TS}POST/api/v1/orders?dry_run=false${python}`), { body: sent }), SECRET, KEY);
  assert.match(diagnosis.part, /^body: re-serialised with Python's default json\.dumps spacing \(", " and ": "\)/);
  assert.equal(diagnosis.signed, `${TS}POST/api/v1/orders?dry_run=false${python}`);
});

test('any X-Timestamp of digits is diagnosed without an error: 0, 1 and one beyond a double', () => {
  for (const timestamp of ['0', '1', '99999999999999999999999']) {
    const v1 = hmac('sk_test_other', `${timestamp}POST/api/v1/orders?dry_run=false${BODY}`);
    const diagnosis = diagnoseSignature(seen(v1, { timestampHeader: timestamp, signatureHeader: `t=${timestamp},v1=${v1}` }), SECRET, KEY);
    assert.match(diagnosis.part, /^unknown: /, timestamp);
  }
});
