import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEngine } from './index.ts';

test('openEngine on a fresh clone: creates the database directory, the database and its key file', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'starship-open-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const file = path.join(root, '.sandbox', 'starship.db');
  const engine = await openEngine({ file, env: {} });
  await engine.close();
  assert.ok(existsSync(file));
  const keyFile = path.join(root, '.sandbox', 'starship.key');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
});
