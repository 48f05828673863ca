/**
 * Every command of the "Testing your integration" guide (guides/testing.md), run as written against a sandbox
 * started as its own process, with only what a reader would change substituted: the hosted sandbox's address
 * becomes the local one, the placeholder credentials a partner's, `npx starship` the built CLI, the placeholder
 * test command examples/partner-reference, and the local receiver's port a free one. The TypeScript sample
 * runs too. Long-running commands (`listen`, `logs --follow`) run in the background until their output shows
 * they work, then are stopped with Ctrl-C (SIGINT), as a reader would.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { verifyWebhook } from '@starship/sdk';
import { TestReceiver } from '@starship/sandbox/test-support/webhook-receiver';
import { SandboxClient } from '../../reliability/http.ts';
import { spawnSandbox } from '../../reliability/sandbox-process.ts';
import { cliBin, repoRoot } from '../../tools/repo.ts';
import { guides, guideSource } from './guides.ts';
import { codeBlocks } from './markdown.ts';

const HOSTED = 'https://api-playground.starshiprewards.com';
const RECEIVER = 'http://127.0.0.1:3000/webhooks';
const TEST_COMMAND = 'npm run certification-test';

test('every command in the testing guide works as the guide says', { timeout: 180_000 }, async (t) => {
  const guide = guides.find((g) => g.slug === 'testing');
  assert.ok(guide, 'the testing guide is in the manifest');
  const blocks = codeBlocks(readFileSync(guideSource(guide), 'utf8'));
  const sandbox = await spawnSandbox({ db: ':memory:' });
  t.after(() => sandbox.kill('SIGTERM'));
  const operator = new SandboxClient(sandbox.origin, sandbox.adminToken);
  t.after(() => operator.agent.destroy());
  const partner = await operator.createPartner({ wallets: [{ currency: 'USD', balance: '5000.00' }], ip_allowlist: ['127.0.0.1/32', '::1/128'] });
  const receiver = await TestReceiver.start('/webhooks');
  t.after(() => receiver.close());
  const cwd = mkdtempSync(`${tmpdir()}/testing-guide-`);

  const localise = (text: string) =>
    text
      .replaceAll(HOSTED, sandbox.origin)
      .replaceAll('pk_test_your_sandbox_key', partner.api_key)
      .replaceAll('sk_test_your_sandbox_secret', partner.api_secret)
      .replaceAll('npx starship', `${process.execPath} ${cliBin}`)
      .replaceAll(TEST_COMMAND, `${process.execPath} --import ${import.meta.resolve('tsx')} ${repoRoot}examples/partner-reference/certify.ts`)
      .replaceAll(RECEIVER, receiver.url);

  // The credentials block: the variables every later command reads.
  const [credentials, ...commandBlocks] = blocks.filter((b) => b.lang === 'sh');
  assert.match(credentials!.text, /^export STARSHIP_BASE_URL=.*\nexport STARSHIP_API_KEY=.*\nexport STARSHIP_API_SECRET=.*$/);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const [, name, value] of localise(credentials!.text).matchAll(/^export (\w+)=(.*)$/gm)) env[name!] = value!;
  assert.equal(env.STARSHIP_BASE_URL, `${sandbox.origin}/api/v1`);

  // The SDK sample.
  const [sample] = blocks.filter((b) => b.lang === 'ts');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', sample!.text], { cwd: repoRoot, env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^PENDING -> DELIVERED\n/);
  assert.match(run.stdout, /POST \/api\/v1\/orders 200 PASS/);

  const background: Array<{ command: string; output: () => string; stop: () => Promise<number | null> }> = [];
  t.after(() => Promise.all(background.map((b) => b.stop())));
  const start = (command: string) => {
    const child = spawn('bash', ['-c', `exec ${command}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const entry = {
      command,
      output: () => output,
      stop: () => {
        if (child.exitCode === null) child.kill('SIGINT');
        return exited;
      },
    };
    background.push(entry);
    return entry;
  };
  const until = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + 15_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${background.map((b) => `$ ${b.command}\n${b.output()}`).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const ran: string[] = [];
  for (const block of commandBlocks) {
    for (const line of localise(block.text).split('\n').filter((l) => l.trim() !== '')) {
      ran.push(line);
      if (/ listen --forward-to /.test(line)) {
        const listen = start(line);
        await until('listen to be ready', () => /Webhook signing secret for this session: whsec_\w+/.test(listen.output()));
        continue;
      }
      if (/ logs --follow$/.test(line)) {
        const follow = start(line);
        await until('logs --follow to print', () => /POST \/api\/v1\/orders {2}→ 200/.test(follow.output()));
        continue;
      }
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', line], { cwd, env, encoding: 'utf8', timeout: 120_000 });
      assert.equal(result.status, 0, `$ ${line}\n${result.stdout}\n${result.stderr}`);
      if (/ listen --print-secret$/.test(line)) {
        const listen = background.find((b) => / listen --forward-to /.test(b.command))!;
        assert.ok(listen.output().includes(result.stdout.trim()), 'the printed secret is the session secret');
      }
      if (/ trigger order\.delivered$/.test(line)) assert.match(result.stdout, /^order\.delivered: created order ord_\w+\n {2}emitted #\d+ order\.delivered evt_\w+/);
      if (/ logs --limit 20$/.test(line)) assert.match(result.stdout, /POST \/api\/v1\/orders {2}→ 200 {2}createOrder {2}trace \w+/);
      if (/curl -s ".*\/test-helpers\/requests/.test(line)) {
        const entries = JSON.parse(result.stdout) as Array<{ operation_id: string; verdicts: { signature: { result: string } } }>;
        assert.deepEqual(entries.map((e) => [e.operation_id, e.verdicts.signature.result]), [['createOrder', 'PASS']]);
      }
      if (/signing-key$/.test(line)) assert.match(result.stdout, /"algorithm":"Ed25519"/);
      if (/verify-report/.test(line)) assert.match(result.stdout, /verified, signed by the sandbox key/);
      if (/conformance partner/.test(line) && !line.startsWith('(unset')) assert.match(result.stdout, new RegExp(`for ${partner.partner_id}: certified`));
      if (line.startsWith('(unset')) assert.match(result.stdout, /PRACTICE RUN: signed by a key made for this run/);
    }
  }
  assert.equal(ran.length, commandBlocks.flatMap((b) => b.text.split('\n').filter((l) => l.trim() !== '')).length);

  // What listen forwarded: the triggered events, signed with its secret, one line each as the guide shows.
  const listen = background.find((b) => / listen --forward-to /.test(b.command))!;
  const secret = /Webhook signing secret for this session: (whsec_\w+)/.exec(listen.output())![1]!;
  await receiver.until(() => receiver.received.length >= 2, 'the triggered events, forwarded');
  for (const delivery of receiver.received) verifyWebhook(delivery.body, String(delivery.headers['x-signature']), secret);
  const shown = blocks.find((b) => b.lang === '' && b.text.startsWith('Ready.'))!.text.split('\n');
  assert.equal(listen.output().split('\n')[0], shown[0]!.replace(RECEIVER, receiver.url));
  const eventLine = new RegExp(shown[3]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/, '\\S+').replace(/#1/, '#\\d+').replace(/evt_\w+/, 'evt_\\w+').replace(/\d+ ms/, '\\d+ ms'));
  assert.match(listen.output(), eventLine);
  for (const process of background) assert.equal(await process.stop(), 0, `${process.command}\n${process.output()}`);
});
