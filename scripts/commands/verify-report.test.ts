import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { signReport } from '@starship/conformance/partner/report-signature';
import { signedReportHtml, type CertificationReport } from '@starship/conformance/partner/signed-html';
import { verifyReportCommand } from './verify-report.ts';

/** A temp dir, a sandbox key pair and its public key in a PEM file; console.log silenced. */
function signingFixture(t: TestContext) {
  t.mock.method(console, 'log', () => {});
  const dir = mkdtempSync(join(tmpdir(), 'verify-report-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = join(dir, 'sandbox.pub.pem');
  writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return { dir, privateKey, keyFile };
}

test('verify-report: exit 0 for the report as signed, 1 once edited, an error without a key', async (t) => {
  const { dir, privateKey, keyFile } = signingFixture(t);
  const signed = signReport({ checks: [{ id: 'PARTNER-RATE-001', title: 't', level: 'MUST', result: 'FAIL', detail: 'came 3 ms later' }], summary: { pass: 0, fail: 1, warn: 0, skip: 0 } }, privateKey);
  const file = join(dir, 'report.json');
  writeFileSync(file, JSON.stringify(signed, null, 2));
  assert.equal(await verifyReportCommand(file, { publicKey: keyFile }), 0);

  writeFileSync(file, JSON.stringify(signed, null, 2).replace('"FAIL"', '"PASS"'));
  assert.equal(await verifyReportCommand(file, { publicKey: keyFile }), 1);
  await assert.rejects(verifyReportCommand(file, {}), /give the signing key/);
});

test('verify-report: the HTML report carries the signed JSON; an edit to the page or to the embedded JSON fails', async (t) => {
  const { dir, privateKey, keyFile } = signingFixture(t);
  const body = {
    checks: [{ id: 'PARTNER-WH-002', title: 'the forged delivery is refused', level: 'MUST', result: 'FAIL', detail: 'answered 200 to dlv_1 <forged>' }],
    summary: { pass: 0, fail: 1, warn: 0, skip: 0 },
    certification: {
      session_id: 'cert_1',
      partner_id: 'ptr_1',
      graded_at: '2026-11-23T00:00:00.000Z',
      run: { command: 'npm test', exit_code: 0, duration_ms: 1200, timed_out: false },
    },
  };
  const report = signReport(body, privateKey) as unknown as CertificationReport;
  const html = signedReportHtml(report);
  assert.match(html, /PARTNER-WH-002/);
  assert.doesNotMatch(html, /<forged>/, 'check details are escaped in the page and in the embedded JSON');
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  assert.equal(await verifyReportCommand(file, { publicKey: keyFile }), 0);

  const visible = html.replace('<span class="result FAIL">FAIL</span>', '<span class="result PASS">PASS</span>');
  assert.notEqual(visible, html);
  writeFileSync(file, visible);
  assert.equal(await verifyReportCommand(file, { publicKey: keyFile }), 1);

  writeFileSync(file, html.replace('"result":"FAIL"', '"result":"PASS"'));
  assert.equal(await verifyReportCommand(file, { publicKey: keyFile }), 1);
});
