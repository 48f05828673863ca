/**
 * Kysely's SQLite driver with two changes, for a sandbox that serves every request from one connection:
 *
 * - Waiters for the connection queue in order and are woken one at a time (Kysely's own mutex wakes every
 *   waiter on each release and lets them race for it).
 * - Group commit. A transaction's changes are a few pages, but committing in WAL mode writes every page it
 *   touched plus a commit frame, and now and then a checkpoint with its fsyncs: per order, committing cost
 *   more than all its statements. So the outermost transaction opens a physical `BEGIN IMMEDIATE`, and each
 *   Kysely transaction runs as a SAVEPOINT inside it (its rollback undoes only its own changes). The
 *   physical COMMIT runs once the connection has been released and nobody took it before the end of
 *   that turn of the event loop (or at once when MAX_GROUP transactions have joined, or the group is
 *   MAX_GROUP_MS old): under load, the transactions that arrive meanwhile share one commit; idle, each
 *   commits a turn later. Nobody sees a result before it is durable: a
 *   transaction's commit settles, and a statement run outside a transaction while a group is open returns
 *   its rows, only after the physical COMMIT. If that COMMIT (or an error that ends the physical
 *   transaction) fails, every transaction in the group fails, and nothing of it is stored.
 *
 * A connection is lent for one statement, or for one transaction: the group's bookkeeping lets the
 * connection go early (at the savepoint's release, or after the statement) so others can join while this
 * lease waits for the COMMIT. Kysely's `db.connection()` lease for several statements is therefore only
 * supported while no group is open (the migrator's use at start-up); a lease used after it let go throws.
 */
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import { SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type SqliteDatabase } from 'kysely';

/** Transactions per physical commit, and how long a group stays open, at most: a long queue still commits regularly. */
export const MAX_GROUP = 64;
export const MAX_GROUP_MS = 10;

interface Group {
  members: number;
  openedAt: number;
  done: Promise<void>;
  settle: (error?: unknown) => void;
}

function newGroup(): Group {
  let settle!: Group['settle'];
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // Rejections are delivered to the members; the group's own promise must not be reported as unhandled.
  done.catch(() => {});
  return { members: 0, openedAt: performance.now(), done, settle };
}

/** The table a write statement as Kysely compiles it changes (`insert into "t"`, `update "t"`, `delete from "t"`). */
const WRITTEN_TABLE = /^(?:insert into|update|delete from) "(\w+)"/;

/**
 * Counts what may have changed the data, per table: every statement that writes counts for its table, and one
 * whose table it cannot tell, every rollback and every failed group count for all of them. An answer read
 * from some tables while their count stayed the same still holds (engine/stock-answers.ts).
 */
export class WriteCount {
  readonly #byTable = new Map<string, number>();
  #all = 0;

  wrote(sql: string): void {
    const table = WRITTEN_TABLE.exec(sql)?.[1];
    if (table === undefined) this.#all++;
    else this.#byTable.set(table, (this.#byTable.get(table) ?? 0) + 1);
  }

  /** Something of unknown extent was undone or may have been written. */
  any(): void {
    this.#all++;
  }

  /** A number that changes whenever any of `tables` may have changed. */
  of(tables: readonly string[]): number {
    let count = this.#all;
    for (const table of tables) count += this.#byTable.get(table) ?? 0;
    return count;
  }
}

class GroupCommitDriver implements Driver {
  #holder: Lease | undefined;
  readonly #waiting: ((lease: Lease) => void)[] = [];
  #group: Group | undefined;
  #commitScheduled = false;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly inTransaction: () => boolean,
    private readonly writes: WriteCount,
  ) {}

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#holder) return Promise.resolve((this.#holder = new Lease(this)));
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.letGo(connection as Lease);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    lease.assertHolding();
    if (!this.#group) {
      this.run('begin immediate');
      this.#group = newGroup();
    }
    this.run('savepoint starship_tx');
    this.#group.members++;
    lease.transaction = this.#group;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const group = lease.transaction;
    if (!group) throw new Error('commit without a transaction');
    lease.transaction = undefined;
    if (group === this.#group) this.guard(group, () => this.run('release starship_tx'));
    this.letGo(lease);
    await group.done;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const group = lease.transaction;
    lease.transaction = undefined;
    this.writes.any();
    // Nothing left to undo when the group itself failed (the physical transaction is gone).
    if (!group || group !== this.#group) return;
    this.guard(group, () => {
      this.run('rollback to starship_tx');
      this.run('release starship_tx');
    });
  }

  async destroy(): Promise<void> {
    if (this.#group) this.commitGroup();
    this.db.close();
  }

  /** Runs a statement for a lease; outside a transaction, while a group is open, answers once it is durable. */
  async execute(lease: Lease, query: CompiledQuery): Promise<QueryResult<unknown>> {
    lease.assertHolding();
    // A transaction whose group failed must not go on writing in autocommit mode.
    if (lease.transaction && lease.transaction !== this.#group) await lease.transaction.done;
    const group = lease.transaction ?? this.#group;
    const result = group ? this.guard(group, () => this.statement(query)) : this.statement(query);
    if (group && !lease.transaction) {
      this.letGo(lease);
      await group.done;
    }
    return result;
  }

  statement(query: CompiledQuery): QueryResult<unknown> {
    const stmt = this.db.prepare(query.sql);
    // better-sqlite3's `readonly` (Kysely's statement type leaves it out): a write with RETURNING is a reader too.
    if (!(stmt as typeof stmt & { readonly: boolean }).readonly) this.writes.wrote(query.sql);
    if (stmt.reader) return { rows: stmt.all(query.parameters) as unknown[] };
    const { changes, lastInsertRowid } = stmt.run(query.parameters);
    return {
      numAffectedRows: changes === undefined || changes === null ? undefined : BigInt(changes),
      insertId: lastInsertRowid === undefined || lastInsertRowid === null ? undefined : BigInt(lastInsertRowid),
      rows: [],
    };
  }

  run(sql: string): void {
    this.db.prepare(sql).run([]);
  }

  /** An error that ended the physical transaction (SQLite rolls it back on some errors) fails the whole group. */
  guard<T>(group: Group, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (this.#group === group && !this.inTransaction()) this.failGroup(error);
      throw error;
    }
  }

  /** The lease is done with the connection: the next waiter gets it, or the open group commits. */
  letGo(lease: Lease): void {
    if (lease.released) return;
    lease.released = true;
    if (this.#holder !== lease) return;
    const next = this.#waiting.shift();
    const group = this.#group;
    if (group && (group.members >= MAX_GROUP || performance.now() - group.openedAt > MAX_GROUP_MS)) this.commitGroup();
    else if (group && !next) this.commitSoon();
    this.#holder = next ? new Lease(this) : undefined;
    if (next) next(this.#holder!);
  }

  /**
   * Commits the open group after the current turn of the event loop, unless the connection is taken by then
   * (its release decides again). Requests that arrive in the same turn reach their transaction a few promise
   * hops later, after the connection has already been let go: committing at once gave them a commit each.
   */
  commitSoon(): void {
    if (this.#commitScheduled) return;
    this.#commitScheduled = true;
    setImmediate(() => {
      this.#commitScheduled = false;
      if (this.#group && !this.#holder) this.commitGroup();
    });
  }

  commitGroup(): void {
    const group = this.#group!;
    this.#group = undefined;
    try {
      this.run('commit');
      group.settle();
    } catch (error) {
      this.writes.any();
      if (this.inTransaction()) this.run('rollback');
      group.settle(error);
    }
  }

  failGroup(error: unknown): void {
    const group = this.#group!;
    this.#group = undefined;
    this.writes.any();
    group.settle(error);
  }

  isHolder(lease: Lease): boolean {
    return this.#holder === lease && !lease.released;
  }
}

/** One loan of the connection. */
class Lease implements DatabaseConnection {
  released = false;
  /** The group this lease's open transaction belongs to. */
  transaction: Group | undefined;

  constructor(private readonly driver: GroupCommitDriver) {}

  assertHolding(): void {
    if (!this.driver.isHolder(this)) throw new Error('this SQLite connection lease has already let the connection go');
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute(this, query) as Promise<QueryResult<R>>;
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by the sandbox SQLite driver');
  }
}

export function groupCommitDialect(db: SqliteDatabase, sqlite: Database.Database, writes = new WriteCount()): SqliteDialect {
  return new (class extends SqliteDialect {
    override createDriver(): Driver {
      return new GroupCommitDriver(db, () => sqlite.inTransaction, writes);
    }
  })({ database: db });
}
