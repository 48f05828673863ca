/**
 * WH: webhooks registered with POST /webhooks are delivered to the suite's own loopback receiver, signed
 * (HMAC-SHA256 over t + "." + raw body, checked with the SDK's verifier), in the envelope, without voucher
 * codes, and retried after a failed attempt (with the control API the sandbox clock is advanced to make the
 * retry due).
 */
import { randomUUID } from 'node:crypto';
import { verifyWebhook } from '@starship/sdk';
import { isObject } from '@starship/contract';
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import { expectStatus, orderBody, placeDelivered, placeOrder, type Json } from '../fixtures.ts';
import type { Delivery } from '../receiver.ts';
import { expect, fail, skip, type Check } from '../types.ts';

const ORDER_EVENTS = ['order.pending', 'order.delivered', 'order.partially_delivered', 'order.cancelled', 'order.failed'];

interface Endpoint {
  id: string;
  secret: string;
  path: string;
}

function reachable(ctx: SuiteContext): void {
  const host = new URL(ctx.options.baseUrl).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    skip(`the suite's webhook receiver listens on loopback, which a server at ${host} cannot reach`);
  }
}

async function register(ctx: SuiteContext, suffix: string): Promise<Endpoint> {
  const receiver = await ctx.receiver();
  const path = `/hooks/${randomUUID()}${suffix}`;
  const reply = await ctx.api.call('upsertWebhook', { body: { url: `${receiver.origin}${path}`, events: ORDER_EVENTS, description: 'starship conformance server' } });
  expect(reply.status === 201 || reply.status === 200, `POST /webhooks answered ${reply.status} ${reply.text.slice(0, 200)}`);
  const id = reply.body?.id;
  // A server left holding the receiver's URL would retry into the void for 24 h.
  if (typeof id === 'string') ctx.onClose(() => ctx.api.call('deleteWebhook', { pathParams: { webhook_id: id } }));
  return { id, secret: reply.body?.secret, path };
}

const endpoint = (ctx: SuiteContext) => ctx.memo('webhookEndpoint', () => register(ctx, ''));

/** An order placed after the endpoint exists: delivered from the cache when the control API can pump. */
const hookedOrder = (ctx: SuiteContext) =>
  ctx.memo('webhookOrder', async (): Promise<Json> => {
    await endpoint(ctx);
    if (ctx.control) return placeDelivered(ctx);
    const reply = await placeOrder(ctx, await orderBody(ctx));
    expectStatus(reply, 200, 'POST /orders');
    return reply.body;
  });

const deliveriesFor = (orderId: string, path: string) => (d: Delivery) => d.path === path && d.json?.data?.order_id === orderId;

/** The first delivery about the webhook order, awaited once for every WH check. */
const firstDelivery = (ctx: SuiteContext) =>
  ctx.memo('webhookDelivery', async (): Promise<Delivery> => {
    reachable(ctx);
    const [{ path }, order] = await Promise.all([endpoint(ctx), hookedOrder(ctx)]);
    const found = await (await ctx.receiver()).waitFor(deliveriesFor(order.id, path), ctx.webhookTimeoutMs);
    if (!found) fail(`no webhook about order ${order.id} reached the receiver within ${ctx.webhookTimeoutMs} ms`);
    return found[0]!;
  });

function verify(ctx: SuiteContext, delivery: Delivery, secret: string): void {
  const header = delivery.headers['x-signature'];
  try {
    verifyWebhook(delivery.raw, typeof header === 'string' ? header : undefined, secret, { now: ctx.now() });
  } catch (error) {
    fail(`the delivery does not verify: ${error instanceof Error ? error.message : String(error)} (X-Signature ${JSON.stringify(header)})`);
  }
}

/** Every voucher secret (code, pin, url) of an order as GET /orders/{order_id} returns it. */
async function voucherSecrets(ctx: SuiteContext, orderId: string): Promise<string[]> {
  const reply = await ctx.api.call('getOrder', { pathParams: { order_id: orderId } });
  expectStatus(reply, 200, `GET /orders/${orderId}`);
  return (reply.body?.items ?? []).flatMap((item: Json) => [item?.voucher?.code, item?.voucher?.pin, item?.voucher?.url]).filter((v: unknown): v is string => typeof v === 'string' && v.length >= 4);
}

function voucherKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => voucherKeys(v, `${path}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    ['code', 'pin', 'voucher_code'].includes(key) || (key === 'voucher' && isObject(child)) ? [`${path}.${key}`] : voucherKeys(child, `${path}.${key}`),
  );
}

export const WH_CHECKS: Check[] = [
  {
    id: 'WH-REGISTER',
    group: 'WH',
    title: 'POST /webhooks registers an endpoint and returns its signing secret',
    level: 'MUST',
    clause: CLAUSES.webhookRegister,
    needs: 'spec',
    run: async (ctx) => {
      const { id, secret } = await endpoint(ctx);
      expect(typeof id === 'string' && id.startsWith('wh_'), `the endpoint id is ${JSON.stringify(id)}`);
      expect(typeof secret === 'string' && secret.length >= 16, 'the response carries no signing secret');
    },
  },
  {
    id: 'WH-DELIVERY-SIGNED',
    group: 'WH',
    title: 'Deliveries are signed: v1 = HMAC-SHA256(secret, t + "." + raw body), t within ±300 s',
    level: 'MUST',
    clause: CLAUSES.webhookSigning,
    needs: 'server',
    run: async (ctx) => {
      const delivery = await firstDelivery(ctx);
      verify(ctx, delivery, (await endpoint(ctx)).secret);
      return `${delivery.json?.event_type} verified`;
    },
  },
  {
    id: 'WH-ENVELOPE',
    group: 'WH',
    title: 'Deliveries are { event_id, event_type, created_at, data } with matching X-Event-Id / X-Event-Type',
    level: 'MUST',
    clause: CLAUSES.webhookEnvelope,
    needs: 'server',
    run: async (ctx) => {
      const { json, headers } = await firstDelivery(ctx);
      expect(isObject(json), 'the delivery body is not a JSON object');
      expect(typeof json.event_id === 'string' && json.event_id.startsWith('evt_'), `event_id is ${JSON.stringify(json.event_id)}`);
      expect(typeof json.event_type === 'string' && ORDER_EVENTS.includes(json.event_type), `event_type is ${JSON.stringify(json.event_type)}`);
      expect(typeof json.created_at === 'string' && !Number.isNaN(Date.parse(json.created_at)), `created_at is ${JSON.stringify(json.created_at)}`);
      expect(isObject(json.data), 'data is not an object');
      expect(headers['x-event-id'] === json.event_id && headers['x-event-type'] === json.event_type, `X-Event-Id/X-Event-Type headers are ${JSON.stringify(headers['x-event-id'])}/${JSON.stringify(headers['x-event-type'])}`);
    },
  },
  {
    id: 'WH-NO-VOUCHER-CODES',
    group: 'WH',
    title: 'No voucher code, PIN or URL appears in a webhook',
    level: 'MUST',
    clause: CLAUSES.webhookNoCodes,
    needs: 'server',
    run: async (ctx) => {
      const first = await firstDelivery(ctx);
      const order = await hookedOrder(ctx);
      const secrets = await voucherSecrets(ctx, order.id);
      const deliveries = (await ctx.receiver()).deliveries.filter((d) => d.json?.data?.order_id === order.id);
      for (const delivery of [first, ...deliveries]) {
        const text = delivery.raw.toString('utf8');
        const leaked = secrets.find((s) => text.includes(s));
        expect(!leaked, `a ${delivery.json?.event_type} webhook contains a voucher secret of order ${order.id}`);
        const keys = voucherKeys(delivery.json);
        expect(keys.length === 0, `a ${delivery.json?.event_type} webhook has voucher fields: ${keys.join(', ')}`);
      }
      return `${deliveries.length} deliveries searched for ${secrets.length} voucher secrets`;
    },
  },
  {
    id: 'WH-RETRY-AFTER-FAILURE',
    group: 'WH',
    title: 'A delivery answered 500 is retried, freshly signed, with the same event_id',
    level: 'MUST',
    clause: CLAUSES.webhookRetry,
    needs: 'control',
    run: async (ctx) => {
      ctx.requireControl();
      reachable(ctx);
      const receiver = await ctx.receiver();
      const failing = await register(ctx, '-fails-once');
      receiver.failNext(failing.path, 1);
      const placed = await placeOrder(ctx, await orderBody(ctx));
      expectStatus(placed, 200, 'POST /orders');
      const match = deliveriesFor(placed.body.id, failing.path);
      const first = await receiver.waitFor(match, ctx.webhookTimeoutMs);
      if (!first) fail(`no webhook about order ${placed.body.id} reached the failing endpoint within ${ctx.webhookTimeoutMs} ms`);
      const eventId = first[0]!.json?.event_id;
      let retried: Delivery[] | undefined;
      // Exponential backoff: move the sandbox clock forward in doubling steps (about 8 h of sandbox time in all).
      for (let step = 15; !retried && step <= 6 * 3600; step *= 2) {
        await ctx.advanceClock(step);
        retried = await receiver.waitFor((d) => match(d) && d.json?.event_id === eventId, 400, 2);
      }
      if (!retried) fail(`event ${eventId} answered 500 was not retried within the sandbox's retry period`);
      verify(ctx, retried[1]!, failing.secret);
    },
  },
  {
    id: 'WH-DELIVERIES-LISTED',
    group: 'WH',
    title: 'The sandbox lists the delivery with its attempts (listWebhookDeliveries)',
    level: 'SHOULD',
    clause: CLAUSES.webhookRetry,
    needs: 'control',
    run: async (ctx) => {
      const control = ctx.requireControl();
      const delivery = await firstDelivery(ctx);
      const { id } = await endpoint(ctx);
      const listed = await control.listWebhookDeliveries({ query: { webhook_id: id, limit: 100 } });
      const entry = listed.find((d) => d.event_id === delivery.json?.event_id);
      expect(entry !== undefined && entry.attempts.length >= 1, `event ${delivery.json?.event_id} is not in GET /sandbox/v1/webhook-deliveries`);
    },
  },
];
