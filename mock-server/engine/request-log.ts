/**
 * The partner-API request log behind listRequests: what the HTTP layer recorded for each request,
 * newest first. It keeps the most recent MAX_ENTRIES entries (older ones are pruned every PRUNE_EVERY
 * writes) so a long benchmark cannot grow it without bound.
 */
import type { C, ListResult, RequestLogQuery } from '../engine.ts';
import type { EngineContext } from './context.ts';
import { invalid } from './errors.ts';
import { pageOf } from './pagination.ts';
import { isoBound } from './time-filters.ts';

export const MAX_ENTRIES = 10_000;
const PRUNE_EVERY = 500;

export class RequestLog {
  #writes = 0;

  constructor(private readonly ctx: EngineContext) {}

  async append(entry: C['RequestLogEntry']): Promise<void> {
    const { db } = this.ctx;
    await db
      .insertInto('request_log')
      .values({
        id: entry.id,
        // Normalised so it compares as text with the bounds (the entry itself keeps the HTTP layer's form).
        at: new Date(entry.at).toISOString(),
        partner_id: entry.partner_id,
        operation_id: entry.operation_id,
        trace_id: entry.trace_id,
        entry_json: JSON.stringify(entry),
      })
      .execute();
    if (++this.#writes % PRUNE_EVERY === 0) await this.prune();
  }

  async prune(): Promise<void> {
    const { db } = this.ctx;
    const oldestKept = await db.selectFrom('request_log').select(['at', 'id']).orderBy('at', 'desc').orderBy('id', 'desc').offset(MAX_ENTRIES - 1).limit(1).executeTakeFirst();
    if (!oldestKept) return;
    await db
      .deleteFrom('request_log')
      .where((eb) => eb.or([eb('at', '<', oldestKept.at), eb.and([eb('at', '=', oldestKept.at), eb('id', '<', oldestKept.id)])]))
      .execute();
  }

  async list(query: RequestLogQuery): Promise<ListResult<C['RequestLogEntry']>> {
    const { limit, offset } = pageOf(query);
    const problems: string[] = [];
    const since = isoBound(query.since, 'since', problems);
    if (problems.length) throw invalid(...problems);
    let base = this.ctx.db.selectFrom('request_log');
    if (query.partner_id) base = base.where('partner_id', '=', query.partner_id);
    if (query.operation_id) base = base.where('operation_id', '=', query.operation_id);
    if (query.trace_id) base = base.where('trace_id', '=', query.trace_id);
    if (since) base = base.where('at', '>=', since);
    const [rows, count] = await Promise.all([
      base.select('entry_json').orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map((r) => JSON.parse(r.entry_json) as C['RequestLogEntry']), total: Number(count.n) };
  }
}
