/** What every engine module works with: the database, the key for secrets at rest, the clock and ids. */
import type { Kysely } from 'kysely';
import { isPostgres } from '../db/postgres.ts';
import type { Database } from '../db/schema.ts';
import { createIdFactory, type IdKind } from '../domain/ids.ts';
import { decryptText, encryptText } from '../domain/voucher-crypto.ts';
import type { Catalog } from './catalog.ts';
import type { VirtualClock } from './clock.ts';
import { OutboxSignal } from './outbox-signal.ts';

/** A Kysely instance or a transaction: modules take either, and must use the one they are given. */
export type Executor = Kysely<Database>;

export class EngineContext {
  readonly #newId = createIdFactory();
  /** Notified when an event enters the outbox or the clock moves (webhook-dispatcher wakes on it). */
  readonly outbox = new OutboxSignal();
  /**
   * On PostgreSQL several sandbox processes may share the database: state kept in memory for speed on SQLite
   * (idempotency claims, armed faults, the clock offset, rate-limit windows) is kept in the database instead,
   * and allocation selects take row locks (FOR UPDATE SKIP LOCKED), which SQLite has no syntax for.
   */
  readonly shared: boolean;

  constructor(
    readonly db: Kysely<Database>,
    private readonly key: Buffer,
    readonly clock: VirtualClock,
    readonly catalog: Catalog,
  ) {
    this.shared = isPostgres(db);
  }

  newId(kind: IdKind): string {
    return this.#newId(kind, this.clock.nowMs());
  }

  encrypt(plaintext: string, context: string): string {
    return encryptText(this.key, plaintext, context);
  }

  decrypt(token: string, context: string): string {
    return decryptText(this.key, token, context);
  }
}
