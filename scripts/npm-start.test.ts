/**
 * `npm start` as an operator runs it, configured only through the environment (issue 18: port, host and
 * admin token were flags only; SIGTERM to `npm start` left the server running; LOG_LEVEL=trace logged
 * nothing). Runs the built CLI: `npm run build` first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { repoRoot } from '../tools/repo.ts';

const ADMIN_TOKEN = 'adm_npm_start_test_token';

test('npm start: STARSHIP_* variables configure it, hosted prints no secret, LOG_LEVEL is honoured, SIGTERM stops it', { timeout: 60_000 }, async () => {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      STARSHIP_PORT: '0',
      STARSHIP_HOST: '127.0.0.1',
      STARSHIP_DB: ':memory:',
      STARSHIP_ADMIN_TOKEN: ADMIN_TOKEN,
      STARSHIP_HOSTED: '1',
      STARSHIP_MAX_WEBHOOK_ENDPOINTS: '3',
      LOG_LEVEL: 'trace',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  try {
    const deadline = Date.now() + 30_000;
    while (!/listening on (http:\/\/\S+)/.test(stdout)) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `no banner: ${stdout} ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const origin = /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
    assert.equal((await fetch(`${origin}/healthz`)).status, 200);
    assert.equal((await fetch(`${origin}/readyz`)).status, 200);
    const created = await fetch(`${origin}/sandbox/v1/partners`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Operator test' }),
    });
    assert.equal(created.status, 201, 'the admin token came from STARSHIP_ADMIN_TOKEN');
    const { api_secret: secret } = (await created.json()) as { api_secret: string };
    assert.doesNotMatch(stdout, /sk_test_|API secret|adm_/, 'hosted: the banner holds no credential');

    const pid = (JSON.parse(stderr.split('\n').find((line) => line.includes('"sandbox listening"'))!) as { pid: number }).pid;
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
    await assert.rejects(fetch(`${origin}/healthz`), 'the server stopped listening');
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the server process is gone');

    const lines = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(lines.some((line) => line.msg === 'request' && line.path === '/healthz' && line.status === 200));
    assert.ok(lines.some((line) => line.msg === 'request' && line.operationId === 'createPartner'));
    assert.ok(lines.some((line) => line.msg === 'sandbox shutting down' && line.signal === 'SIGTERM'));
    assert.ok(lines.some((line) => line.msg === 'sandbox closed'));
    assert.ok(!stderr.includes(secret) && !stderr.includes(ADMIN_TOKEN));
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
