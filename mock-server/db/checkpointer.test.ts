import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { INTERVAL_MS, startCheckpointer } from './checkpointer.ts';

function walDatabase(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'starship-checkpoint-'));
  const file = join(dir, 'd.db');
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  t.after(() => {
    if (sqlite.open) sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { file, sqlite };
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 20 * INTERVAL_MS; waited += INTERVAL_MS / 4) {
    if (check()) return;
    await sleep(INTERVAL_MS / 4);
  }
  assert.fail(what);
}

test('the serving connection never checkpoints; the worker copies the WAL into the database file', async (t) => {
  const { file, sqlite } = walDatabase(t);
  const checkpointer = startCheckpointer(sqlite, file);
  assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 0);
  sqlite.exec('create table t (id integer primary key, v blob not null)');
  const insert = sqlite.prepare('insert into t (v) values (randomblob(4000))');
  for (let i = 0; i < 500; i++) insert.run();
  // Two megabytes are written; only a checkpoint moves them from the WAL into the file itself.
  await eventually(() => statSync(file).size > 1_500_000, 'the worker never checkpointed the WAL');
  checkpointer.close();
  sqlite.close();
  const reopened = new BetterSqlite3(file, { readonly: true });
  assert.deepEqual(reopened.prepare('select count(*) as n from t').get(), { n: 500 });
  reopened.close();
});

test('when the worker cannot run, the serving connection checkpoints automatically again', async (t) => {
  const { sqlite } = walDatabase(t);
  const checkpointer = startCheckpointer(sqlite, join(tmpdir(), 'starship-no-such-dir', 'missing.db'));
  await eventually(() => sqlite.pragma('wal_autocheckpoint', { simple: true }) === 1000, 'automatic checkpoints were not restored');
  checkpointer.close();
});
