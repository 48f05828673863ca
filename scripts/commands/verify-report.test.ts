import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { signReport } from '../../conformance/partner/report-signature.ts';
import { verifyReportCommand } from './verify-report.ts';

test('verify-report: exit 0 for the report as signed, 1 once edited, an error without a key', async (t) => {
  t.mock.method(console, 'log', () => {});
  const dir = mkdtempSync(join(tmpdir(), 'verify-report-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = join(dir, 'sandbox.pub.pem');
  writeFileSync(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  const signed = signReport({ checks: [{ id: 'PARTNER-RATE-001', title: 't', level: 'MUST', result: 'FAIL', detail: 'came 3 ms later' }], summary: { pass: 0, fail: 1, warn: 0, skip: 0 } }, privateKey);
  const file = join(dir, 'report.json');
  writeFileSync(file, JSON.stringify(signed, null, 2));
  assert.equal(await verifyReportCommand(file, { publicKey: keyFile }), 0);

  writeFileSync(file, JSON.stringify(signed, null, 2).replace('"FAIL"', '"PASS"'));
  assert.equal(await verifyReportCommand(file, { publicKey: keyFile }), 1);
  await assert.rejects(verifyReportCommand(file, {}), /give the signing key/);
});
