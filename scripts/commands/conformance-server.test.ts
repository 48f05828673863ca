import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ADMIN_TOKEN, TestSandbox } from '@starship/sandbox/test-support/sandbox';
import { cliBin, repoRoot } from '../../tools/repo.ts';

let dir: string;
before(() => (dir = mkdtempSync(path.join(tmpdir(), 'conformance-cli-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI asynchronously: the servers it talks to live in this process. */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin, 'conformance', 'server', ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('against the sandbox: exit 0, live progress on stderr, JSON, JUnit and HTML reports written', { timeout: 120_000 }, async () => {
  const sandbox = await TestSandbox.start();
  try {
    const { partner } = await sandbox.partner();
    const [json, junit, html] = ['report.json', 'report.xml', 'report.html'].map((name) => path.join(dir, name)) as [string, string, string];
    const result = await cli(
      '--base-url', sandbox.baseUrl, '--api-key', partner.api_key, '--api-secret', partner.api_secret,
      '--sandbox-url', sandbox.sandbox.origin, '--admin-token', ADMIN_TOKEN,
      '--json', json, '--junit', junit, '--html', html,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /PASS {2}AUTH-KEY-MISSING/);
    assert.match(result.stdout, /conforms \(no MUST check failed\): \d+ pass, 0 fail/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(Object.keys(report), ['checks', 'summary']);
    assert.deepEqual(Object.keys(report.checks[0]), ['id', 'title', 'level', 'result', 'detail']);
    assert.equal(report.summary.fail, 0);
    assert.equal(report.summary.skip, 2, 'only the opt-in RATE checks skip');
    assert.match(readFileSync(junit, 'utf8'), /<testsuite name="starship conformance server AUTH" tests="7" failures="0"/);
    assert.match(readFileSync(html, 'utf8'), /CONFORMS: no MUST check failed/);
  } finally {
    await sandbox.close();
  }
});

test('a server that breaks a MUST exits 1', async () => {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const result = await cli('--base-url', `http://127.0.0.1:${port}/api/v1`, '--api-key', 'k', '--api-secret', 's', '--only', 'AUTH-KEY-MISSING');
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /FAIL {2}AUTH-KEY-MISSING/);
  } finally {
    server.close();
  }
});

test('usage errors exit 2 with one line', async () => {
  const half = await cli('--base-url', 'http://127.0.0.1:9/api/v1', '--api-key', 'k', '--api-secret', 's', '--sandbox-url', 'http://127.0.0.1:9');
  assert.equal(half.status, 2);
  assert.match(half.stderr, /--sandbox-url and --admin-token go together/);
  const unreachable = await cli('--base-url', 'http://127.0.0.1:9/api/v1', '--api-key', 'k', '--api-secret', 's');
  assert.equal(unreachable.status, 2);
  assert.match(unreachable.stderr, /starship: cannot reach --base-url/);
});
