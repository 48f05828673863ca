/**
 * Helpers and shared fixtures for the checks: error-envelope expectations, decimal money in minor units,
 * the partner behind the given credentials, a product to order and the orders the ORD, WAL and WH checks
 * build on. Fixtures are memoised on the context, so each is made once per run.
 */
import { randomInt } from 'node:crypto';
import { isObject } from '@starship/contract';
import type { Reply } from './api-client.ts';
import type { SuiteContext } from './context.ts';
import { expect, fail, skip } from './types.ts';

export type Json = Record<string, any>;

export function errorCode(reply: Reply): string | undefined {
  const error = isObject(reply.body) ? reply.body.error : undefined;
  return isObject(error) && typeof error.code === 'string' ? error.code : undefined;
}

export function summarizeReply(reply: Reply): string {
  const text = reply.text.length > 300 ? `${reply.text.slice(0, 300)}…` : reply.text;
  return `${reply.status} ${text}`;
}

/** The reply must be `status` with the error envelope carrying `code`. */
export function expectError(reply: Reply, status: number, code: string, what: string): void {
  expect(reply.status === status && errorCode(reply) === code, `${what}: expected ${status} ${code}, got ${summarizeReply(reply)}`);
}

export function expectStatus(reply: Reply, status: number, what: string): void {
  expect(reply.status === status, `${what}: expected ${status}, got ${summarizeReply(reply)}`);
}

/** "25.5" → 2550. Amounts are decimal strings with at most two fraction digits. */
export function toMinor(amount: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) fail(`${JSON.stringify(amount)} is not a decimal amount`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export const fromMinor = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/** The partner id behind the given credentials, found through the request log by a response's trace id. */
export function partnerId(ctx: SuiteContext): Promise<string> {
  const control = ctx.requireControl();
  return ctx.memo('partnerId', async () => {
    const reply = await ctx.api.call('listWallets');
    expectStatus(reply, 200, 'GET /wallets');
    const traceId = reply.headers.get('x-trace-id');
    if (!traceId) fail('GET /wallets carried no X-Trace-ID to find the partner by');
    const entries = await control.listRequests({ query: { trace_id: traceId } });
    const id = entries[0]?.partner_id;
    if (typeof id !== 'string') fail(`the request log has no partner for trace ${traceId}`);
    return id;
  });
}

export interface OrderTarget {
  productId: number;
  currency: string;
  minMinor: number;
  maxMinor: number;
}

/** A product whose denomination is a range (so amounts nobody stocked exist), cheapest end first. */
export function orderTarget(ctx: SuiteContext): Promise<OrderTarget> {
  return ctx.memo('orderTarget', async () => {
    const reply = await ctx.api.call('listProducts', { query: { limit: 100 } });
    expectStatus(reply, 200, 'GET /products');
    const candidates: OrderTarget[] = [];
    for (const product of Array.isArray(reply.body) ? reply.body : []) {
      for (const denomination of product?.available_denominations ?? []) {
        const minMinor = Math.round(Number(denomination.min_value) * 100);
        const maxMinor = Math.round(Number(denomination.max_value) * 100);
        if (maxMinor - minMinor >= 200 && typeof product.currency === 'string') {
          candidates.push({ productId: product.id, currency: product.currency, minMinor, maxMinor });
        }
      }
    }
    const target = candidates.find((c) => c.currency === 'USD') ?? candidates[0];
    if (!target) skip('no product in the first page of GET /products has a denomination range to order from');
    return target;
  });
}

/** An amount in the target's range that is unlikely to have been stocked by anyone (random cents). */
export function randomAmount(target: OrderTarget): string {
  const span = Math.min(target.maxMinor - target.minMinor - 1, 1999);
  return fromMinor(target.minMinor + 1 + randomInt(span));
}

/** With the control API, tops the partner's wallet up once so test orders never run out of money. */
export function funded(ctx: SuiteContext): Promise<void> {
  if (!ctx.control) return Promise.resolve();
  const control = ctx.control;
  return ctx.memo('funded', async () => {
    const [id, target] = await Promise.all([partnerId(ctx), orderTarget(ctx)]);
    await control.fundWallet({ path: { partner_id: id }, body: { currency: target.currency, amount: '50000.00' } });
  });
}

export interface OrderRequest {
  product_id: number;
  amount: string;
  quantity: number;
  currency?: string;
  reference?: string;
}

export async function orderBody(ctx: SuiteContext, overrides: Partial<OrderRequest> = {}): Promise<OrderRequest> {
  const target = await orderTarget(ctx);
  return { product_id: target.productId, amount: randomAmount(target), quantity: 1, currency: target.currency, ...overrides };
}

/** Places an order; a wallet that cannot pay SKIPs the check (a real server's test wallet may be empty). */
export async function placeOrder(ctx: SuiteContext, body: OrderRequest, idempotencyKey?: string): Promise<Reply> {
  await funded(ctx);
  const reply = await ctx.api.call('createOrder', { body, ...(idempotencyKey ? { idempotencyKey } : {}) });
  if (reply.status === 422 && errorCode(reply) === 'E_INSUFFICIENT_FUNDS') skip("the partner's wallet cannot pay for a test order; fund it and run again");
  return reply;
}

/** Loads `count` vouchers for (target product, amount) into the sandbox cache. */
export async function pump(ctx: SuiteContext, amount: string, count: number): Promise<void> {
  const target = await orderTarget(ctx);
  await ctx.requireControl().pumpInventory({ body: { product_id: target.productId, amount, currency: target.currency, count } });
}

/** An amount the cache has nothing for, confirmed through the availability endpoint's live delivery_time. */
export async function missAmount(ctx: SuiteContext): Promise<string> {
  const target = await orderTarget(ctx);
  for (let attempt = 0; attempt < 5; attempt++) {
    const amount = randomAmount(target);
    const reply = await ctx.api.call('checkProductAvailability', {
      pathParams: { product_id: target.productId },
      body: { denomination: Number(amount), quantity: 1 },
    });
    if (reply.status === 200 && reply.body?.delivery_time === 'DELAYED') return amount;
  }
  return fail('found no unstocked amount: availability never answered delivery_time DELAYED');
}

/** Places a fresh order delivered from the cache (pumped first). */
export async function placeDelivered(ctx: SuiteContext): Promise<Json> {
  ctx.requireControl();
  const amount = randomAmount(await orderTarget(ctx));
  await pump(ctx, amount, 2);
  const reply = await placeOrder(ctx, await orderBody(ctx, { amount, quantity: 2 }));
  expectStatus(reply, 200, 'POST /orders after a pump');
  return reply.body as Json;
}

/** The delivered order the ORD checks read. */
export function deliveredOrder(ctx: SuiteContext): Promise<Json> {
  ctx.requireControl();
  return ctx.memo('deliveredOrder', () => placeDelivered(ctx));
}

/** A fresh PENDING order (cache miss); each caller gets its own, since operators act on them. */
export async function pendingOrder(ctx: SuiteContext, quantity = 1): Promise<Json> {
  ctx.requireControl();
  const reply = await placeOrder(ctx, await orderBody(ctx, { amount: await missAmount(ctx), quantity }));
  expectStatus(reply, 200, 'POST /orders on a cache miss');
  expect(reply.body?.status === 'PENDING', `an order on a cache miss should be PENDING, got ${reply.body?.status}`);
  return reply.body as Json;
}

export async function walletBalance(ctx: SuiteContext, currency: string): Promise<number> {
  const reply = await ctx.api.call('listWallets', { query: { limit: 100 } });
  expectStatus(reply, 200, 'GET /wallets');
  const wallet = (Array.isArray(reply.body) ? reply.body : []).find((w: Json) => w?.currency === currency);
  if (!wallet) skip(`the partner has no ${currency} wallet`);
  return toMinor(wallet.balance);
}
