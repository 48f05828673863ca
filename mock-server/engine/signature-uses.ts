/**
 * Which request signatures were already used (DESIGN "Every mode"): a signed write whose signature was used
 * before within its window is refused, unless it is the exact retry of that request with the same
 * Idempotency-Key (which then gets the stored replay from the idempotency layer). The signature covers the
 * timestamp, method, path and body but not the Idempotency-Key, so without this a captured request could be
 * sent again with new keys (three orders, three debits) or a captured rotate-secret replayed to rotate again.
 *
 * A use is one row (partner, sha256 of the canonical string), inserted or found in one statement, so two
 * copies racing on two instances cannot both be first. Rows are kept until the signature's timestamp has left
 * the window, when the signature is refused as stale anyway, and purged every PURGE_EVERY uses.
 */
import { createHash } from 'node:crypto';
import { prepare } from '../db/prepared.ts';
import type { EngineContext } from './context.ts';

export type SignatureUse = 'FIRST' | 'EXACT_RETRY' | 'REPLAYED';

export interface SignatureUseInput {
  partnerId: string;
  /** The canonical string the signature covers. */
  canonical: string;
  idempotencyKey: string | null;
  /** Real time (ms) once the signature's timestamp is outside the window. */
  expiresMs: number;
  /** Real time now (ms): a row past its expiry no longer counts. */
  nowMs: number;
}

const PURGE_EVERY = 500;

type Row = { partner_id: string; digest: string; idempotency_key: string | null; expires_ms: number };
const insertUse = prepare<Row, { digest: string }>((db, p) =>
  db
    .insertInto('signature_uses')
    .values({ partner_id: p.partner_id, digest: p.digest, idempotency_key: p.idempotency_key, expires_ms: p.expires_ms })
    .onConflict((oc) => oc.columns(['partner_id', 'digest']).doNothing())
    .returning('digest'),
);
const findUse = prepare<{ partner_id: string; digest: string }, { idempotency_key: string | null; expires_ms: number }>((db, p) =>
  db.selectFrom('signature_uses').select(['idempotency_key', 'expires_ms']).where('partner_id', '=', p.partner_id).where('digest', '=', p.digest),
);
const takeOverExpired = prepare<Row & { nowMs: number }, { digest: string }>((db, p) =>
  db
    .updateTable('signature_uses')
    .set({ idempotency_key: p.idempotency_key, expires_ms: p.expires_ms })
    .where('partner_id', '=', p.partner_id)
    .where('digest', '=', p.digest)
    .where('expires_ms', '<', p.nowMs)
    .returning('digest'),
);

export class SignatureUses {
  #uses = 0;

  constructor(private readonly ctx: EngineContext) {}

  async record(input: SignatureUseInput): Promise<SignatureUse> {
    if (++this.#uses % PURGE_EVERY === 0) await this.purge(input.nowMs);
    const row: Row = {
      partner_id: input.partnerId,
      digest: createHash('sha256').update(input.canonical).digest('hex'),
      idempotency_key: input.idempotencyKey,
      expires_ms: input.expiresMs,
    };
    for (;;) {
      if ((await insertUse.execute(this.ctx.db, row)).rows.length > 0) return 'FIRST';
      const earlier = (await findUse.execute(this.ctx.db, row)).rows[0];
      if (!earlier) continue; // purged between the two statements: insert again
      if (Number(earlier.expires_ms) < input.nowMs) {
        if ((await takeOverExpired.execute(this.ctx.db, { ...row, nowMs: input.nowMs })).rows.length > 0) return 'FIRST';
        continue;
      }
      return earlier.idempotency_key !== null && earlier.idempotency_key === input.idempotencyKey ? 'EXACT_RETRY' : 'REPLAYED';
    }
  }

  async purge(nowMs: number): Promise<void> {
    await this.ctx.db.deleteFrom('signature_uses').where('expires_ms', '<', nowMs).execute();
  }
}
