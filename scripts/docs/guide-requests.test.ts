/**
 * Every request example in the guides runs against a real sandbox, as a partner would paste it: the shell
 * blocks that call curl (bash, `set -euo pipefail`, curl failing on any non-2xx answer) and the TypeScript
 * blocks that call the API (the SDK client or fetch), run with the built-in SDK. The only change made to
 * an example is the sandbox's address: the guides show `npm start`'s http://127.0.0.1:4010, the test's
 * sandbox listens on a free port. Each example gets its own partner, so none depends on another.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { signRequest } from '@starship/sdk';
import { ADMIN_TOKEN, TestSandbox } from '@starship/sandbox/test-support/sandbox';
import { repoRoot } from '../../tools/repo.ts';
import { guides, guideSource } from './guides.ts';
import { codeBlocks } from './markdown.ts';

const DOCUMENTED_ORIGIN = 'http://127.0.0.1:4010';
const work = path.join(repoRoot, '.snippets', `guide-requests-${process.pid}`);

interface Example {
  name: string;
  lang: 'sh' | 'ts';
  text: string;
}

/** A shell block that calls curl, or a TypeScript block that calls the API (not a webhook receiver). */
const isRequest = (lang: string, text: string) =>
  (lang === 'sh' && /(^|\s)curl\s/m.test(text)) || (lang === 'ts' && /createStarshipClient\(|\bfetch\(/.test(text) && !/\.listen\(/.test(text));

// The testing guide addresses the hosted sandbox and runs long-lived commands (listen, logs --follow):
// testing-guide.test.ts runs every block of it against a sandbox process.
const RUN_BY_THEIR_OWN_TEST = new Set(['testing']);

const examples: Example[] = guides.filter((guide) => !RUN_BY_THEIR_OWN_TEST.has(guide.slug)).flatMap((guide) =>
  codeBlocks(readFileSync(guideSource(guide), 'utf8'))
    .map((block, index) => ({ ...block, index }))
    .filter((block) => isRequest(block.lang, block.text))
    .map((block) => ({ name: `${guide.slug} block ${block.index + 1}`, lang: block.lang as Example['lang'], text: block.text })),
);

let sandbox: TestSandbox;
before(async () => {
  sandbox = await TestSandbox.start();
  mkdirSync(work, { recursive: true });
});
after(async () => {
  await sandbox?.close();
  rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('the guides have request examples in shell and TypeScript (a new one is picked up by what it does)', () => {
  const by = (lang: string) => examples.filter((e) => e.lang === lang).map((e) => e.name);
  assert.ok(by('sh').length >= 3, `shell: ${by('sh').join(', ')}`);
  assert.ok(by('ts').length >= 5, `TypeScript: ${by('ts').join(', ')}`);
});

for (const example of examples) {
  test(`${example.name} (${example.lang}) runs against the sandbox`, { timeout: 60_000 }, async () => {
    const { partner } = await sandbox.partner();
    const origin = sandbox.sandbox.origin;
    const env = { STARSHIP_API_KEY: partner.api_key, STARSHIP_API_SECRET: partner.api_secret, STARSHIP_ADMIN_TOKEN: ADMIN_TOKEN };
    const source = example.text.replaceAll(DOCUMENTED_ORIGIN, origin);
    assert.notEqual(source, example.text, `${example.name} does not name the sandbox at ${DOCUMENTED_ORIGIN}`);
    const file = path.join(work, `${example.name.replace(/\W+/g, '-')}.${example.lang}`);
    if (example.lang === 'sh') {
      // The example's own curl, refusing to succeed on an error answer (its output still shown).
      writeFileSync(file, `set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; }\n${source}\n`);
      const { code, output } = await run('bash', [file], env);
      assert.equal(code, 0, output);
    } else {
      writeFileSync(file, source);
      const { code, output } = await run(process.execPath, ['--conditions=starship-source', '--import', 'tsx', file], env);
      assert.equal(code, 0, output);
    }
  });
}

test("the signing guide's worked examples are requests the API takes; its test vectors are marked as such", async () => {
  const signing = codeBlocks(readFileSync(guideSource(guides.find((g) => g.slug === 'signing')!), 'utf8'));
  const worked = signing.filter((block) => block.lang === 'signing-example');
  assert.ok(worked.length >= 1);
  const { partner } = await sandbox.partner();
  for (const block of worked) {
    const field = (key: string) => new RegExp(`^${key}:(?: (.*))?$`, 'm').exec(block.text)?.[1] ?? '';
    const [method, path, body] = [field('method'), field('path'), field('body')];
    // The same request, signed afresh with this partner's secret (the example's secret and time are fixed).
    const signed = signRequest({ secret: partner.api_secret, timestamp: sandbox.sandbox.engine.clock.nowSeconds(), method, path, body });
    const response = await fetch(`${sandbox.sandbox.origin}${path}`, {
      method,
      headers: { 'X-API-Key': partner.api_key, 'X-API-Secret': partner.api_secret, 'Idempotency-Key': `guide-${Date.now()}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...signed.headers },
      body: body || undefined,
    });
    const answer = await response.text();
    // The example's ids are illustrative (404 for a webhook this partner does not have); its shape must be accepted.
    assert.ok(response.status < 300 || response.status === 404, `${method} ${path} → ${response.status} ${answer}`);
  }
});
