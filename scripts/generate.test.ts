import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findDrift, hasDrift, renderGenerated, writeGenerated } from './generate.ts';

test('generation is deterministic and the drift check sees stale, missing and stray files', async (t) => {
  const first = await renderGenerated();
  const second = await renderGenerated();
  assert.deepEqual([...second.entries()], [...first.entries()]);
  assert.deepEqual([...first.keys()].sort(), [
    'README.md',
    'operation-helpers.ts',
    'package.json',
    'sandbox-operations.ts',
    'sandbox.bundled.json',
    'sandbox.ts',
    'starship-operations.ts',
    'starship-v1.baseline.json',
    'starship.bundled.json',
    'starship.ts',
    'tsconfig.json',
  ]);
  const pkg = JSON.parse(first.get('package.json')!) as { name: string; version: string };
  assert.equal(pkg.name, '@starship/spec');
  assert.equal(pkg.version, (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version, 'the workspace version');

  const dir = mkdtempSync(path.join(tmpdir(), 'starship-generated-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal((await writeGenerated(first, dir)).length, first.size);
  assert.deepEqual(await writeGenerated(first, dir), [], 'an up-to-date tree is not rewritten');
  assert.equal(hasDrift(await findDrift(first, dir)), false);

  writeFileSync(path.join(dir, 'starship.ts'), '// edited by hand\n');
  rmSync(path.join(dir, 'sandbox.ts'));
  writeFileSync(path.join(dir, 'leftover.ts'), '');
  // The build's output and npm's folder are not the generator's business.
  mkdirSync(path.join(dir, 'dist'));
  mkdirSync(path.join(dir, 'node_modules'));
  assert.deepEqual(await findDrift(first, dir), { stale: ['starship.ts'], missing: ['sandbox.ts'], unexpected: ['leftover.ts'] });
});
