import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findDrift, hasDrift, renderGenerated, writeGenerated } from './generate.ts';

test('generation is deterministic and the drift check sees stale, missing and stray files', async (t) => {
  const first = await renderGenerated();
  const second = await renderGenerated();
  assert.deepEqual([...second.entries()], [...first.entries()]);
  assert.deepEqual([...first.keys()].sort(), [
    'operation-helpers.ts',
    'sandbox-operations.ts',
    'sandbox.bundled.json',
    'sandbox.ts',
    'starship-operations.ts',
    'starship.bundled.json',
    'starship.ts',
  ]);

  const dir = mkdtempSync(path.join(tmpdir(), 'starship-generated-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal((await writeGenerated(first, dir)).length, first.size);
  assert.deepEqual(await writeGenerated(first, dir), [], 'an up-to-date tree is not rewritten');
  assert.equal(hasDrift(await findDrift(first, dir)), false);

  writeFileSync(path.join(dir, 'starship.ts'), '// edited by hand\n');
  rmSync(path.join(dir, 'sandbox.ts'));
  writeFileSync(path.join(dir, 'leftover.ts'), '');
  assert.deepEqual(await findDrift(first, dir), { stale: ['starship.ts'], missing: ['sandbox.ts'], unexpected: ['leftover.ts'] });
});
