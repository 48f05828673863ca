/**
 * Idempotency-Key records (DESIGN "Idempotency"): per partner and key, the request fingerprint, the state
 * (IN_PROGRESS while the first request executes, COMPLETED with its response) and a 24 h retention on the
 * virtual clock (from the claim, then from the completion). Past it the record counts as absent, so the
 * key is NEW again. An IN_PROGRESS record older than LOCK_TIMEOUT_SECONDS is treated as abandoned (its
 * request died with the process) and can be claimed.
 * Stored responses are encrypted: a createOrder response carries voucher codes.
 */
import type { Database } from '../db/schema.ts';
import type { IdempotencyClaim, IdempotencyScope, StoredResponse } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';

export const RETENTION_SECONDS = 24 * 60 * 60;
export const LOCK_TIMEOUT_SECONDS = 5 * 60;
/** Expired records are purged once every this many claims. */
const PURGE_EVERY = 1000;

export class IdempotencyStore {
  #claims = 0;

  constructor(private readonly ctx: EngineContext) {}

  async claim(scope: IdempotencyScope): Promise<IdempotencyClaim> {
    const { ctx } = this;
    if (++this.#claims % PURGE_EVERY === 0) await this.purgeExpired();
    const nowMs = ctx.clock.nowMs();
    const nowIso = new Date(nowMs).toISOString();
    const fresh = {
      partner_id: scope.partnerId,
      key: scope.key,
      fingerprint: scope.fingerprint,
      state: 'IN_PROGRESS',
      response_enc: null,
      created_at: nowIso,
      expires_at: new Date(nowMs + RETENTION_SECONDS * 1000).toISOString(),
    };
    // The common case, a new key, is one statement; only a key seen before needs the transaction.
    if (await insertIfAbsent(ctx.db, fresh)) return { outcome: 'NEW' };
    return ctx.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('partner_id', '=', scope.partnerId)
        .where('key', '=', scope.key)
        .executeTakeFirst();
      if (!existing) return (await insertIfAbsent(trx, fresh)) ? { outcome: 'NEW' } : { outcome: 'IN_USE' };
      const abandoned = existing.state === 'IN_PROGRESS' && Date.parse(existing.created_at) + LOCK_TIMEOUT_SECONDS * 1000 < nowMs;
      if (existing.expires_at < nowIso || abandoned) {
        await trx
          .updateTable('idempotency_keys')
          .set({ fingerprint: fresh.fingerprint, state: fresh.state, response_enc: null, created_at: fresh.created_at, expires_at: fresh.expires_at })
          .where('partner_id', '=', scope.partnerId)
          .where('key', '=', scope.key)
          .execute();
        return { outcome: 'NEW' };
      }
      if (existing.fingerprint !== scope.fingerprint) return { outcome: 'MISMATCH' };
      if (existing.state !== 'COMPLETED' || existing.response_enc === null) return { outcome: 'IN_USE' };
      const response = JSON.parse(ctx.decrypt(existing.response_enc, responseContext(scope))) as StoredResponse;
      return { outcome: 'REPLAYED', response };
    });
  }

  async release(scope: IdempotencyScope): Promise<void> {
    await this.ctx.db
      .deleteFrom('idempotency_keys')
      .where('partner_id', '=', scope.partnerId)
      .where('key', '=', scope.key)
      .where('state', '=', 'IN_PROGRESS')
      .execute();
  }

  /** Stores the response as COMPLETED; run it inside the transaction that made the state it describes. */
  async complete(exec: Executor, scope: IdempotencyScope, response: StoredResponse): Promise<void> {
    const { ctx } = this;
    const response_enc = ctx.encrypt(JSON.stringify(response), responseContext(scope));
    const nowMs = ctx.clock.nowMs();
    // Kept 24 h from when the response was stored.
    const expires_at = new Date(nowMs + RETENTION_SECONDS * 1000).toISOString();
    const updated = await exec
      .updateTable('idempotency_keys')
      .set({ state: 'COMPLETED', response_enc, fingerprint: scope.fingerprint, expires_at })
      .where('partner_id', '=', scope.partnerId)
      .where('key', '=', scope.key)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await exec
      .insertInto('idempotency_keys')
      .values({
        partner_id: scope.partnerId,
        key: scope.key,
        fingerprint: scope.fingerprint,
        state: 'COMPLETED',
        response_enc,
        created_at: new Date(nowMs).toISOString(),
        expires_at,
      })
      .execute();
  }

  async purgeExpired(): Promise<void> {
    await this.ctx.db.deleteFrom('idempotency_keys').where('expires_at', '<', this.ctx.clock.nowIso()).execute();
  }
}

async function insertIfAbsent(exec: Executor, row: Database['idempotency_keys']): Promise<boolean> {
  const inserted = await exec
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) => oc.columns(['partner_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

function responseContext(scope: IdempotencyScope): string {
  return `idempotency:${scope.partnerId}:${scope.key}`;
}
