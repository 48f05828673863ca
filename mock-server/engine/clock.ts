/**
 * The sandbox's one clock: real time plus a persisted offset that only moves forward (advanceClock).
 * The offset is held in memory so now() stays synchronous (the HTTP layer reads it on every request) and
 * is written through to the `clock` table so a restart keeps it. When several instances share the database
 * (share()), another may move it: sync() re-reads the offset, and the HTTP layer awaits it before each request.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../engine.ts';
import type { Database } from '../db/schema.ts';

export class VirtualClock implements Clock {
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
