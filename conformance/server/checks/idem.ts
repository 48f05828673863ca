/**
 * IDEM: POST /orders requires an Idempotency-Key; the same key and request replays the stored response
 * (Idempotent-Replayed: true) without placing a second order; a different request is 422, a concurrent
 * one 409; rejections store nothing; keys are scoped per partner.
 */
import { randomUUID } from 'node:crypto';
import { isObject } from '@starship/contract';
import type { Reply } from '../api-client.ts';
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import { summarizeReply, errorCode, expectError, expectStatus, orderBody, partnerId, placeOrder } from '../fixtures.ts';
import { expect, type Check } from '../types.ts';

const newKey = () => `conf-${randomUUID()}`;

/** A new key's first execution of a fresh order, which must succeed. */
async function firstExecution(ctx: SuiteContext) {
  const key = newKey();
  const body = await orderBody(ctx);
  const first = await placeOrder(ctx, body, key);
  expectStatus(first, 200, 'POST /orders');
  return { key, body, first };
}

async function orderCount(ctx: SuiteContext): Promise<number> {
  const reply = await ctx.api.call('listOrders', { query: { limit: 1 } });
  expectStatus(reply, 200, 'GET /orders');
  return Number(reply.headers.get('x-total-count'));
}

const replayed = (reply: Reply) => reply.headers.get('idempotent-replayed') === 'true';

export const IDEM_CHECKS: Check[] = [
  {
    id: 'IDEM-KEY-MISSING',
    group: 'IDEM',
    title: 'POST /orders without Idempotency-Key → 400 E_IDEMPOTENCY_KEY_MISSING',
    level: 'MUST',
    clause: CLAUSES.idempotencyRequired,
    needs: 'server',
    run: async (ctx) => {
      const reply = await ctx.api.call('createOrder', { body: await orderBody(ctx), idempotencyKey: null });
      expectError(reply, 400, 'E_IDEMPOTENCY_KEY_MISSING', 'POST /orders without Idempotency-Key');
    },
  },
  {
    id: 'IDEM-REPLAY',
    group: 'IDEM',
    title: 'Same key, same request → the stored response with Idempotent-Replayed: true, no second order',
    level: 'MUST',
    clause: CLAUSES.idempotencyReplay,
    needs: 'server',
    run: async (ctx) => {
      const { key, body, first } = await firstExecution(ctx);
      expect(!replayed(first), 'the first execution carried Idempotent-Replayed: true');
      const before = await orderCount(ctx);
      const second = await placeOrder(ctx, body, key);
      expect(second.status === first.status, `the replay answered ${summarizeReply(second)}, the original ${first.status}`);
      expect(second.body?.id === first.body?.id, `the replay returned order ${second.body?.id}, the original ${first.body?.id}: the request was executed twice`);
      expect(replayed(second), `the replay lacks Idempotent-Replayed: true (got ${JSON.stringify(second.headers.get('idempotent-replayed'))})`);
      expect(JSON.stringify(second.body) === JSON.stringify(first.body), 'the replayed body differs from the stored one');
      const after = await orderCount(ctx);
      expect(after === before, `X-Total-Count of GET /orders went from ${before} to ${after} across the replay: a second order was placed`);
    },
  },
  {
    id: 'IDEM-REPLAY-SEMANTIC',
    group: 'IDEM',
    title: 'A replay whose JSON differs only in key order and whitespace is the same request',
    level: 'SHOULD',
    clause: CLAUSES.idempotencyRuling,
    needs: 'server',
    run: async (ctx) => {
      const { key, body, first } = await firstExecution(ctx);
      const reordered = `{ "quantity": ${body.quantity},\n  "currency": ${JSON.stringify(body.currency)}, "amount": ${JSON.stringify(body.amount)}, "product_id": ${body.product_id} }`;
      const second = await ctx.api.call('createOrder', { body: reordered, idempotencyKey: key });
      expect(second.status === 200 && second.body?.id === first.body?.id && replayed(second), `the reordered replay answered ${summarizeReply(second)}`);
    },
  },
  {
    id: 'IDEM-MISMATCH',
    group: 'IDEM',
    title: 'Same key, different request → 422 E_IDEMPOTENCY_KEY_REUSED',
    level: 'MUST',
    clause: CLAUSES.idempotencyRuling,
    needs: 'server',
    run: async (ctx) => {
      const { key, body } = await firstExecution(ctx);
      const other = await ctx.api.call('createOrder', { body: { ...body, quantity: body.quantity + 1 }, idempotencyKey: key });
      expectError(other, 422, 'E_IDEMPOTENCY_KEY_REUSED', 'the same key with another quantity');
    },
  },
  {
    id: 'IDEM-CONCURRENT',
    group: 'IDEM',
    title: 'Same key while the first is executing → 409 E_IDEMPOTENCY_KEY_IN_USE, never two orders',
    level: 'MUST',
    clause: CLAUSES.idempotencyRuling,
    needs: 'server',
    run: async (ctx) => {
      const key = newKey();
      const body = await orderBody(ctx);
      // With the control API a DELAY fault holds the first request, so the overlap is certain; a fresh burst
      // window first, so that neither request meets a 429 (waiting it out would undo the overlap).
      if (ctx.control) {
        await ctx.advanceClock(10);
        await ctx.control.injectFault({ body: { operation_id: 'createOrder', partner_id: await partnerId(ctx), kind: 'DELAY', delay_ms: 400, count: 1 } });
      }
      const first = placeOrder(ctx, body, key);
      await new Promise((resolve) => setTimeout(resolve, ctx.control ? 100 : 0));
      const replies = await Promise.all([first, placeOrder(ctx, body, key)]);
      const ids = new Set(replies.filter((r) => r.status === 200).map((r) => r.body?.id));
      expect(ids.size <= 1, `two concurrent requests with one key placed ${ids.size} orders (${[...ids].join(', ')})`);
      for (const reply of replies) {
        expect(reply.status === 200 || (reply.status === 409 && errorCode(reply) === 'E_IDEMPOTENCY_KEY_IN_USE'), `a concurrent request answered ${summarizeReply(reply)}`);
      }
      if (ctx.control) {
        expect(replies.some((r) => r.status === 409), `the overlapping request was not answered 409 E_IDEMPOTENCY_KEY_IN_USE (got ${replies.map((r) => r.status).join(', ')})`);
      }
    },
  },
  {
    id: 'IDEM-REJECTION-NOT-STORED',
    group: 'IDEM',
    title: 'A rejected request stores nothing: the corrected request may reuse the key',
    level: 'SHOULD',
    clause: CLAUSES.idempotencyRuling,
    needs: 'server',
    run: async (ctx) => {
      const key = newKey();
      const body = await orderBody(ctx);
      const invalid = await ctx.api.call('createOrder', { body: { ...body, quantity: 0 }, idempotencyKey: key });
      expectError(invalid, 400, 'E_VALIDATION_FAILURE', 'POST /orders with quantity 0');
      expectStatus(await placeOrder(ctx, body, key), 200, 'the corrected request with the same key');
    },
  },
  {
    id: 'IDEM-PER-PARTNER',
    group: 'IDEM',
    title: "Keys are scoped per partner: another partner's identical key places its own order",
    level: 'MUST',
    clause: CLAUSES.idempotencyRuling,
    needs: 'control',
    run: async (ctx) => {
      const control = ctx.requireControl();
      const body = await orderBody(ctx);
      const key = newKey();
      const mine = await placeOrder(ctx, body, key);
      expectStatus(mine, 200, 'POST /orders');
      const other = await control.createPartner({
        body: { name: 'Conformance second partner', wallets: [{ currency: body.currency ?? 'USD', balance: '5000.00' }] },
      });
      const theirs = await ctx.api.call('createOrder', { body, idempotencyKey: key, credentials: { apiKey: other.api_key, apiSecret: other.api_secret } });
      expectStatus(theirs, 200, "another partner's POST /orders with the same key");
      expect(isObject(theirs.body) && typeof theirs.body.id === 'string', "no order id in the other partner's reply");
      expect(!replayed(theirs) && theirs.body.id !== mine.body?.id, `another partner got this partner's order ${theirs.body.id} back`);
    },
  },
];
