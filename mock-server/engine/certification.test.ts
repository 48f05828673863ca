/**
 * A certification session driven by hand through the real pipeline: what the witness records (the
 * X-Signature sent, calls outside /api/v1) reaches the grade, and the provocations are armed for the
 * session's partner only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signRequest } from '@starship/sdk';
import { TestSandbox } from '../test-support/sandbox.ts';

test('a session grades what its partner did: a mis-signed write is diagnosed, a control-API call is flagged', { timeout: 60_000 }, async () => {
  const sandbox = await TestSandbox.start();
  try {
    const session = await sandbox.admin('POST', '/certification/sessions', { pending_seconds: 1 });
    assert.match(session.session_id, /^cert_/);
    const headers = { 'X-API-Key': session.api_key, 'X-API-Secret': session.api_secret };

    // Provocations are the session partner's: another partner's GET /categories is not throttled.
    const other = await sandbox.partner();
    assert.equal((await other.call('GET', '/api/v1/categories')).status, 200);
    const limited = await fetch(`${sandbox.sandbox.origin}/api/v1/categories`, { headers });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('Retry-After'), String(session.retry_after_seconds));

    // A write signed over the path without /api/v1, and a call to the control API with the partner's key.
    const body = JSON.stringify({ url: 'http://127.0.0.1:9/hooks', events: ['order.delivered'] });
    const signed = signRequest({ secret: session.api_secret, method: 'POST', path: '/webhooks', body });
    const rejected = await fetch(`${sandbox.sandbox.origin}/api/v1/webhooks`, { method: 'POST', headers: { ...headers, ...signed.headers, 'Content-Type': 'application/json' }, body });
    assert.equal(rejected.status, 401);
    assert.equal((await fetch(`${sandbox.sandbox.origin}/sandbox/v1/requests`, { headers })).status, 401);

    const report = await sandbox.admin('POST', `/certification/sessions/${session.session_id}/grade`, { run: { exit_code: 0, timed_out: false, duration_ms: 5 } });
    const check = (id: string) => report.checks.find((c: { id: string }) => c.id === id);
    assert.equal(check('PARTNER-SIGN-001').result, 'FAIL');
    assert.match(check('PARTNER-SIGN-001').detail, /differs in path: \/api\/v1 prefix left out/);
    assert.equal(check('PARTNER-HYG-001').result, 'FAIL');
    assert.match(check('PARTNER-HYG-001').detail, /GET \/sandbox\/v1\/requests → 401 .*outside the partner API/);
    // The write came straight after the 429.
    assert.equal(check('PARTNER-RATE-001').result, 'FAIL');
    assert.match(check('PARTNER-RATE-001').detail, /said Retry-After: 1, but the next call req_\w+ \(trace \w+\) came \d+ ms later/);
    assert.equal(report.certification.session_id, session.session_id);

    // After grading the witness has let go of the key: later calls are not recorded against the session.
    assert.equal(sandbox.sandbox.engine.certificationWitness(session.api_key), undefined);
    const key = await sandbox.admin('GET', '/certification/signing-key');
    assert.equal(key.key_id, report.signature.key_id);
    assert.equal((await sandbox.control('POST', '/certification/sessions/cert_01M82Y189EHSK9F6NA5DDAXXTK/grade', { run: { exit_code: 0, timed_out: false, duration_ms: 1 } })).status, 404);
    sandbox.assertConforming();
  } finally {
    await sandbox.close();
  }
});
