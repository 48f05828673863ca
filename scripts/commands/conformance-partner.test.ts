/**
 * The CLI wiring of `conformance partner` and `verify-report` against a sandbox given by URL: a command that
 * does nothing fails certification (exit 1), the three reports are written, and the JSON one verifies with
 * the key the sandbox publishes — until it is edited.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { startSandbox } from '@starship/sandbox/server';
import { conformancePartnerCommand } from './conformance-partner.ts';
import { verifyReportCommand } from './verify-report.ts';

test('conformance partner writes signed JSON, JUnit and HTML and exits 1 when a MUST check fails', { timeout: 60_000 }, async (t) => {
  t.mock.method(console, 'log', () => {});
  t.mock.method(console, 'error', () => {});
  const adminToken = 'adm_cli_test';
  const sandbox = await startSandbox({ port: 0, db: ':memory:', adminToken, logger: pino({ level: 'silent' }), print: () => {}, handleSignals: false });
  const dir = mkdtempSync(join(tmpdir(), 'conformance-partner-'));
  const files = { json: join(dir, 'report.json'), junit: join(dir, 'report.xml'), html: join(dir, 'report.html') };
  try {
    const exit = await conformancePartnerCommand({ run: 'node -e "process.exit(3)"', sandboxUrl: sandbox.origin, adminToken, ...files, timeout: '30' });
    assert.equal(exit, 1);
    const report = JSON.parse(readFileSync(files.json, 'utf8')) as { checks: Array<{ id: string; result: string; detail: string }>; signature: { key_id: string } };
    assert.match(report.checks.find((c) => c.id === 'PARTNER-RUN-001')!.detail, /^exited 3 after/);
    assert.match(readFileSync(files.junit, 'utf8'), /<testsuite name="starship conformance partner RUN" tests="1" failures="1"/);
    assert.match(readFileSync(files.html, 'utf8'), new RegExp(`signed Ed25519 key ${report.signature.key_id}`));
    assert.match(readFileSync(files.html, 'utf8'), /<script type="application\/json" id="starship-signed-report">/, 'the page carries the signed report');

    assert.equal(await verifyReportCommand(files.json, { sandboxUrl: sandbox.origin }), 0);
    writeFileSync(files.json, readFileSync(files.json, 'utf8').replace('"exited 3', '"exited 0'));
    assert.equal(await verifyReportCommand(files.json, { sandboxUrl: sandbox.origin }), 1);
  } finally {
    await sandbox.close();
  }
});

test('conformance partner: --sandbox-url without --admin-token is a usage error', async () => {
  await assert.rejects(conformancePartnerCommand({ run: 'true', sandboxUrl: 'http://127.0.0.1:1' }), /go together/);
});
