import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { canonicalRequestString, signRequest } from '@starship/sdk';
import { signWebhookPayload, verifyWebhook, webhookSignedPayloadString } from '@starship/sdk';
import { signingVectors } from '../../testdata/vectors.ts';
import { docsDir, guides, guideSource } from './guides.ts';
import { codeBlocks, type CodeBlock } from './markdown.ts';

const sources = new Map(guides.map((g) => [g.slug, readFileSync(guideSource(g), 'utf8')]));
const blocksOf = (slug: string, lang: string): CodeBlock[] => codeBlocks(sources.get(slug)!).filter((b) => b.lang === lang);

/** `key: value` lines; a key with nothing after the colon is the empty string (an empty body). */
function fields(block: CodeBlock): Record<string, string> {
  return Object.fromEntries(
    block.text.split('\n').map((line) => {
      const match = /^([\w-]+):(?: (.*))?$/.exec(line);
      assert.ok(match, `not a "key: value" line: ${line}`);
      return [match[1]!, match[2] ?? ''];
    }),
  );
}

test('every guide in the manifest exists and every Markdown file in docs/ is in the manifest', () => {
  const onDisk = readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -3))
    .sort();
  assert.deepEqual(onDisk, guides.map((g) => g.slug).sort());
});

test("the signing guide's worked examples are the shared vectors, and sdk/signing.ts reproduces them", () => {
  // `signing-example`: a request the API takes (guide-requests.test.ts sends it); `signing-vector`: arithmetic only.
  const examples = [...blocksOf('signing', 'signing-example'), ...blocksOf('signing', 'signing-vector')].map(fields);
  assert.ok(examples.length >= 3, 'the guide shows a POST, a bodiless DELETE and a query string');
  assert.deepEqual(examples[0], fieldsOfVector(0), 'the first example is the spec’s worked example');
  for (const example of examples) {
    const vector = signingVectors.request_signing.find((v) => v.x_signature === example['X-Signature']);
    assert.ok(vector, `no shared vector has X-Signature ${example['X-Signature']}`);
    assert.deepEqual(example, fieldsOfVector(signingVectors.request_signing.indexOf(vector)));
    const input = { timestamp: example.timestamp!, method: example.method!, path: example.path!, body: example.body! };
    assert.equal(canonicalRequestString(input), example.canonical);
    const signed = signRequest({ ...input, secret: example.secret! });
    assert.deepEqual(signed.headers, { 'X-Timestamp': example['X-Timestamp'], 'X-Signature': example['X-Signature'] });
  }
});

function fieldsOfVector(index: number): Record<string, string> {
  const v = signingVectors.request_signing[index]!;
  return {
    secret: v.secret,
    timestamp: String(v.timestamp),
    method: v.method,
    path: v.path,
    body: v.body,
    canonical: v.canonical,
    'X-Timestamp': String(v.timestamp),
    'X-Signature': v.x_signature,
  };
}

test("the webhooks guide's worked example is the shared vector, and verifyWebhook accepts it", () => {
  const [example] = blocksOf('webhooks', 'webhook-signing-example').map(fields);
  assert.ok(example);
  const vector = signingVectors.webhook_signing[0]!;
  assert.deepEqual(example, {
    secret: vector.secret,
    timestamp: String(vector.timestamp),
    body: vector.body,
    signed_payload: vector.signed_payload,
    'X-Signature': vector.x_signature,
  });
  assert.equal(webhookSignedPayloadString({ timestamp: example.timestamp!, body: example.body! }), example.signed_payload);
  assert.equal(signWebhookPayload({ secrets: example.secret!, timestamp: example.timestamp!, body: example.body! }), example['X-Signature']);
  const event = verifyWebhook(example.body!, example['X-Signature'], example.secret!, { now: vector.timestamp });
  assert.equal(event.event_type, 'order.delivered');
});

test(
  'shell commands in the guides that state their output produce it (openssl computes the documented signature)',
  { skip: spawnSync('which', ['openssl']).status === 0 ? false : 'needs openssl on PATH' },
  () => {
    const checked = [...sources.keys()].flatMap((slug) =>
      blocksOf(slug, 'sh').flatMap((block) => {
        const lines = block.text.split('\n');
        const expected = /^# ([0-9a-f]{64})$/.exec(lines.at(-1) ?? '')?.[1];
        return expected ? [{ slug, command: lines.slice(0, -1).join('\n'), expected }] : [];
      }),
    );
    assert.ok(checked.length >= 1, 'the signing guide shows an openssl command with its output');
    const vectorSignatures = signingVectors.request_signing.map((v) => v.x_signature.split('v1=')[1]);
    for (const { slug, command, expected } of checked) {
      const run = spawnSync('bash', ['-euo', 'pipefail', '-c', command], { encoding: 'utf8' });
      assert.equal(run.status, 0, `${slug}: ${run.stderr}`);
      assert.equal(run.stdout.trim(), expected, `${slug}: ${command}`);
      assert.ok(vectorSignatures.includes(expected), `${slug}: ${expected} is a shared vector`);
    }
  },
);

test("the README's signing line names the canonical string's parts as the spec does (the path with its query)", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const lines = readme.split('\n').filter((line) => /X-Signature: t=…,v1=…` over/.test(line));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /`ts \+ METHOD \+ path_with_query \+ raw_body`/);
});

test('every relative link in the guides opens a file of the repository (where the Markdown is read), and the site maps each to a page', async () => {
  const { Marked } = await import('marked');
  const { PUBLISHED_AS } = await import('./site.ts');
  for (const [slug, source] of sources) {
    const links: string[] = [];
    new Marked({ walkTokens: (token) => void (token.type === 'link' && links.push((token as { href: string }).href)) }).parse(source);
    for (const href of links.filter((h) => !/^[a-z]+:/i.test(h) && !h.startsWith('#'))) {
      const target = href.split('#')[0]!;
      assert.ok(existsSync(path.resolve(docsDir, target)), `${slug}.md links ${href}, which is not a file of the repository`);
      assert.ok(target.endsWith('.md') || PUBLISHED_AS[target], `${slug}.md links ${href}, which the docs site does not publish`);
    }
  }
});
