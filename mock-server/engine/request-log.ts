/**
 * The partner-API request log behind listRequests: what the HTTP layer recorded for each request,
 * newest first. It keeps the most recent MAX_ENTRIES entries (older ones are pruned every PRUNE_EVERY
 * writes) so a long benchmark cannot grow it without bound.
 *
 * Entries are buffered and written in one transaction per batch (every FLUSH_MS or FLUSH_SIZE entries), in
 * multi-row inserts: a commit, or even a statement, per request was a measurable share of each request.
 * list() flushes first (read-your-writes), and close()/resetSandbox flush too, so a clean close loses
 * nothing. Instances sharing PostgreSQL (ctx.shared) write their entries at once instead — the entries of one
 * turn of the event loop together — since listRequests on one instance must see every instance's requests
 * and no instance can flush another's buffer; a batch there that fits one multi-row INSERT is written by that
 * one statement, without a transaction around it (three round trips per request became one).
 */
import { prepare } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import type { C, ListResult, RequestLogQuery, RequestTailQuery } from '../engine.ts';
import type { EngineContext } from './context.ts';
import { invalid } from './errors.ts';
import { pageOf } from './pagination.ts';
import { isoBound } from './time-filters.ts';

export const MAX_ENTRIES = 10_000;
const PRUNE_EVERY = 500;
const FLUSH_MS = 100;
const FLUSH_SIZE = 256;

const ENTRY_COLUMNS = ['id', 'at', 'partner_id', 'operation_id', 'trace_id', 'entry_json'] as const;
/** Rows per multi-row insert: one statement (and one trip through Kysely) per chunk instead of per entry. */
const CHUNK = 64;

type Row = Database['request_log'];
type ChunkValues = Record<`${(typeof ENTRY_COLUMNS)[number]}_${number}`, unknown>;

/** Prepared (db/prepared.ts) per row count, 1 to CHUNK, as batches of each size come. */
const inserts = new Map<number, ReturnType<typeof insertRowsQuery>>();
function insertRowsQuery(count: number) {
  return prepare<ChunkValues, never>((db, p) =>
    db.insertInto('request_log').values(
      Array.from({ length: count }, (_, i) => Object.fromEntries(ENTRY_COLUMNS.map((column) => [column, p[`${column}_${i}`]])) as unknown as Row),
    ),
  );
}
function insertRows(count: number) {
  let query = inserts.get(count);
  if (!query) inserts.set(count, (query = insertRowsQuery(count)));
  return query;
}

function valuesOfRows(rows: readonly Row[]): ChunkValues {
  const values: ChunkValues = {};
  rows.forEach((row, i) => {
    for (const column of ENTRY_COLUMNS) values[`${column}_${i}`] = row[column];
  });
  return values;
}

interface Batch {
  rows: Database['request_log'][];
  written: Promise<void>;
  settle: (outcome: Promise<void>) => void;
}

export class RequestLog {
  #writes = 0;
  #batch: Batch | undefined;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  /** The last batch written, so a flush never overtakes an earlier one. */
  #flushing: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: EngineContext) {}

  /** Settles once the entry's batch is written. */
  append(entry: C['RequestLogEntry']): Promise<void> {
    const batch = (this.#batch ??= newBatch());
    batch.rows.push({
      id: entry.id,
      // Normalised so it compares as text with the bounds (the entry itself keeps the HTTP layer's form).
      at: new Date(entry.at).toISOString(),
      partner_id: entry.partner_id,
      operation_id: entry.operation_id,
      trace_id: entry.trace_id,
      entry_json: JSON.stringify(entry),
    });
    if (batch.rows.length >= FLUSH_SIZE) void this.flush();
    else if (this.ctx.shared) this.#immediate ??= setImmediate(() => void this.flush());
    else this.#timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
    return batch.written;
  }

  /**
   * Writes every buffered entry; settles after every earlier batch too. It never rejects: a failed batch
   * is reported through the append() promises of its entries.
   */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    clearImmediate(this.#immediate);
    this.#immediate = undefined;
    const batch = this.#batch;
    this.#batch = undefined;
    if (batch) {
      this.#flushing = this.#flushing.catch(() => {}).then(() => this.#write(batch.rows));
      batch.settle(this.#flushing);
    }
    return this.#flushing.catch(() => {});
  }

  async #write(rows: Database['request_log'][]): Promise<void> {
    // On SQLite a transaction joins the open commit group (sqlite-driver.ts); a lone statement might commit alone.
    if (this.ctx.shared && rows.length <= CHUNK) await insertRows(rows.length).execute(this.ctx.db, valuesOfRows(rows));
    else {
      await this.ctx.db.transaction().execute(async (trx) => {
        for (let at = 0; at < rows.length; at += CHUNK) {
          const chunk = rows.slice(at, at + CHUNK);
          await insertRows(chunk.length).execute(trx, valuesOfRows(chunk));
        }
      });
    }
    const before = this.#writes;
    this.#writes += rows.length;
    if (Math.floor(this.#writes / PRUNE_EVERY) > Math.floor(before / PRUNE_EVERY)) await this.prune();
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
    await this.flush();
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

  /**
   * One partner's entries in arrival order (ids are ULIDs of the time each entry was recorded): the last `limit`,
   * or the first `limit` after `after`. A follower passes the last id it saw; entries another instance records
   * a moment late may sort before it, which is why `starship logs --follow` asks again from a little earlier.
   */
  async tail(partnerId: string, query: RequestTailQuery): Promise<{ items: C['RequestLogEntry'][]; hasMore: boolean }> {
    const limit = query.limit ?? TAIL_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TAIL_LIMIT) throw invalid(`limit must be an integer between 1 and ${MAX_TAIL_LIMIT}`);
    await this.flush();
    let base = this.ctx.db.selectFrom('request_log').select('entry_json').where('partner_id', '=', partnerId);
    if (query.operation_id) base = base.where('operation_id', '=', query.operation_id);
    if (query.trace_id) base = base.where('trace_id', '=', query.trace_id);
    const rows =
      query.after === undefined
        ? (await base.orderBy('id', 'desc').limit(limit + 1).execute()).reverse()
        : await base.where('id', '>', query.after).orderBy('id').limit(limit + 1).execute();
    const hasMore = rows.length > limit;
    const page = query.after === undefined ? rows.slice(rows.length - Math.min(rows.length, limit)) : rows.slice(0, limit);
    return { items: page.map((r) => JSON.parse(r.entry_json) as C['RequestLogEntry']), hasMore: query.after === undefined ? false : hasMore };
  }
}

const TAIL_LIMIT = 50;
const MAX_TAIL_LIMIT = 500;

function newBatch(): Batch {
  let settle!: Batch['settle'];
  const written = new Promise<void>((resolve) => (settle = resolve));
  return { rows: [], written, settle };
}
