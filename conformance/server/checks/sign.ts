/**
 * SIGN: every write carries X-Timestamp and X-Signature = t=<ts>,v1=hex(HMAC-SHA256(secret, ts + METHOD +
 * path_with_query + raw_body)); wrong, stale, future, unbound, tampered or replayed signatures are rejected.
 * The probe write is POST /charges, which changes no state.
 */
import type { CallOptions, SignatureTamper } from '../api-client.ts';
import { WRONG_V1 } from '../api-client.ts';
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import { expectError, expectStatus, orderTarget, randomAmount } from '../fixtures.ts';
import type { Check } from '../types.ts';

const WINDOW = 300;

async function charges(ctx: SuiteContext, options: CallOptions = {}) {
  const target = await orderTarget(ctx);
  return ctx.api.call('calculateCharges', { body: { product_id: target.productId, amount: randomAmount(target), quantity: 1 }, ...options });
}

function rejected(id: string, title: string, clause: Check['clause'], code: string, tamper: (ctx: SuiteContext) => CallOptions): Check {
  return {
    id,
    group: 'SIGN',
    title,
    level: 'MUST',
    clause,
    needs: 'server',
    run: async (ctx) => expectError(await charges(ctx, tamper(ctx)), 401, code, `POST /charges (${title.split(' →')[0]})`),
  };
}

const tampered = (make: (ctx: SuiteContext) => SignatureTamper) => (ctx: SuiteContext): CallOptions => ({ tamper: make(ctx) });

export const SIGN_CHECKS: Check[] = [
  {
    id: 'SIGN-VALID',
    group: 'SIGN',
    title: 'A correctly signed write is accepted',
    level: 'MUST',
    clause: CLAUSES.signing,
    needs: 'spec',
    run: async (ctx) => expectStatus(await charges(ctx), 200, 'POST /charges signed correctly'),
  },
  {
    id: 'SIGN-GET-UNSIGNED',
    group: 'SIGN',
    title: 'Reads need no signature',
    level: 'MUST',
    clause: CLAUSES.signing,
    needs: 'spec',
    run: async (ctx) => expectStatus(await ctx.api.call('listProducts', { query: { limit: 1 } }), 200, 'GET /products without X-Signature'),
  },
  {
    id: 'SIGN-WINDOW-EDGE',
    group: 'SIGN',
    title: 'A timestamp 240 s old (inside ±300 s) is accepted',
    level: 'MUST',
    clause: CLAUSES.signingWindow,
    needs: 'spec',
    run: async (ctx) => expectStatus(await charges(ctx, { tamper: { timestamp: ctx.now() - 240 } }), 200, 'POST /charges signed 240 s ago'),
  },
  {
    id: 'SIGN-REPLAY',
    group: 'SIGN',
    title: 'A signature sent again with another Idempotency-Key → 401 E_SIGNATURE_REPLAYED; the exact retry is answered',
    level: 'MUST',
    clause: CLAUSES.signatureReplay,
    needs: 'server',
    run: async (ctx) => {
      // One timestamp for all three: the same request signed once, as a captured request would be sent again.
      const timestamp = ctx.now();
      const key = `sign-replay-${timestamp}-${Math.random().toString(36).slice(2)}`;
      const target = await orderTarget(ctx);
      const body = { product_id: target.productId, amount: randomAmount(target), quantity: 1 };
      const send = (idempotencyKey: string) => ctx.api.call('calculateCharges', { body, tamper: { timestamp }, headers: { 'Idempotency-Key': idempotencyKey } });
      expectStatus(await send(key), 200, 'POST /charges, first use of its signature');
      expectError(await send(`${key}-other`), 401, 'E_SIGNATURE_REPLAYED', 'POST /charges with the same signature and another Idempotency-Key');
      expectStatus(await send(key), 200, 'POST /charges sent again exactly, with the same Idempotency-Key');
    },
  },
  rejected('SIGN-MISSING', 'A write without X-Timestamp/X-Signature → 401 E_SIGNATURE_INVALID', CLAUSES.signing, 'E_SIGNATURE_INVALID', () => ({ sign: false })),
  rejected('SIGN-WRONG', 'A wrong v1 → 401 E_SIGNATURE_INVALID', CLAUSES.signing, 'E_SIGNATURE_INVALID', tampered(() => ({ v1: WRONG_V1 }))),
  rejected('SIGN-WRONG-SECRET', 'Signed with another secret → 401 E_SIGNATURE_INVALID', CLAUSES.signing, 'E_SIGNATURE_INVALID', tampered(() => ({ secret: 'sk_test_notThePartnersSecret' }))),
  rejected('SIGN-STALE', `A timestamp ${WINDOW * 2} s old → 401 E_TIMESTAMP_OUT_OF_WINDOW`, CLAUSES.signingWindow, 'E_TIMESTAMP_OUT_OF_WINDOW', tampered((ctx) => ({ timestamp: ctx.now() - WINDOW * 2 }))),
  rejected('SIGN-FUTURE', `A timestamp ${WINDOW * 2} s ahead → 401 E_TIMESTAMP_OUT_OF_WINDOW`, CLAUSES.signingWindow, 'E_TIMESTAMP_OUT_OF_WINDOW', tampered((ctx) => ({ timestamp: ctx.now() + WINDOW * 2 }))),
  rejected('SIGN-T-MISMATCH', 't= differing from X-Timestamp → 401 E_SIGNATURE_INVALID', CLAUSES.signingBindsT, 'E_SIGNATURE_INVALID', tampered((ctx) => ({ timestamp: ctx.now(), signedTimestamp: ctx.now() - 5 }))),
  rejected('SIGN-BODY-TAMPERED', 'A body other than the one signed → 401 E_SIGNATURE_INVALID', CLAUSES.signing, 'E_SIGNATURE_INVALID', tampered(() => ({ signedBody: '{}' }))),
  rejected('SIGN-PATH-WITHOUT-PREFIX', 'Signing the path without /api/v1 → 401 E_SIGNATURE_INVALID', CLAUSES.canonicalString, 'E_SIGNATURE_INVALID', tampered(() => ({ signedPath: '/charges' }))),
  rejected('SIGN-METHOD', 'Signing another method → 401 E_SIGNATURE_INVALID', CLAUSES.canonicalString, 'E_SIGNATURE_INVALID', tampered(() => ({ signedMethod: 'PUT' }))),
];
