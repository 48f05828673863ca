import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { localWriteCount, openDatabase } from './connect.ts';
import { migrateToLatest } from './migrations.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'starship-db-'));
}

test('a file database gets its directory, WAL, foreign keys and a busy timeout', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nested', 'starship.db');
  const db = openDatabase({ file });
  try {
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
    assert.equal(await pragma('journal_mode'), 'wal');
    assert.equal(await pragma('foreign_keys'), 1);
    assert.equal(await pragma('busy_timeout'), 5000);
    assert.ok(existsSync(file));
  } finally {
    await db.destroy();
  }
});

test('migrations create the schema once and enforce its constraints', async () => {
  const db = openDatabase({ file: ':memory:' });
  try {
    await migrateToLatest(db);
    await migrateToLatest(db);
    const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
    for (const name of ['partners', 'wallets', 'ledger_transactions', 'products', 'inventory_vouchers', 'orders', 'order_items', 'idempotency_keys', 'webhook_endpoints', 'request_log', 'faults', 'settings', 'clock', 'categories']) {
      assert.ok(tables.includes(name), name);
    }
    // Foreign keys are on: an order for an unknown partner is refused.
    await assert.rejects(
      db
        .insertInto('orders')
        .values({
          id: 'ord_1', partner_id: 'ptr_missing', product_id: 1, amount_minor: 1, quantity: 1, currency: 'USD', total_minor: 1,
          refunded_minor: 0, status: 'PENDING', sub_status: 'INITIAL', delivery_time: 'DELAYED', reference: null,
          customer_info_json: null, timeline_json: '[]', created_at: 'x', updated_at: 'x',
        })
        .execute(),
      /FOREIGN KEY/,
    );
  } finally {
    await db.destroy();
  }
});

test('cached statements keep returning fresh results, in and out of transactions', async () => {
  const db = openDatabase({ file: ':memory:', statementCacheSize: 2 });
  try {
    await migrateToLatest(db);
    for (let i = 0; i < 5; i++) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('settings').values({ key: `k${i}`, value_json: String(i) }).execute();
      });
      const rows = await db.selectFrom('settings').select(['key', 'value_json']).orderBy('key').execute();
      assert.equal(rows.length, i + 1);
      assert.equal(rows.at(-1)?.value_json, String(i));
    }
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('settings').values({ key: 'rolled-back', value_json: '1' }).execute();
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal(await db.selectFrom('settings').select('key').where('key', '=', 'rolled-back').executeTakeFirst(), undefined);
  } finally {
    await db.destroy();
  }
});

test('the local write count of some tables moves with every write to them, a write it cannot place and a rollback; not with reads or other tables', async () => {
  const db = openDatabase({ file: ':memory:' });
  try {
    await migrateToLatest(db);
    const count = localWriteCount(db, ['categories'])!;
    const moved = async (write: () => Promise<unknown>) => {
      const before = count();
      await write();
      return count() !== before;
    };
    assert.equal(await moved(() => db.insertInto('categories').values({ id: 1, name: 'a', sub_categories_json: '[]', product_count: 0 }).execute()), true);
    assert.equal(await moved(() => db.updateTable('categories').set({ name: 'b' }).execute()), true);
    assert.equal(await moved(() => db.updateTable('categories').set({ name: 'c' }).returning('id').execute()), true, 'a write that returns rows');
    assert.equal(await moved(() => db.selectFrom('categories').selectAll().execute()), false, 'a read');
    assert.equal(await moved(() => db.insertInto('settings').values({ key: 'k', value_json: '1' }).execute()), false, 'another table');
    assert.equal(await moved(() => sql`insert into settings (key, value_json) values ('j', '2')`.execute(db)), true, 'a write whose table it cannot tell');
    const failed = db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'x', value_json: '1' }).execute();
      throw new Error('rolled back');
    });
    assert.equal(await moved(() => failed.catch(() => {})), true, 'a rollback');
    assert.equal(await moved(() => db.deleteFrom('categories').execute()), true);
    assert.equal(localWriteCount(db, []) === undefined, false);
  } finally {
    await db.destroy();
  }
});
