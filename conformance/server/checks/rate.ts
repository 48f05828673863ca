/**
 * RATE: X-RateLimit-Limit/-Remaining/-Reset on responses; over the limit, 429 E_RATE_LIMITED with
 * Retry-After. Exhausting a window is destructive, so the 429 checks only run with --include-rate-limits
 * (with the control API they exhaust a throwaway partner with tiny limits instead of the given key).
 */
import type { Credentials, Reply } from '../api-client.ts';
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import { summarizeReply, errorCode, expectStatus, orderTarget, randomAmount } from '../fixtures.ts';
import { expect, fail, type Check } from '../types.ts';

const NAMES = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'] as const;

function rateHeaders(reply: Reply, what: string): { limit: number; remaining: number; reset: number } {
  const [limit, remaining, reset] = NAMES.map((name) => {
    const value = reply.headers.get(name);
    expect(value !== null, `${what} (${reply.status}) has no ${name}`);
    expect(/^\d+$/.test(value), `${what}: ${name} ${JSON.stringify(value)} is not a non-negative integer`);
    return Number(value);
  }) as [number, number, number];
  expect(limit >= 1 && remaining <= limit, `${what}: X-RateLimit-Remaining ${remaining} exceeds X-RateLimit-Limit ${limit}`);
  return { limit, remaining, reset };
}

/** Hammers GET /products until a 429 (or gives up), returning that reply. */
async function exhaust(ctx: SuiteContext, credentials: Credentials, attempts: number): Promise<Reply> {
  for (let i = 0; i < attempts; i++) {
    const reply = await ctx.api.call('listProducts', { query: { limit: 1 }, credentials, acceptRateLimit: true });
    if (reply.status === 429) return reply;
    expectStatus(reply, 200, 'GET /products while exhausting the limit');
  }
  return fail(`no 429 after ${attempts} GET /products in a row`);
}

function throttled(ctx: SuiteContext): Promise<Credentials> {
  return ctx.memo('throttledPartner', async () => {
    if (!ctx.control) return ctx.api.credentials;
    const partner = await ctx.control.createPartner({ body: { name: 'Conformance throttled', rate_limit_overrides: { product_list: 5, burst: 3 } } });
    return { apiKey: partner.api_key, apiSecret: partner.api_secret };
  });
}

export const RATE_CHECKS: Check[] = [
  {
    id: 'RATE-HEADERS',
    group: 'RATE',
    title: 'Responses carry X-RateLimit-Limit, -Remaining and -Reset as integers',
    level: 'MUST',
    clause: CLAUSES.rateLimitHeaders,
    needs: 'spec',
    run: async (ctx) => {
      const target = await orderTarget(ctx);
      rateHeaders(await ctx.api.call('listProducts', { query: { limit: 1 } }), 'GET /products');
      rateHeaders(await ctx.api.call('getProduct', { pathParams: { product_id: target.productId } }), 'GET /products/{product_id}');
      rateHeaders(await ctx.api.call('calculateCharges', { body: { product_id: target.productId, amount: randomAmount(target), quantity: 1 } }), 'POST /charges');
      rateHeaders(await ctx.api.call('listOrders', { query: { limit: 1 } }), 'GET /orders');
    },
  },
  {
    id: 'RATE-RESET-FUTURE',
    group: 'RATE',
    title: 'X-RateLimit-Reset is a unix time within the next hour',
    level: 'SHOULD',
    clause: CLAUSES.rateLimitHeaders,
    needs: 'server',
    run: async (ctx) => {
      const { reset } = rateHeaders(await ctx.api.call('listCategories'), 'GET /categories');
      const now = ctx.serverNow();
      expect(reset >= now - 1 && reset <= now + 3600, `X-RateLimit-Reset ${reset} is not within the next hour of server time ${now}`);
    },
  },
  {
    id: 'RATE-REMAINING-DECREASES',
    group: 'RATE',
    title: 'X-RateLimit-Remaining counts down within a window',
    level: 'SHOULD',
    clause: CLAUSES.rateLimitHeaders,
    needs: 'server',
    run: async (ctx) => {
      const first = rateHeaders(await ctx.api.call('listCategories'), 'GET /categories');
      const second = rateHeaders(await ctx.api.call('listCategories'), 'GET /categories');
      expect(second.remaining < first.remaining || second.reset > first.reset, `X-RateLimit-Remaining went ${first.remaining} → ${second.remaining} in one window`);
    },
  },
  {
    id: 'RATE-429',
    group: 'RATE',
    title: 'Over the limit → 429 E_RATE_LIMITED with Retry-After and the rate-limit headers',
    level: 'MUST',
    clause: CLAUSES.rateLimit429,
    needs: 'server',
    optIn: 'rate-limits',
    run: async (ctx) => {
      const reply = await exhaust(ctx, await throttled(ctx), ctx.control ? 12 : 250);
      expect(errorCode(reply) === 'E_RATE_LIMITED', `the 429 carries ${summarizeReply(reply)}, not E_RATE_LIMITED`);
      const retryAfter = reply.headers.get('retry-after');
      expect(retryAfter !== null && /^\d+$/.test(retryAfter), `the 429 has Retry-After ${JSON.stringify(retryAfter)}, not delay-seconds`);
      rateHeaders(reply, 'the 429');
    },
  },
  {
    id: 'RATE-PER-KEY',
    group: 'RATE',
    title: "One key's exhausted limit does not throttle another key",
    level: 'SHOULD',
    clause: CLAUSES.rateLimitPerKey,
    needs: 'control',
    optIn: 'rate-limits',
    run: async (ctx) => {
      ctx.requireControl();
      await exhaust(ctx, await throttled(ctx), 12);
      expectStatus(await ctx.api.call('listProducts', { query: { limit: 1 }, acceptRateLimit: true }), 200, 'GET /products with the given key');
    },
  },
];
