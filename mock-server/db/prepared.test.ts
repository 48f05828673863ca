import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from './connect.ts';
import { migrateToLatest } from './migrations.ts';
import { prepare, valuesOf } from './prepared.ts';

async function database(t: { after: (fn: () => Promise<void>) => void }) {
  const db = openDatabase({ file: ':memory:' });
  t.after(() => db.destroy());
  await migrateToLatest(db);
  return db;
}

test('built and compiled once, then run with new values, inside and outside transactions', async (t) => {
  const db = await database(t);
  let builds = 0;
  const COLUMNS = ['key', 'value_json'] as const;
  const insert = prepare<{ key: string; value_json: string }, never>((q, p) => {
    builds++;
    return q.insertInto('settings').values(valuesOf(p, COLUMNS));
  });
  const find = prepare<{ key: string }, { value_json: string }>((q, p) => {
    builds++;
    return q.selectFrom('settings').select('value_json').where('key', '=', p.key);
  });

  await insert.execute(db, { key: 'a', value_json: '1' });
  await db.transaction().execute((trx) => insert.execute(trx, { key: 'b', value_json: '2' }));
  assert.deepEqual((await find.execute(db, { key: 'b' })).rows, [{ value_json: '2' }]);
  assert.deepEqual((await find.execute(db, { key: 'a' })).rows, [{ value_json: '1' }]);
  assert.equal(builds, 2, 'one build per query');
});

test('constants the builder binds stay bound; the affected-row count comes back', async (t) => {
  const db = await database(t);
  await db.insertInto('settings').values([{ key: 'x', value_json: 'old' }, { key: 'y', value_json: 'old' }]).execute();
  const update = prepare<{ value: string }, never>((q, p) => q.updateTable('settings').set({ value_json: p.value }).where('key', '=', 'x'));
  const result = await update.execute(db, { value: 'new' });
  assert.equal(result.numAffectedRows, 1n);
  const rows = await db.selectFrom('settings').selectAll().orderBy('key').execute();
  assert.deepEqual(rows.map((r) => r.value_json), ['new', 'old']);
});

test('refuses a named value written into the SQL text, or one missing at execution', async (t) => {
  const db = await database(t);
  const literal = prepare<{ key: string }, never>((q, p) => q.deleteFrom('settings').where('key', '=', sql.lit(p.key)));
  await assert.rejects(literal.execute(db, { key: 'x' }), /SQL text/);
  const find = prepare<{ key: string }, never>((q, p) => q.selectFrom('settings').selectAll().where('key', '=', p.key));
  await assert.rejects(find.execute(db, {} as { key: string }), /missing value for prepared parameter key/);
});
