/**
 * Injected faults: armed with a count, consumed one matching request at a time in creation order.
 * A fault matches when each target it names (operation_id, path, partner_id) equals the request's.
 */
import type { Kysely } from 'kysely';
import type { C } from '../engine.ts';
import type { Database } from '../db/schema.ts';
import type { EngineContext } from './context.ts';
import { invalid } from './errors.ts';

/** The request's shape (the generated type is `unknown` because of the schema's anyOf). */
type Body = {
  operation_id?: string;
  path?: string;
  partner_id?: string;
  kind?: C['FaultKind'];
  status?: number;
  count?: number;
  retry_after?: number;
  delay_ms?: number;
};

export async function injectFault(ctx: EngineContext, request: C['InjectFaultRequest']): Promise<C['Fault']> {
  const body = request as Body;
  const kind = body.kind ?? 'HTTP_ERROR';
  const count = body.count ?? 1;
  const problems: string[] = [];
  if (!body.operation_id && !body.path) problems.push('name the target with operation_id or path');
  if (!Number.isInteger(count) || count < 1) problems.push('count must be a positive integer');
  if (kind === 'DELAY' && body.delay_ms === undefined) problems.push('a DELAY fault needs delay_ms');
  if (kind !== 'HTTP_ERROR' && body.status !== undefined) problems.push('status applies to HTTP_ERROR faults only');
  if (problems.length) throw invalid(...problems);

  const row: Database['faults'] = {
    id: ctx.newId('fault'),
    operation_id: body.operation_id ?? null,
    path: body.path ?? null,
    partner_id: body.partner_id ?? null,
    kind,
    status: kind === 'HTTP_ERROR' ? (body.status ?? 503) : null,
    count,
    remaining: count,
    retry_after: body.retry_after ?? null,
    delay_ms: body.delay_ms ?? null,
    created_at: ctx.clock.nowIso(),
  };
  await ctx.db.insertInto('faults').values(row).execute();
  return renderFault(row);
}

/**
 * Keeps how many faults are armed, so the common case (none) skips the database on every partner request.
 * The count is read from the database on first use and after forget() (resetSandbox); on SQLite this process
 * is the only one arming or consuming faults, which is what makes the count trustworthy. Instances sharing
 * PostgreSQL (ctx.shared) arm and consume each other's faults, so there every request asks the database
 * (takeFault's guarded decrement keeps one use from serving two requests on any instance).
 */
export class FaultBook {
  #armed: Promise<{ count: number }> | undefined;

  constructor(private readonly ctx: EngineContext) {}

  async inject(request: C['InjectFaultRequest']): Promise<C['Fault']> {
    if (this.ctx.shared) return injectFault(this.ctx, request);
    // Loaded before the insert, so the count read cannot miss or double-count this fault.
    const armed = await this.#load();
    const fault = await injectFault(this.ctx, request);
    armed.count += 1;
    return fault;
  }

  async take(operationId: string | undefined, path: string, partnerId?: string | null): Promise<C['Fault'] | undefined> {
    if (this.ctx.shared) return takeFault(this.ctx, operationId, path, partnerId);
    const armed = await this.#load();
    if (armed.count === 0) return undefined;
    const fault = await takeFault(this.ctx, operationId, path, partnerId);
    if (fault?.remaining === 0) armed.count -= 1;
    return fault;
  }

  forget(): void {
    this.#armed = undefined;
  }

  #load(): Promise<{ count: number }> {
    const loading = (this.#armed ??= countArmed(this.ctx).then((count) => ({ count })));
    loading.catch(() => {
      if (this.#armed === loading) this.#armed = undefined;
    });
    return loading;
  }
}

async function countArmed(ctx: EngineContext): Promise<number> {
  const row = await ctx.db.selectFrom('faults').select((eb) => eb.fn.countAll<number>().as('n')).where('remaining', '>', 0).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Consumes one use of the oldest matching armed fault. */
export async function takeFault(ctx: EngineContext, operationId: string | undefined, path: string, partnerId?: string | null): Promise<C['Fault'] | undefined> {
  const fault = await consumeArmed(
    ctx,
    'faults',
    (f) => (f.operation_id === null || f.operation_id === operationId) && (f.path === null || f.path === path) && (f.partner_id === null || f.partner_id === partnerId),
  );
  return fault && renderFault(fault);
}

type ArmedTable = 'faults' | 'webhook_faults';

/**
 * Takes one use of the oldest armed row of `table` that `matches` (request faults and webhook-delivery faults
 * alike). The decrement is guarded (`remaining > 0`), so two takers — on two instances too — never share the
 * last use; the loser looks again.
 */
export async function consumeArmed<T extends ArmedTable>(
  ctx: EngineContext,
  table: T,
  matches: (row: Database[T]) => boolean,
): Promise<Database[T] | undefined> {
  const db = ctx.db as unknown as Kysely<Pick<Database, ArmedTable>>;
  for (;;) {
    const armed = (await db.selectFrom(table as ArmedTable).selectAll().where('remaining', '>', 0).orderBy('id').execute()) as Database[T][];
    const row = armed.find(matches);
    if (!row) return undefined;
    const taken = await db
      .updateTable(table as ArmedTable)
      .set((eb) => ({ remaining: eb('remaining', '-', 1) }))
      .where('id', '=', row.id)
      .where('remaining', '>', 0)
      .returning('remaining')
      .executeTakeFirst();
    if (taken) return { ...row, remaining: taken.remaining };
  }
}

function renderFault(row: Database['faults']): C['Fault'] {
  return {
    fault_id: row.id,
    operation_id: row.operation_id,
    path: row.path,
    partner_id: row.partner_id,
    kind: row.kind as C['FaultKind'],
    status: row.status,
    count: row.count,
    remaining: row.remaining,
    retry_after: row.retry_after,
    delay_ms: row.delay_ms,
    created_at: row.created_at,
  };
}
