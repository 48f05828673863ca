/**
 * The sandbox's clocks. The sandbox-wide clock (VirtualClock) is real time plus a persisted offset that only
 * moves forward (advanceClock without a partner). The offset is held in memory so now() stays synchronous (the
 * HTTP layer reads it on every request) and is written through to the `clock` table so a restart keeps it. When
 * several instances share the database (share()), another may move it: sync() re-reads the offset, and the HTTP
 * layer awaits it before each request.
 *
 * Each partner's test clock (PartnerTime) adds the partner's own offset (partners.clock_offset_seconds, moved by
 * testHelperAdvanceClock) to the sandbox-wide clock; PartnerClocks reads and moves those offsets.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../engine.ts';
import type { Database } from '../db/schema.ts';

/** The time an engine module dates and judges things by: the sandbox-wide clock or one partner's. */
export interface SandboxTime {
  nowMs(): number;
  now(): Date;
  nowSeconds(): number;
  nowIso(): string;
  /** Today's date (UTC), `YYYY-MM-DD`. */
  today(): string;
  /** Seconds ahead of real time. */
  readonly offsetSeconds: number;
}

export class VirtualClock implements Clock, SandboxTime {
  #offsetSeconds = 0;
  #reading: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  #isoAtMs = Number.NaN;
  #iso = '';

  constructor(private readonly realNow: () => number = Date.now) {}

  get offsetSeconds(): number {
    return this.#offsetSeconds;
  }

  nowMs(): number {
    return this.realNow() + this.#offsetSeconds * 1000;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Formatting a Date costs more than reading the time, and a request asks for it several times a millisecond. */
  nowIso(): string {
    const ms = this.nowMs();
    if (ms !== this.#isoAtMs) {
      this.#isoAtMs = ms;
      this.#iso = new Date(ms).toISOString();
    }
    return this.#iso;
  }

  /** Today's date (UTC) on the virtual clock, `YYYY-MM-DD`. */
  today(): string {
    return this.nowIso().slice(0, 10);
  }

  /** Defined once the clock is shared (share()): re-reads the offset another instance may have moved. */
  sync: (() => Promise<void>) | undefined;

  share(db: Kysely<Database>): void {
    this.sync = () => this.#sync(db);
  }

  #sync(db: Kysely<Database>): Promise<void> {
    if (!this.#reading) {
      const reading = this.load(db).finally(() => (this.#reading = undefined));
      this.#reading = reading;
      return reading;
    }
    // The read in flight may predate the caller's request (and miss an advance it must see): one more read,
    // shared by every caller arriving meanwhile, follows it. A clock read per request burst, not per request.
    return (this.#queued ??= this.#reading
      .catch(() => {})
      .then(() => {
        this.#queued = undefined;
        return this.#sync(db);
      }));
  }

  async load(db: Kysely<Database>): Promise<void> {
    const row = await db.selectFrom('clock').select('offset_seconds').where('id', '=', 1).executeTakeFirst();
    this.#offsetSeconds = Number(row?.offset_seconds ?? 0);
  }

  /** Moves the offset forward in one statement, so concurrent advances on several instances all count. */
  async advance(db: Kysely<Database>, seconds: number): Promise<void> {
    const row = await db
      .insertInto('clock')
      .values({ id: 1, offset_seconds: seconds })
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ offset_seconds: eb('clock.offset_seconds', '+', seconds) })))
      .returning('offset_seconds')
      .executeTakeFirstOrThrow();
    this.#offsetSeconds = Number(row.offset_seconds);
  }

  async setOffset(db: Kysely<Database>, offsetSeconds: number): Promise<void> {
    await db
      .insertInto('clock')
      .values({ id: 1, offset_seconds: offsetSeconds })
      .onConflict((oc) => oc.column('id').doUpdateSet({ offset_seconds: offsetSeconds }))
      .execute();
    this.#offsetSeconds = offsetSeconds;
  }
}

/** A partner's test clock: the sandbox-wide clock plus the partner's own offset (read once, for one operation). */
export class PartnerTime implements SandboxTime {
  constructor(
    private readonly base: VirtualClock,
    readonly partnerOffsetSeconds: number,
  ) {}

  get offsetSeconds(): number {
    return this.base.offsetSeconds + this.partnerOffsetSeconds;
  }

  nowMs(): number {
    return this.base.nowMs() + this.partnerOffsetSeconds * 1000;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  today(): string {
    return this.nowIso().slice(0, 10);
  }
}

/**
 * Partners' own clock offsets. On SQLite this process is the only writer, so the non-zero offsets are kept in
 * memory (loaded at start, updated as they move) and reading one costs nothing; instances sharing PostgreSQL
 * read the partner's row each time, so an advance on one instance is seen by the next operation on any other.
 */
export class PartnerClocks {
  #offsets = new Map<string, number>();

  constructor(private readonly shared: boolean) {}

  async load(db: Kysely<Database>): Promise<void> {
    if (this.shared) return;
    const rows = await db.selectFrom('partners').select(['id', 'clock_offset_seconds']).where('clock_offset_seconds', '<>', 0).execute();
    this.#offsets = new Map(rows.map((row) => [row.id, Number(row.clock_offset_seconds)]));
  }

  async offsetOf(db: Kysely<Database>, partnerId: string): Promise<number> {
    if (!this.shared) return this.#offsets.get(partnerId) ?? 0;
    const row = await db.selectFrom('partners').select('clock_offset_seconds').where('id', '=', partnerId).executeTakeFirst();
    return Number(row?.clock_offset_seconds ?? 0);
  }

  /** Moves the partner's offset forward in one statement (concurrent advances all count); undefined for an unknown partner. */
  async advance(db: Kysely<Database>, partnerId: string, seconds: number): Promise<number | undefined> {
    const row = await db
      .updateTable('partners')
      .set((eb) => ({ clock_offset_seconds: eb('clock_offset_seconds', '+', seconds) }))
      .where('id', '=', partnerId)
      .returning('clock_offset_seconds')
      .executeTakeFirst();
    return row && Number(row.clock_offset_seconds);
  }

  /** After the transaction that moved it committed (SQLite keeps it in memory). */
  moved(partnerId: string, offsetSeconds: number): void {
    if (!this.shared) this.#offsets.set(partnerId, offsetSeconds);
  }

  /** Every partner was deleted (resetSandbox). */
  forget(): void {
    this.#offsets.clear();
  }
}
