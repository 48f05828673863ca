/** The sandbox serves the docs site at /docs, building it first when the directory has none. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestSandbox } from './test-sandbox.ts';

test('GET /docs/ serves the built site without credentials, and /docs redirects to it', async (t) => {
  const docsDir = mkdtempSync(path.join(tmpdir(), 'starship-docs-mount-'));
  t.after(() => rmSync(docsDir, { recursive: true, force: true }));
  const sandbox = await TestSandbox.start({ docsDir });
  t.after(() => sandbox.close());
  const origin = sandbox.sandbox.origin;

  const index = await fetch(`${origin}/docs/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type') ?? '', /text\/html/);
  assert.match(await index.text(), /Starship/);

  const reference = await fetch(`${origin}/docs/partner-api.html`);
  assert.equal(reference.status, 200);
  const collection = await fetch(`${origin}/docs/starship.postman_collection.json`);
  assert.equal(collection.status, 200);
  assert.ok(((await collection.json()) as { item: unknown[] }).item.length > 0);

  const bare = await fetch(`${origin}/docs`, { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.get('location'), '/docs/');
});
