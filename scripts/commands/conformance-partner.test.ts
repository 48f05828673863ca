/**
 * The CLI wiring of `conformance partner` and `verify-report`: against a sandbox given by URL (an operator's
 * run), a command that does nothing fails certification (exit 1), the three reports are written, and the JSON
 * one verifies with the key the sandbox publishes — until it is edited; with a partner's own credentials against
 * a sandbox running as another process (no admin token), examples/partner-reference certifies and its report
 * verifies by --sandbox-url alone; with neither, a practice run says so and writes its public key beside the
 * report.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { startSandbox } from '@starship/sandbox/server';
import { SandboxClient } from '../../reliability/http.ts';
import { spawnSandbox } from '../../reliability/sandbox-process.ts';
import { cliBin, repoRoot } from '../../tools/repo.ts';
import { conformancePartnerCommand, publicKeyFileFor } from './conformance-partner.ts';
import { verifyReportCommand } from './verify-report.ts';

const NO_CREDENTIALS = { STARSHIP_BASE_URL: '', STARSHIP_API_KEY: '', STARSHIP_API_SECRET: '' };

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

test('conformance partner with a partner\'s own credentials certifies examples/partner-reference on a sandbox process; the report verifies by --sandbox-url', { timeout: 90_000 }, async (t) => {
  const sandbox = await spawnSandbox({ db: ':memory:' });
  t.after(() => sandbox.kill('SIGTERM'));
  const operator = new SandboxClient(sandbox.origin, sandbox.adminToken);
  t.after(() => operator.agent.destroy());
  const partner = await operator.createPartner({ ip_allowlist: ['127.0.0.1/32', '::1/128'] });
  const dir = mkdtempSync(join(tmpdir(), 'conformance-partner-remote-'));
  const report = join(dir, 'report.json');
  const env = { ...process.env, STARSHIP_BASE_URL: `${sandbox.origin}/api/v1`, STARSHIP_API_KEY: partner.api_key, STARSHIP_API_SECRET: partner.api_secret, NO_COLOR: '1' };
  const run = spawnSync(process.execPath, [cliBin, 'conformance', 'partner', '--run', 'node --import tsx examples/partner-reference/certify.ts', '--json', report], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: 80_000,
  });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, new RegExp(`for ${partner.partner_id}: certified \\(no MUST check failed\\)`));
  assert.doesNotMatch(run.stdout, /PRACTICE/);
  const signed = JSON.parse(readFileSync(report, 'utf8')) as { checks: Array<{ result: string }>; certification: { owner_partner_id: string; practice: boolean; partner_id: string } };
  assert.deepEqual(signed.checks.filter((c) => c.result !== 'PASS'), []);
  assert.deepEqual([signed.certification.owner_partner_id, signed.certification.practice], [partner.partner_id, false]);
  assert.notEqual(signed.certification.partner_id, partner.partner_id, 'the session ran as a partner of its own');

  const verify = spawnSync(process.execPath, [cliBin, 'conformance', 'verify-report', report, '--sandbox-url', sandbox.origin], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...NO_CREDENTIALS } });
  assert.equal(verify.status, 0, verify.stderr);
  assert.match(verify.stdout, /verified, signed by the sandbox key [0-9a-f]{16}/);
});

test('a practice run (no sandbox, no credentials) is labelled so, and its public key is written beside the report', { timeout: 60_000 }, async (t) => {
  const lines: string[] = [];
  t.mock.method(console, 'log', (line: string) => void lines.push(line));
  t.mock.method(console, 'error', () => {});
  for (const [name, value] of Object.entries(NO_CREDENTIALS)) {
    const before = process.env[name];
    process.env[name] = value;
    t.after(() => (before === undefined ? delete process.env[name] : (process.env[name] = before)));
  }
  const dir = mkdtempSync(join(tmpdir(), 'conformance-partner-practice-'));
  const json = join(dir, 'practice.json');
  const html = join(dir, 'practice.html');
  assert.equal(await conformancePartnerCommand({ run: 'node -e "process.exit(0)"', json, html, timeout: '30' }), 1);
  const keyFile = publicKeyFileFor(json);
  assert.equal(keyFile, join(dir, 'practice.public-key.pem'));
  assert.ok(existsSync(keyFile));
  assert.match(lines.join('\n'), /PRACTICE RUN: signed by a key made for this run, not one Starship trusts; its public key is in .*practice\.public-key\.pem/);
  const signed = JSON.parse(readFileSync(json, 'utf8')) as { certification: { practice: boolean; owner_partner_id: string | null } };
  assert.deepEqual([signed.certification.practice, signed.certification.owner_partner_id], [true, null]);
  assert.match(readFileSync(html, 'utf8'), /PRACTICE RUN \(not a certification/);
  assert.equal(await verifyReportCommand(json, { publicKey: keyFile }), 0);
  assert.equal(await verifyReportCommand(html, { publicKey: keyFile }), 0);

  // Another sandbox's key does not verify it.
  const other = await startSandbox({ port: 0, db: ':memory:', adminToken: 'adm_other', logger: pino({ level: 'silent' }), print: () => {}, handleSignals: false });
  t.after(() => other.close());
  assert.equal(await verifyReportCommand(json, { sandboxUrl: other.origin }), 1);
  assert.match(lines.at(-1) ?? '', /NOT verified \(WRONG_KEY\)/);
});

test('conformance partner: credentials and an operator\'s sandbox URL are exclusive; partial credentials are a usage error', async () => {
  await assert.rejects(
    conformancePartnerCommand({ run: 'true', sandboxUrl: 'http://127.0.0.1:1', adminToken: 't', apiKey: 'pk_test_x' }),
    /either your sandbox credentials .* or an operator's --sandbox-url and --admin-token, not both/,
  );
  await assert.rejects(conformancePartnerCommand({ run: 'true', apiKey: 'pk_test_x', baseUrl: '', apiSecret: '' }), /incomplete/);
});
