import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { keyIdOf, signReport, verifyReport } from './report-signature.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const report = {
  checks: [{ id: 'PARTNER-WH-002', title: 'Forged webhook refused', level: 'MUST', result: 'FAIL', detail: 'dlv_1 → 204 “accepted”' }],
  summary: { pass: 0, fail: 1, warn: 0, skip: 0 },
  certification: { session_id: 'cert_1', run: { exit_code: null, timed_out: false, duration_ms: 10 } },
};

test('a signed report verifies, whatever its whitespace or key order', () => {
  const signed = signReport(report, privateKey);
  assert.equal(signed.signature.algorithm, 'Ed25519');
  assert.equal(signed.signature.key_id, keyIdOf(publicKey));
  const reordered = JSON.parse(JSON.stringify({ signature: signed.signature, summary: signed.summary, certification: signed.certification, checks: signed.checks }, null, 4));
  assert.deepEqual(verifyReport(reordered, publicKey), { ok: true, keyId: keyIdOf(publicKey) });
});

test('any edit fails verification: a result, a detail, an added member, a removed check', () => {
  const signed = signReport(report, privateKey);
  const edits: Array<(r: typeof signed) => void> = [
    (r) => (r.checks[0]!.result = 'PASS'),
    (r) => (r.checks[0]!.detail = 'dlv_1 → 401'),
    (r) => (r.summary.fail = 0),
    (r) => Object.assign(r, { note: 'reviewed' }),
    (r) => r.checks.pop(),
  ];
  for (const edit of edits) {
    const copy = structuredClone(signed);
    edit(copy);
    assert.deepEqual(verifyReport(copy, publicKey), { ok: false, reason: 'EDITED', message: 'the signature does not match the report: it was changed after the sandbox signed it' });
  }
});

test('another key, no signature, or a malformed one is reported as such', () => {
  const signed = signReport(report, privateKey);
  const other = generateKeyPairSync('ed25519').publicKey;
  assert.equal((verifyReport(signed, other) as { reason: string }).reason, 'WRONG_KEY');
  assert.equal((verifyReport(report, publicKey) as { reason: string }).reason, 'UNSIGNED');
  assert.equal((verifyReport({ ...signed, signature: { algorithm: 'RS256' } }, publicKey) as { reason: string }).reason, 'MALFORMED');
  assert.equal((verifyReport([signed], publicKey) as { reason: string }).reason, 'MALFORMED');
});
