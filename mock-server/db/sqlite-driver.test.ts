import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase } from 'kysely';
import { groupCommitDialect } from './sqlite-driver.ts';

interface Db {
  t: { id: number; v: string };
}

/** A file database whose physical COMMITs are counted. */
function open(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'starship-driver-'));
  const sqlite = new BetterSqlite3(join(dir, 'd.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table t (id integer primary key, v text not null)');
  const counts = { commits: 0 };
  const database: SqliteDatabase = {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      if (text === 'commit') counts.commits++;
      return sqlite.prepare(text) as never;
    },
  };
  const db = new Kysely<Db>({ dialect: groupCommitDialect(database, sqlite) });
  t.after(() => {
    void db.destroy().finally(() => rmSync(dir, { recursive: true, force: true }));
  });
  return { db, sqlite, counts };
}

const insert = (db: Kysely<Db>, id: number) =>
  db.transaction().execute(async (trx) => {
    await trx.insertInto('t').values({ id, v: 'a' }).execute();
    await trx.updateTable('t').set({ v: 'b' }).where('id', '=', id).execute();
    return id;
  });

test('a lone transaction commits at once; transactions queued meanwhile share one commit', async (t) => {
  const { db, sqlite, counts } = open(t);
  assert.equal(await insert(db, 1), 1);
  assert.equal(counts.commits, 1);
  assert.equal(sqlite.inTransaction, false);

  assert.deepEqual(await Promise.all([2, 3, 4, 5, 6].map((id) => insert(db, id))), [2, 3, 4, 5, 6]);
  assert.ok(counts.commits < 6, `five queued transactions took ${counts.commits - 1} commits`);
  assert.equal(sqlite.inTransaction, false);
  const rows = await db.selectFrom('t').select(['id', 'v']).orderBy('id').execute();
  assert.deepEqual(rows, [1, 2, 3, 4, 5, 6].map((id) => ({ id, v: 'b' })));
});

test('transactions that start in the same turn, after the connection was let go, still share one commit', async (t) => {
  const { db, counts } = open(t);
  const afterHops = async (n: number) => {
    for (let i = 0; i < n; i++) await Promise.resolve();
  };
  // Each starts well after the one before has finished its statements and let the connection go.
  const ids = [1, 2, 3, 4, 5];
  assert.deepEqual(await Promise.all(ids.map((id, i) => afterHops(i * 50).then(() => insert(db, id)))), ids);
  assert.ok(counts.commits <= 2, `five transactions in one turn took ${counts.commits} commits`);
});

test('a failing transaction undoes only its own changes; the rest of its group commits', async (t) => {
  const { db } = open(t);
  const failing = db.transaction().execute(async (trx) => {
    await trx.insertInto('t').values({ id: 10, v: 'x' }).execute();
    throw new Error('handler failed');
  });
  const duplicate = db.transaction().execute(async (trx) => {
    await trx.insertInto('t').values({ id: 11, v: 'y' }).execute();
    await trx.insertInto('t').values({ id: 11, v: 'z' }).execute();
  });
  const results = await Promise.allSettled([insert(db, 9), failing, duplicate, insert(db, 12)]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
  );
  assert.deepEqual((await db.selectFrom('t').select('id').orderBy('id').execute()).map((r) => r.id), [9, 12]);
});

test('nothing is answered before it is durable: a read during an open group waits for its commit', async (t) => {
  const { db, counts } = open(t);
  const events: string[] = [];
  const writing = db.transaction().execute(async (trx) => {
    await trx.insertInto('t').values({ id: 1, v: 'a' }).execute();
    events.push('written');
    return 'tx';
  });
  const reading = db
    .selectFrom('t')
    .select('id')
    .execute()
    .then((rows) => {
      events.push(`read ${rows.length} after ${counts.commits} commit(s)`);
    });
  await Promise.all([writing.then(() => events.push('committed')), reading]);
  assert.equal(events[0], 'written');
  assert.ok(events.includes('read 1 after 1 commit(s)'), events.join(', '));
});
