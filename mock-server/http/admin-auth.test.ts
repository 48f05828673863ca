import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminAuth } from './admin-auth.ts';
import { getWithRawHeaders, json, pipeline, serve } from '../test-support/http-harness.ts';

test('Authorization: Bearer <admin token> or 401 E_UNAUTHORIZED in the envelope', async () => {
  assert.throws(() => adminAuth(''), /must not be empty/);
  const served = await serve(pipeline([adminAuth('adm_s3cret')]));
  const call = (authorization?: string) => fetch(`${served.url}/x`, { headers: authorization ? { Authorization: authorization } : {} });
  try {
    assert.equal((await call('Bearer adm_s3cret')).status, 200);
    assert.equal((await call('bearer adm_s3cret')).status, 200, 'the scheme is case-insensitive');
    for (const bad of [undefined, 'Bearer adm_s3cre', 'Bearer adm_s3cret2', 'Basic adm_s3cret', 'adm_s3cret', 'Bearer']) {
      const response = await call(bad);
      assert.equal(response.status, 401, String(bad));
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="starship-sandbox"');
      assert.equal((await json(response)).error.code, 'E_UNAUTHORIZED');
    }
  } finally {
    await served.close();
  }
});

// Regression (issue 18): node:http keeps the first of two Authorization headers, so the first one won.
test('two Authorization headers are a 401, whichever of them holds the token', async () => {
  const served = await serve(pipeline([adminAuth('adm_s3cret')]));
  try {
    for (const pair of [['Bearer adm_s3cret', 'Bearer other'], ['Bearer other', 'Bearer adm_s3cret'], ['Bearer adm_s3cret', 'Bearer adm_s3cret']]) {
      const reply = await getWithRawHeaders(`${served.url}/x`, pair.map((value) => ['Authorization', value]));
      assert.equal(reply.status, 401, pair.join(' + '));
      assert.equal(reply.body.error.code, 'E_UNAUTHORIZED');
    }
  } finally {
    await served.close();
  }
});
