/**
 * Reading a partner's events in sequence order, for testHelperStreamEvents (`starship listen`). The outbox
 * numbers each partner's events as they commit (outbox.ts), so "every event after n" is a range read that
 * neither skips an event committed late nor repeats one. While a stream is open it holds a lease on the
 * partner row (stream_lease_until_ms, real time) that makes the outbox keep every event, subscribed or not.
 */
import type { StreamedEvent } from '../engine.ts';
import type { EngineContext } from './context.ts';

export async function latestEventSeq(ctx: EngineContext, partnerId: string): Promise<number> {
  const row = await ctx.db.selectFrom('partners').select('event_seq').where('id', '=', partnerId).executeTakeFirst();
  return Number(row?.event_seq ?? 0);
}

export async function eventsAfter(ctx: EngineContext, partnerId: string, after: number, limit: number, types?: readonly string[]): Promise<StreamedEvent[]> {
  const rows = await ctx.db
    .selectFrom('webhook_events')
    .select(['seq', 'type', 'payload_json'])
    .where('partner_id', '=', partnerId)
    .where('seq', '>', after)
    .$if(types !== undefined && types.length > 0, (q) => q.where('type', 'in', types!))
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ seq: Number(row.seq), type: row.type, payload: row.payload_json }));
}

/** Extends (never shortens) the partner's stream lease. */
export async function holdEventStream(ctx: EngineContext, partnerId: string, untilMs: number): Promise<void> {
  await ctx.db.updateTable('partners').set({ stream_lease_until_ms: untilMs }).where('id', '=', partnerId).where('stream_lease_until_ms', '<', untilMs).execute();
}
