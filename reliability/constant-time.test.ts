/**
 * Secret and signature comparisons go through crypto.timingSafeEqual: the API secret and the admin token
 * (secrets.ts safeEqual, used by apiKeyAuth and adminAuth), request signatures (verifyRequestSignature) and
 * webhook signatures (verifyWebhook), both through anySignatureMatches. The spy replaces node:crypto's
 * export and syncBuiltinESMExports carries it into every ESM `import { timingSafeEqual }`. (A timing
 * measurement would be flaky; the code path is what can be asserted.)
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { NextFunction, Request, Response } from 'express';
import { adminAuth } from '@starship/sandbox/http/admin-auth';
import { apiKeyAuth } from '@starship/sandbox/http/api-key-auth';
import { initialVerdicts } from '@starship/sandbox/http/context';
import { safeEqual } from '@starship/sandbox/http/secrets';
import { signRequest, verifyRequestSignature } from '@starship/sdk';
import { signWebhookPayload, verifyWebhook } from '@starship/sdk';

let calls: [Buffer, Buffer][] = [];

beforeEach(() => {
  calls = [];
  const original = crypto.timingSafeEqual;
  mock.method(crypto, 'timingSafeEqual', (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    calls.push([Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)]);
    return original(a, b);
  });
  syncBuiltinESMExports();
});
afterEach(() => {
  mock.restoreAll();
  syncBuiltinESMExports();
});

const compared = (value: string) => calls.some(([a, b]) => a.toString() === value || b.toString() === value);

test('safeEqual compares through timingSafeEqual, equal lengths or not', () => {
  assert.equal(safeEqual('secret-a', 'secret-b'), false);
  assert.equal(safeEqual('short', 'much-longer-secret'), false);
  assert.equal(safeEqual('same', 'same'), true);
  assert.equal(calls.length, 3);
});

function fakeExchange(headers: Record<string, string>): { req: Request; res: Response } {
  const req = { get: (name: string) => headers[name.toLowerCase()], rawHeaders: Object.entries(headers).flat() } as unknown as Request;
  const res = { locals: { starship: { verdicts: initialVerdicts() } } } as unknown as Response;
  return { req, res };
}

test('the API secret (apiKeyAuth) and the admin token (adminAuth) are compared in constant time', async () => {
  const engine = { findPartnerByApiKey: async () => ({ partnerId: 'ptr_1', apiKey: 'key', apiSecret: 'the-real-secret', ipAllowlist: [] }) };
  const { req, res } = fakeExchange({ 'x-api-key': 'key', 'x-api-secret': 'a-wrong-secret!' });
  await assert.rejects(Promise.resolve(apiKeyAuth(engine)(req, res, (() => {}) as NextFunction)), /Invalid API key or secret/);
  assert.ok(compared('the-real-secret'), 'the API secret went through timingSafeEqual');

  calls = [];
  const admin = fakeExchange({ authorization: 'Bearer not-the-token' });
  assert.throws(() => adminAuth('adm_the_token')(admin.req, admin.res, (() => {}) as NextFunction), /admin token/);
  assert.ok(compared('adm_the_token'), 'the admin token went through timingSafeEqual');
});

test('request and webhook signatures are compared in constant time', () => {
  const now = 1_800_000_000;
  const signed = signRequest({ secret: 'sk_1', timestamp: now, method: 'POST', path: '/api/v1/orders', body: '{}' });
  const verdict = verifyRequestSignature({
    secret: 'sk_1',
    method: 'POST',
    path: '/api/v1/orders',
    body: '{}',
    timestampHeader: signed.timestamp,
    signatureHeader: signed.header.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
    now,
  });
  assert.equal(verdict.ok, false);
  assert.ok(calls.length > 0, 'verifyRequestSignature compared with timingSafeEqual');

  calls = [];
  const body = JSON.stringify({ event_id: 'evt_1', event_type: 'order.delivered', event: 'order.delivered', created_at: '2027-01-15T08:00:00Z', data: {} });
  const header = signWebhookPayload({ secrets: 'whsec_1', body, timestamp: now });
  assert.ok(verifyWebhook(body, header, ['whsec_0', 'whsec_1'], { now }));
  assert.equal(calls.length, 2, 'both secrets compared, without stopping at the match');
});
