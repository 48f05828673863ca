/**
 * Every TypeScript snippet the docs show compiles against the SDK with the project's strict options: the
 * generated sample of every operation and webhook event, and every `ts` code block in the guides and in the
 * READMEs (the repository's and the SDK's). One program for all of them, as type-checking the SDK's
 * generated types is the slow part.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Json } from '@starship/contract';
import { bundledSpecPath, repoRoot } from '../../tools/repo.ts';
import { typescriptSample, webhookSample } from './code-samples.ts';
import { guides, guideSource } from './guides.ts';
import { codeBlocks } from './markdown.ts';
import { listOperations, listWebhookEvents } from './spec-walk.ts';
import { typecheckSnippets, type Snippet } from '../test-support/typecheck-snippets.ts';

const spec = JSON.parse(readFileSync(bundledSpecPath('starship'), 'utf8')) as Json;

const READMES = ['README.md', 'sdk/README.md'];

const BROKEN: Snippet = {
  name: 'deliberately-broken',
  source: "import { createStarshipClient } from '@starship/sdk';\n\ncreateStarshipClient({ baseUrl: 4010, apiKey: 'k', apiSecret: 's' });\n",
};

test('generated samples and the TypeScript blocks of the guides and READMEs type-check against the SDK', () => {
  const snippets: Snippet[] = [
    ...listOperations(spec).map((op) => ({ name: `sample-${op.operationId}`, source: typescriptSample(spec, op) })),
    ...listWebhookEvents(spec).map((event) => ({ name: `webhook-${event.name}`, source: webhookSample(event.name) })),
    ...codeBlocks(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'))
      .filter((block) => block.lang === 'ts')
      .map((block, i) => ({ name: `readme-${i + 1}`, source: block.text })),
    ...guides.flatMap((guide) =>
      codeBlocks(readFileSync(guideSource(guide), 'utf8'))
        .filter((block) => block.lang === 'ts')
        .map((block, i) => ({ name: `guide-${guide.slug}-${i + 1}`, source: block.text })),
    ),
    ...READMES.flatMap((readme) =>
      codeBlocks(readFileSync(path.join(repoRoot, readme), 'utf8'))
        .filter((block) => block.lang === 'ts')
        .map((block, i) => ({ name: `readme-${path.dirname(readme)}-${i + 1}`, source: block.text })),
    ),
  ];
  assert.ok(snippets.some((s) => s.name.startsWith('guide-')), 'the guides contain TypeScript');
  assert.ok(snippets.filter((s) => s.name.startsWith('readme-')).length >= 4, 'the READMEs contain TypeScript');
  // The broken snippet rides in the same program (checking the SDK's types twice would double the time):
  // its one error, reported by name and position, shows the checker does report errors.
  assert.deepEqual(typecheckSnippets([...snippets, BROKEN]), [
    "deliberately-broken.ts:3:24 Type 'number' is not assignable to type 'string'.",
  ]);
});
