/** `starship mock` serves the docs site the build put in the CLI package, and renders one where none is. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSandbox } from '../reliability/sandbox-process.ts';
import { repoRoot } from '../tools/repo.ts';

test('GET /docs/ serves the packaged site without credentials; /docs and / redirect to it, /favicon.ico to its icon', async (t) => {
  const sandbox = await spawnSandbox({ db: ':memory:' });
  t.after(() => sandbox.kill('SIGTERM'));
  const origin = sandbox.origin;

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

  // The banner prints the origin: a browser opening it lands on the docs, not on a JSON 404.
  const root = await fetch(`${origin}/`, { redirect: 'manual' });
  assert.equal(root.status, 302);
  assert.equal(root.headers.get('location'), '/docs/');
  assert.match(await (await fetch(`${origin}/`)).text(), /Starship Rewards partner docs/);
  const icon = await fetch(`${origin}/favicon.ico`);
  assert.equal(icon.status, 200);
  assert.match(icon.headers.get('content-type') ?? '', /image\/svg\+xml/);
  assert.equal((await fetch(`${origin}/api/v1/nowhere`)).status, 401, 'the API keeps its own answers');
});

test('a missing site is rendered by the CLI in a child process before it is served', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-docs-site-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { ensureDocsSite } = (await import(pathToFileURL(path.join(repoRoot, 'scripts/dist/docs-site.js')).href)) as typeof import('./docs-site.ts');
  assert.equal(await ensureDocsSite(dir), dir);
  assert.ok(existsSync(path.join(dir, 'index.html')));
  assert.ok(existsSync(path.join(dir, 'partner-api.html')));
});
