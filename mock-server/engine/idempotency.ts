/**
 * Idempotency-Key records (DESIGN "Idempotency"): per partner and key, the request fingerprint and the
 * COMPLETED response, kept 24 h on the partner's clock from completion (`time` is that clock). Past that the record counts as
 * absent, so the key is NEW again. Stored responses are encrypted: a createOrder response carries voucher
 * codes.
 *
 * A claim writes nothing. While a NEW key's request executes, this process remembers it (a second request
 * with the key is IN_USE, or MISMATCH when it is a different request); the record is written only by
 * complete(), inside the transaction that made the state it describes, so a rejected or failed request
 * stores nothing and a claim costs one primary-key read instead of a write transaction of its own.
 * release() forgets the claim once its request is over (engine/index.ts calls it after the completing
 * transaction commits; the HTTP layer on failure).
 *
 * Instances sharing PostgreSQL (ctx.shared) cannot see each other's memory, so there the claim is a row:
 * INSERT … ON CONFLICT DO UPDATE … WHERE the record is expired or an abandoned IN_PROGRESS claim, RETURNING —
 * one claimant gets the row (NEW), every other one reads the record (IN_USE, MISMATCH or REPLAYED).
 * complete() turns the row COMPLETED inside the order's transaction; a concurrent claim waits on that row
 * lock and then replays. release() deletes the row while it is still IN_PROGRESS. Either way, should a
 * completion find another's live record, complete() fails with IN_USE and rolls its transaction back: a
 * key never places two orders. IN_PROGRESS records count as in use until LOCK_TIMEOUT_SECONDS old.
 */
import type { ExpressionBuilder, OnConflictDatabase, OnConflictTables } from 'kysely';
import { ApiError } from '../api-error.ts';
import { prepare } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import type { IdempotencyClaim, IdempotencyScope, StoredResponse } from '../engine.ts';
import type { SandboxTime } from './clock.ts';
import type { EngineContext, Executor } from './context.ts';

export const RETENTION_SECONDS = 24 * 60 * 60;
export const LOCK_TIMEOUT_SECONDS = 5 * 60;
/** Expired records are purged once every this many claims. */
const PURGE_EVERY = 1000;

type Row = Database['idempotency_keys'];

const findRecord = prepare<{ partnerId: string; key: string }, Row>((db, p) =>
  db.selectFrom('idempotency_keys').selectAll().where('partner_id', '=', p.partnerId).where('key', '=', p.key),
);

/** When the existing record may be taken over, the new one replaces it whole. */
const takeOver = (eb: ExpressionBuilder<OnConflictDatabase<Database, 'idempotency_keys'>, OnConflictTables<'idempotency_keys'>>) => ({
  fingerprint: eb.ref('excluded.fingerprint'),
  state: eb.ref('excluded.state'),
  response_enc: eb.ref('excluded.response_enc'),
  created_at: eb.ref('excluded.created_at'),
  expires_at: eb.ref('excluded.expires_at'),
});

/** Inserts the COMPLETED record over nothing, an expired record or an IN_PROGRESS one; never over a live completion. */
const storeCompleted = prepare<Omit<Row, 'state'> & { nowIso: string }, Row>((db, p) =>
  db
    .insertInto('idempotency_keys')
    .values({
      partner_id: p.partner_id,
      key: p.key,
      fingerprint: p.fingerprint,
      state: 'COMPLETED',
      response_enc: p.response_enc,
      created_at: p.created_at,
      expires_at: p.expires_at,
    })
    .onConflict((oc) =>
      oc
        .columns(['partner_id', 'key'])
        .doUpdateSet(takeOver)
        .where((eb) => eb.or([eb('idempotency_keys.state', '=', 'IN_PROGRESS'), eb('idempotency_keys.expires_at', '<', p.nowIso)])),
    ),
);

/** The shared-database claim: takes the row unless a live record (completed, or claimed recently) holds it. */
const claimRow = prepare<Omit<Row, 'state' | 'response_enc'> & { nowIso: string; staleBefore: string }, { key: string }>((db, p) =>
  db
    .insertInto('idempotency_keys')
    .values({
      partner_id: p.partner_id,
      key: p.key,
      fingerprint: p.fingerprint,
      state: 'IN_PROGRESS',
      response_enc: null,
      created_at: p.created_at,
      expires_at: p.expires_at,
    })
    .onConflict((oc) =>
      oc
        .columns(['partner_id', 'key'])
        .doUpdateSet(takeOver)
        .where((eb) =>
          eb.or([
            eb('idempotency_keys.expires_at', '<', p.nowIso),
            eb.and([eb('idempotency_keys.state', '=', 'IN_PROGRESS'), eb('idempotency_keys.created_at', '<', p.staleBefore)]),
          ]),
        ),
    )
    .returning('key'),
);

const dropClaim = prepare<{ partnerId: string; key: string; fingerprint: string }, never>((db, p) =>
  db
    .deleteFrom('idempotency_keys')
    .where('partner_id', '=', p.partnerId)
    .where('key', '=', p.key)
    .where('fingerprint', '=', p.fingerprint)
    .where('state', '=', 'IN_PROGRESS'),
);

interface Running {
  fingerprint: string;
  sinceMs: number;
  /** Settles once the claim's lookup is done: true when it turned out NEW (and is now running). */
  decided: Promise<boolean>;
}

export class IdempotencyStore {
  #claims = 0;
  readonly #running = new Map<string, Running>();
  /** The requests (by their scope object) whose record is stored: a second completion is a no-op. */
  readonly #completed = new WeakSet<IdempotencyScope>();

  constructor(private readonly ctx: EngineContext) {}

  async claim(scope: IdempotencyScope, time: SandboxTime): Promise<IdempotencyClaim> {
    if (++this.#claims % PURGE_EVERY === 0) await this.purgeExpired();
    if (this.ctx.shared) return this.#claimRow(scope, time);
    const id = runningId(scope);
    for (;;) {
      const running = this.#running.get(id);
      if (!running) break;
      // A claim still looking its key up may find a record and let go: then look again.
      if (!(await running.decided) || this.#running.get(id) !== running) continue;
      if (running.sinceMs + LOCK_TIMEOUT_SECONDS * 1000 < time.nowMs()) break;
      return { outcome: running.fingerprint === scope.fingerprint ? 'IN_USE' : 'MISMATCH' };
    }

    const nowMs = time.nowMs();
    let decide!: (isNew: boolean) => void;
    const mine: Running = { fingerprint: scope.fingerprint, sinceMs: nowMs, decided: new Promise((resolve) => (decide = resolve)) };
    this.#running.set(id, mine);
    let claim: IdempotencyClaim | undefined;
    try {
      const { rows } = await findRecord.execute(this.ctx.db, { partnerId: scope.partnerId, key: scope.key });
      claim = this.#outcome(rows[0], scope, nowMs);
      return claim;
    } finally {
      const isNew = claim?.outcome === 'NEW';
      if (!isNew && this.#running.get(id) === mine) this.#running.delete(id);
      decide(isNew);
    }
  }

  /** The claim's request is over: its record is stored, or it stored nothing and the key is free again. */
  async release(scope: IdempotencyScope): Promise<void> {
    if (this.ctx.shared) await dropClaim.execute(this.ctx.db, { partnerId: scope.partnerId, key: scope.key, fingerprint: scope.fingerprint });
    else this.#running.delete(runningId(scope));
  }

  /** The claim's record is stored (complete() committed): a shared claim row already became that record. */
  completed(scope: IdempotencyScope): void {
    this.#completed.add(scope);
    if (!this.ctx.shared) this.#running.delete(runningId(scope));
  }

  isCompleted(scope: IdempotencyScope): boolean {
    return this.#completed.has(scope);
  }

  async #claimRow(scope: IdempotencyScope, time: SandboxTime): Promise<IdempotencyClaim> {
    for (;;) {
      const nowMs = time.nowMs();
      const nowIso = new Date(nowMs).toISOString();
      const { rows } = await claimRow.execute(this.ctx.db, {
        partner_id: scope.partnerId,
        key: scope.key,
        fingerprint: scope.fingerprint,
        created_at: nowIso,
        expires_at: new Date(nowMs + RETENTION_SECONDS * 1000).toISOString(),
        nowIso,
        staleBefore: new Date(nowMs - LOCK_TIMEOUT_SECONDS * 1000).toISOString(),
      });
      if (rows.length > 0) return { outcome: 'NEW' };
      const { rows: found } = await findRecord.execute(this.ctx.db, { partnerId: scope.partnerId, key: scope.key });
      // Gone (released) or gone stale since the insert looked: claim again.
      const claim = found[0] && this.#outcome(found[0], scope, nowMs);
      if (claim && claim.outcome !== 'NEW') return claim;
    }
  }

  /** Stores the response as COMPLETED; run it inside the transaction that made the state it describes. */
  async complete(exec: Executor, scope: IdempotencyScope, response: StoredResponse, time: SandboxTime): Promise<void> {
    const { ctx } = this;
    const nowMs = time.nowMs();
    const nowIso = new Date(nowMs).toISOString();
    const stored = await storeCompleted.execute(exec, {
      partner_id: scope.partnerId,
      key: scope.key,
      fingerprint: scope.fingerprint,
      response_enc: ctx.encrypt(JSON.stringify(response), responseContext(scope)),
      created_at: nowIso,
      // Kept 24 h from when the response was stored.
      expires_at: new Date(nowMs + RETENTION_SECONDS * 1000).toISOString(),
      nowIso,
    });
    if (Number(stored.numAffectedRows ?? 0) === 0) {
      throw new ApiError(409, 'E_IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key was completed by another request meanwhile.');
    }
  }

  /** Records expired on the sandbox-wide clock (a partner whose clock runs ahead has its own expire later, lazily). */
  async purgeExpired(): Promise<void> {
    await this.ctx.db.deleteFrom('idempotency_keys').where('expires_at', '<', this.ctx.sandboxClock.nowIso()).execute();
  }

  #outcome(record: Row | undefined, scope: IdempotencyScope, nowMs: number): IdempotencyClaim {
    if (!record || record.expires_at < new Date(nowMs).toISOString()) return { outcome: 'NEW' };
    if (record.state === 'IN_PROGRESS' && Date.parse(record.created_at) + LOCK_TIMEOUT_SECONDS * 1000 < nowMs) return { outcome: 'NEW' };
    if (record.fingerprint !== scope.fingerprint) return { outcome: 'MISMATCH' };
    if (record.state !== 'COMPLETED' || record.response_enc === null) return { outcome: 'IN_USE' };
    const response = JSON.parse(this.ctx.decrypt(record.response_enc, responseContext(scope))) as StoredResponse;
    return { outcome: 'REPLAYED', response };
  }
}

function runningId(scope: IdempotencyScope): string {
  return `${scope.partnerId}\u0000${scope.key}`;
}

function responseContext(scope: IdempotencyScope): string {
  return `idempotency:${scope.partnerId}:${scope.key}`;
}
