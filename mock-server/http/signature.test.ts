import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { signRequest } from '@starship/sdk';
import { signingVectors } from '../../testdata/vectors.ts';
import { contextOf, type RequestContext } from './context.ts';
import { rawBody } from './raw-body.ts';
import { requestSignature, signingToleranceFromSpec } from './signature.ts';
import { loadSpec } from '@starship/contract';
import { json, pipeline, serve, settableClock } from '../test-support/http-harness.ts';

const asPartner = (apiSecret: string): RequestHandler => (_req, res, next) => {
  contextOf(res).partner = { partnerId: 'ptr_1', apiKey: 'pk_test_1', apiSecret, ipAllowlist: [] };
  next();
};

/** These tests are about verification: every signature is taken as its first use (replays: replay.test.ts). */
const firstUse = { recordSignatureUse: async () => 'FIRST' as const };

test('the tolerance comes from the spec: ±300 s', () => {
  assert.equal(signingToleranceFromSpec(loadSpec('starship')), 300);
});

test('the shared signing vectors verify through the sandbox over HTTP, with the server computing the same canonical string', async () => {
  for (const vector of signingVectors.request_signing) {
    const clock = settableClock(vector.timestamp);
    const served = await serve(pipeline([rawBody(), asPartner(vector.secret), requestSignature(clock, 300, firstUse)]));
    try {
      const response = await fetch(`${served.url}${vector.path}`, {
        method: vector.method,
        headers: { 'Content-Type': 'application/json', 'X-Timestamp': String(vector.timestamp), 'X-Signature': vector.x_signature },
        body: vector.body === '' ? undefined : vector.body,
      });
      assert.equal(response.status, 200, `${vector.method} ${vector.path}`);
      assert.deepEqual((await json(response)).locals.signature, { result: 'PASS', canonical_string: vector.canonical, reason: null });
    } finally {
      await served.close();
    }
  }
});

test('bad, stale and future signatures and t ≠ X-Timestamp are refused with the right code; GETs are not checked', async () => {
  const secret = 'sk_test_5f1c9a';
  const now = 1_800_000_000;
  const clock = settableClock(now);
  const served = await serve(pipeline([rawBody(), asPartner(secret), requestSignature(clock, 300, firstUse)]));
  const body = '{"product_id":1001,"amount":"25.00","quantity":1}';
  const post = (headers: Record<string, string>, sentBody = body) =>
    fetch(`${served.url}/api/v1/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: sentBody });
  const signed = (timestamp: number, signedBody = body, path = '/api/v1/orders') =>
    signRequest({ secret, timestamp, method: 'POST', path, body: signedBody }).headers;
  const expectRefusal = async (response: Response, code: string, reason: RegExp) => {
    assert.equal(response.status, 401);
    const envelope = await json(response);
    assert.equal(envelope.error.code, code);
    assert.match(envelope.error.message, reason);
  };
  try {
    assert.equal((await post(signed(now))).status, 200);
    assert.equal((await post(signed(now - 300))).status, 200, 'the window is inclusive');

    await expectRefusal(await post(signed(now - 301)), 'E_TIMESTAMP_OUT_OF_WINDOW', /outside ±300 s/);
    await expectRefusal(await post(signed(now + 301)), 'E_TIMESTAMP_OUT_OF_WINDOW', /outside ±300 s/);
    await expectRefusal(await post(signed(now), body.replace('25.00', '26.00')), 'E_SIGNATURE_INVALID', /does not match/);
    await expectRefusal(await post(signed(now, body, '/api/v1/orders?x=1')), 'E_SIGNATURE_INVALID', /does not match/);
    const { 'X-Signature': signature } = signed(now);
    await expectRefusal(await post({ 'X-Timestamp': String(now + 1), 'X-Signature': signature }), 'E_SIGNATURE_INVALID', /does not equal X-Timestamp/);
    await expectRefusal(await post({ 'X-Signature': signature }), 'E_SIGNATURE_INVALID', /X-Timestamp header is missing/);
    await expectRefusal(await post({ 'X-Timestamp': String(now) }), 'E_SIGNATURE_INVALID', /X-Signature header is missing/);
    const withOtherSecret = signRequest({ secret: 'sk_test_other', timestamp: now, method: 'POST', path: '/api/v1/orders', body }).headers;
    await expectRefusal(await post(withOtherSecret), 'E_SIGNATURE_INVALID', /does not match/);

    const get = await fetch(`${served.url}/api/v1/orders`);
    assert.equal(get.status, 200);
  } finally {
    await served.close();
  }
});

test('a failed check records the canonical string the server computed and why, never the secret', async () => {
  const secret = 'sk_test_verdict';
  const now = 1_800_000_000;
  const contexts: RequestContext[] = [];
  const served = await serve(pipeline([rawBody(), asPartner(secret), requestSignature(settableClock(now), 300, firstUse)], { contexts }));
  try {
    const signed = signRequest({ secret, timestamp: now, method: 'POST', path: '/api/v1/orders', body: '{"a":1}' });
    const response = await fetch(`${served.url}/api/v1/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signed.headers },
      body: '{"a": 1}',
    });
    assert.equal(response.status, 401);
    const verdict = contexts[0]?.verdicts.signature;
    assert.equal(verdict?.result, 'FAIL');
    assert.equal(verdict?.canonical_string, `${now}POST/api/v1/orders{"a": 1}`);
    assert.match(verdict?.reason ?? '', /^V1_MISMATCH: /);
    assert.ok(!JSON.stringify(verdict).includes(secret));
    assert.ok(!JSON.stringify(verdict).includes(signed.signature));
  } finally {
    await served.close();
  }
});

test("the 401 for a body signed after Python's json.dumps spacing names it in messages, as the certification report does", async () => {
  const secret = 'sk_test_python';
  const now = 1_800_000_000;
  const served = await serve(pipeline([rawBody(), asPartner(secret), requestSignature(settableClock(now), 300, firstUse)]));
  try {
    const sent = '{"product_id":1001,"amount":"25.00","quantity":1}';
    const pythonDumps = '{"product_id": 1001, "amount": "25.00", "quantity": 1}';
    const signed = signRequest({ secret, timestamp: now, method: 'POST', path: '/api/v1/orders', body: pythonDumps });
    const response = await fetch(`${served.url}/api/v1/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signed.headers }, body: sent });
    assert.equal(response.status, 401);
    const { error } = await json(response);
    assert.equal(error.code, 'E_SIGNATURE_INVALID');
    assert.deepEqual(error.messages, [
      `differs in body: re-serialised with Python's default json.dumps spacing (", " and ": "), not the bytes sent: serialise once, then sign and send that same string`,
      `sandbox signed: ${JSON.stringify(`${now}POST/api/v1/orders${sent}`)}`,
      `you signed:     ${JSON.stringify(`${now}POST/api/v1/orders${pythonDumps}`)}`,
    ]);
    assert.ok(!JSON.stringify(error).includes(signed.signature), 'the expected signature is never revealed');

    const stale = signRequest({ secret, timestamp: now - 900, method: 'POST', path: '/api/v1/orders', body: sent });
    const window = await json(await fetch(`${served.url}/api/v1/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...stale.headers }, body: sent }));
    assert.equal(window.error.code, 'E_TIMESTAMP_OUT_OF_WINDOW');
    assert.equal(window.error.messages, undefined, 'a correct signature outside the window needs no diagnosis');
  } finally {
    await served.close();
  }
});
