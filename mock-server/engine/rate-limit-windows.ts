/**
 * Rate-limit windows in the database, for instances sharing PostgreSQL (the HTTP layer's limiter keeps them
 * in memory otherwise). One upsert per admitted request, atomic under the row lock: it rolls a window over
 * when its start moved on and increments both counts, unless a current window is already at its limit —
 * then it changes nothing and the stored windows are read back to say when to retry.
 */
import { prepare } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import type { RateWindows, SharedRateWindows } from '../engine.ts';
import type { EngineContext } from './context.ts';

type Row = Database['rate_limit_windows'];

const countHit = prepare<Row & { limit: number; burstLimit: number }, Row>((db, p) =>
  db
    .insertInto('rate_limit_windows')
    .values({ key: p.key, window_start: p.window_start, count: 1, burst_start: p.burst_start, burst_count: 1 })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet((eb) => ({
          window_start: eb.ref('excluded.window_start'),
          count: eb
            .case()
            .when('rate_limit_windows.window_start', '=', eb.ref('excluded.window_start'))
            .then(eb('rate_limit_windows.count', '+', 1))
            .else(1)
            .end(),
          burst_start: eb.ref('excluded.burst_start'),
          burst_count: eb
            .case()
            .when('rate_limit_windows.burst_start', '=', eb.ref('excluded.burst_start'))
            .then(eb('rate_limit_windows.burst_count', '+', 1))
            .else(1)
            .end(),
        }))
        .where((eb) =>
          eb.and([
            eb.not(eb.and([eb('rate_limit_windows.window_start', '=', eb.ref('excluded.window_start')), eb('rate_limit_windows.count', '>=', p.limit)])),
            eb.not(eb.and([eb('rate_limit_windows.burst_start', '=', eb.ref('excluded.burst_start')), eb('rate_limit_windows.burst_count', '>=', p.burstLimit)])),
          ]),
        ),
    )
    .returningAll(),
);

const readWindows = prepare<{ key: string }, Row>((db, p) => db.selectFrom('rate_limit_windows').selectAll().where('key', '=', p.key));

function windowsOf(row: Row | undefined): RateWindows | undefined {
  return row && { windowStart: Number(row.window_start), count: row.count, burstStart: Number(row.burst_start), burstCount: row.burst_count };
}

export function sharedRateWindows(ctx: EngineContext): SharedRateWindows {
  return {
    async hit(key, windowStart, burstStart, limit, burstLimit) {
      const { rows } = await countHit.execute(ctx.db, { key, window_start: windowStart, count: 1, burst_start: burstStart, burst_count: 1, limit, burstLimit });
      if (rows[0]) return { counted: true, windows: windowsOf(rows[0]) };
      const { rows: stored } = await readWindows.execute(ctx.db, { key });
      return { counted: false, windows: windowsOf(stored[0]) };
    },
  };
}
