/**
 * The sandbox's one clock: real time plus a persisted offset that only moves forward (advanceClock).
 * The offset is held in memory so now() stays synchronous (the HTTP layer reads it on every request) and
 * is written through to the `clock` table so a restart keeps it.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../engine.ts';
import type { Database } from '../db/schema.ts';

export class VirtualClock implements Clock {
  #offsetSeconds = 0;

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

  nowIso(): string {
    return this.now().toISOString();
  }

  /** Today's date (UTC) on the virtual clock, `YYYY-MM-DD`. */
  today(): string {
    return this.nowIso().slice(0, 10);
  }

  async load(db: Kysely<Database>): Promise<void> {
    const row = await db.selectFrom('clock').select('offset_seconds').where('id', '=', 1).executeTakeFirst();
    this.#offsetSeconds = Number(row?.offset_seconds ?? 0);
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
