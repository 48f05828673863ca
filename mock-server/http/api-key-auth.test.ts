import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PartnerCredentials } from '../engine.ts';
import { apiKeyAuth } from './api-key-auth.ts';
import type { RequestContext } from './context.ts';
import { getWithRawHeaders, json, pipeline, serve } from '../test-support/http-harness.ts';

const partner: PartnerCredentials = {
  partnerId: 'ptr_01KP5JFKJRHZ9SB1SVVD0X1QTN',
  apiKey: 'pk_test_a',
  apiSecret: 'sk_test_secret',
  ipAllowlist: ['0.0.0.0/0'],
};
const engine = { findPartnerByApiKey: async (key: string) => (key === partner.apiKey ? partner : undefined) };

test('X-API-Key + X-API-Secret: every failure is the same 401 E_UNAUTHORIZED; the verdict says which part failed', async () => {
  const contexts: RequestContext[] = [];
  const served = await serve(pipeline([apiKeyAuth(engine)], { contexts }));
  const call = (headers: Record<string, string>) => fetch(`${served.url}/x`, { headers });
  try {
    const cases: [Record<string, string>, { reason: string; partnerId: string | undefined }][] = [
      [{}, { reason: 'X-API-Key header is missing', partnerId: undefined }],
      [{ 'X-API-Key': partner.apiKey }, { reason: 'X-API-Secret header is missing', partnerId: undefined }],
      [{ 'X-API-Key': 'pk_test_nobody', 'X-API-Secret': partner.apiSecret }, { reason: 'X-API-Key is not known', partnerId: undefined }],
      [
        { 'X-API-Key': partner.apiKey, 'X-API-Secret': 'sk_test_secreT' },
        { reason: 'X-API-Secret does not match the API key', partnerId: partner.partnerId },
      ],
      [
        { 'X-API-Key': partner.apiKey, 'X-API-Secret': 'sk_test_secret_longer' },
        { reason: 'X-API-Secret does not match the API key', partnerId: partner.partnerId },
      ],
    ];
    for (const [headers, verdict] of cases) {
      const response = await call(headers);
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.deepEqual((await json(response)).error, { name: 'Unauthorized', code: 'E_UNAUTHORIZED', message: 'Invalid API key or secret.' });
      const ctx = contexts.pop();
      assert.deepEqual({ reason: ctx?.verdicts.auth.reason, partnerId: ctx?.partnerId }, verdict);
    }
    const ok = await call({ 'X-API-Key': partner.apiKey, 'X-API-Secret': partner.apiSecret });
    assert.equal(ok.status, 200);
    assert.deepEqual((await json(ok)).locals.auth, { result: 'PASS', reason: null });
  } finally {
    await served.close();
  }
});

// Regression (issue 18): a repeated credential header must not let either copy win.
test('X-API-Key or X-API-Secret sent twice is a 401 whose verdict says so, even when both copies are right', async () => {
  const contexts: RequestContext[] = [];
  const served = await serve(pipeline([apiKeyAuth(engine)], { contexts }));
  try {
    const cases: [[string, string][], string][] = [
      [[['X-API-Key', partner.apiKey], ['X-API-Key', partner.apiKey], ['X-API-Secret', partner.apiSecret]], 'X-API-Key header was sent 2 times'],
      [[['X-API-Key', partner.apiKey], ['X-API-Secret', partner.apiSecret], ['x-api-secret', 'sk_test_other']], 'X-API-Secret header was sent 2 times'],
    ];
    for (const [headers, reason] of cases) {
      const reply = await getWithRawHeaders(`${served.url}/x`, headers);
      assert.equal(reply.status, 401);
      assert.equal(reply.body.error.code, 'E_UNAUTHORIZED');
      assert.equal(contexts.pop()?.verdicts.auth.reason, reason);
    }
  } finally {
    await served.close();
  }
});
