/**
 * End to end: the two example integrations certified by `conformance partner`'s runner against a sandbox
 * given by URL, as `--sandbox-url` does (the CLI's in-process sandbox is covered by its own test). Each report is checked against the sandbox's published key, and an edited copy fails.
 */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import { pino } from 'pino';
import { startSandbox } from '@starship/sandbox/server';
import { formatHtml, formatJunit } from '../report/index.ts';
import { PARTNER_CHECKS } from './catalogue.ts';
import { verifyReport } from './report-signature.ts';
import { runPartnerCertification, type PartnerRunResult } from './runner.ts';

const TIMEOUT_MS = 50_000;
const failing = (result: PartnerRunResult) => result.report.checks.filter((c) => c.result === 'FAIL').map((c) => c.id).sort();
const explain = (result: PartnerRunResult) => `${result.output}\n${JSON.stringify(result.report.checks, null, 2)}`;

async function startTestSandbox(adminToken: string) {
  return startSandbox({ port: 0, db: ':memory:', adminToken, logger: pino({ level: 'silent' }), print: () => {}, handleSignals: false });
}

test('examples/partner-reference certifies: every check passes', { timeout: 60_000 }, async (t) => {
  const adminToken = 'adm_certification_test';
  const sandbox = await startTestSandbox(adminToken);
  t.after(() => sandbox.close());
  const result = await runPartnerCertification({
    command: 'node --import tsx examples/partner-reference/certify.ts',
    sandboxUrl: sandbox.origin,
    adminToken,
    timeoutMs: TIMEOUT_MS,
    stdio: 'pipe',
  });
  assert.deepEqual(
    result.report.checks.filter((c) => c.result !== 'PASS').map((c) => `${c.id} ${c.result}: ${c.detail}`),
    [],
    explain(result),
  );
  assert.deepEqual(result.report.checks.map((c) => c.id), PARTNER_CHECKS.map((c) => c.id));
  assert.deepEqual(result.report.summary, { pass: PARTNER_CHECKS.length, fail: 0, warn: 0, skip: 0 });
  assert.match(formatHtml(result.input), /CONFORMS: no MUST check failed/);
  assert.match(formatJunit(result.input), /<testsuite name="starship conformance partner WEBHOOK" tests="5" failures="0"/);
});

test('examples/partner-naive fails exactly the checks for its four mistakes; its signed report cannot be edited', { timeout: 60_000 }, async () => {
  const adminToken = 'adm_certification_test';
  const sandbox = await startTestSandbox(adminToken);
  try {
    const result = await runPartnerCertification({
      command: 'node --import tsx examples/partner-naive/certify.ts',
      sandboxUrl: sandbox.origin,
      adminToken,
      timeoutMs: TIMEOUT_MS,
      stdio: 'pipe',
    });
    // Its retry after the 503 goes out at once with a new key: signed within the same second it repeats the
    // first signature and is refused (E_SIGNATURE_REPLAYED), so its INSTANT order is never placed and the
    // order check fails too (and, depending on timing, webhook checks that wait for that order); crossing into
    // the next second, it is a second order attempt as before.
    const replayRefused = /E_SIGNATURE_REPLAYED/.test(result.report.checks.find((c) => c.id === 'PARTNER-IDEM-002')!.detail);
    const mistakes = [
      'PARTNER-COMPAT-001', // strict parsing: unknown key on the product list page
      'PARTNER-COMPAT-002', // strict parsing: unknown enum value on the product
      'PARTNER-IDEM-002', // new Idempotency-Key on the retry after 503
      ...(replayRefused ? ['PARTNER-ORDER-001'] : []),
      'PARTNER-RATE-001', // retried the 429 at once
      'PARTNER-RUN-001', // its own test reports the failed steps
      'PARTNER-WH-002', // trusts a forged signature
      'PARTNER-WH-003', // trusts a stale timestamp
    ];
    const consequences = replayRefused ? ['PARTNER-WH-004', 'PARTNER-WH-005'] : [];
    assert.deepEqual(
      failing(result).filter((id) => !consequences.includes(id)),
      mistakes.sort(),
      explain(result),
    );
    // Without its INSTANT order, checks that grade that order's path have nothing to grade (SKIP).
    if (!replayRefused) assert.equal(result.report.summary.warn + result.report.summary.skip, 0, explain(result));
    assert.match(result.report.checks.find((c) => c.id === 'PARTNER-IDEM-002')!.detail, /^503 req_[0-9A-Z]{26} \(trace [0-9a-f]{32}\) carried Idempotency-Key "[^"]+"; its retry req_/);

    const published = await fetch(`${sandbox.origin}/sandbox/v1/certification/signing-key`, { headers: { Authorization: `Bearer ${adminToken}` } });
    const key = createPublicKey(((await published.json()) as { public_key_pem: string }).public_key_pem);
    const report = JSON.parse(JSON.stringify(result.report)) as typeof result.report;
    assert.deepEqual(verifyReport(report, key), { ok: true, keyId: report.signature.key_id });

    const edited = structuredClone(report);
    edited.checks.find((c) => c.id === 'PARTNER-WH-002')!.result = 'PASS';
    assert.equal(verifyReport(edited, key).ok, false);
    assert.equal((verifyReport(edited, key) as { reason: string }).reason, 'EDITED');

    // Grading again returns the same signed report.
    const again = await fetch(`${sandbox.origin}/sandbox/v1/certification/sessions/${result.session.session_id}/grade`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ run: { exit_code: 0, timed_out: false, duration_ms: 1 } }),
    });
    assert.deepEqual(await again.json(), report);
  } finally {
    await sandbox.close();
  }
});
