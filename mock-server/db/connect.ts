/**
 * Opens the sandbox database: Kysely over better-sqlite3. A file by default (`.sandbox/starship.db`, its
 * directory created), `:memory:` for tests. WAL (readers never block the writer), a busy timeout,
 * foreign keys on, synchronous=NORMAL (safe with WAL; a crash can lose the last commits but never corrupts),
 * and temp_store=MEMORY: every transaction runs as a SAVEPOINT (sqlite-driver.ts), whose sub-journal would
 * otherwise be a temporary file written on each statement.
 *
 * WAL checkpoints run on a worker thread (checkpointer.ts), not inside the commits that serve requests.
 *
 * Two adjustments between Kysely and better-sqlite3:
 * - prepared statements are cached (bounded LRU): Kysely prepares every query afresh, and most of a
 *   placeOrder's cost would otherwise be SQLite re-parsing the same dozen statements;
 * - the driver (sqlite-driver.ts) commits transactions in groups, and starts them with BEGIN IMMEDIATE,
 *   so a second process sharing the file queues on the busy timeout instead of failing a deferred
 *   read→write upgrade with SQLITE_BUSY.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import type { Database } from './schema.ts';
import { groupCommitDialect, WriteCount } from './sqlite-driver.ts';

export const DEFAULT_DB_FILE = '.sandbox/starship.db';
export const MEMORY = ':memory:';

export interface OpenDatabaseOptions {
  /** Path of the SQLite file, or `:memory:`. */
  file?: string;
  /** Prepared statements kept per connection (least recently used evicted). */
  statementCacheSize?: number;
}

export function openDatabase(options: OpenDatabaseOptions = {}): Kysely<Database> {
  const file = options.file ?? DEFAULT_DB_FILE;
  if (file !== MEMORY) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  if (file !== MEMORY) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('temp_store = MEMORY');
  const checkpointer = file === MEMORY ? undefined : startCheckpointer(sqlite, file);
  const writes = new WriteCount();
  const db = new Kysely<Database>({ dialect: groupCommitDialect(cachingDatabase(sqlite, options.statementCacheSize ?? 256, checkpointer), sqlite, writes) });
  writeCounts.set(db, writes);
  return db;
}

const writeCounts = new WeakMap<Kysely<Database>, WriteCount>();

/**
 * A count that changes whenever this process may have changed `tables` of a database openDatabase opened
 * (sqlite-driver.ts WriteCount); undefined for any other database (PostgreSQL, which other processes write too).
 */
export function localWriteCount(db: Kysely<Database>, tables: readonly (keyof Database)[]): (() => number) | undefined {
  const writes = writeCounts.get(db);
  return writes && (() => writes.of(tables));
}

function cachingDatabase(sqlite: BetterSqlite3.Database, capacity: number, checkpointer: Checkpointer | undefined): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      checkpointer?.close();
      sqlite.close();
    },
    prepare: (text: string) => {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = sqlite.prepare(text) as unknown as SqliteStatement;
        if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}
