/**
 * The deliberately broken sandboxes of the mutation test: each breaks exactly one promise of the contract,
 * and the suite must FAIL at least one check on each that passes on the unbroken sandbox.
 */
import type { Engine } from '@starship/sandbox/engine';
import { hmacSha256Hex } from '@starship/sdk';
import type { Answer, Message, Mutant } from './harness.ts';

const ENUM_KEYS = new Set(['status', 'sub_status', 'delivery_time', 'delivery_type', 'type']);

function lowercaseEnums(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowercaseEnums);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, ENUM_KEYS.has(key) && typeof child === 'string' ? child.toLowerCase() : lowercaseEnums(child)]),
  );
}

function rewriteJson(answer: Answer, rewrite: (body: any) => unknown): void {
  if (!answer.headers['content-type']?.includes('json') || answer.body === '') return;
  answer.body = JSON.stringify(rewrite(JSON.parse(answer.body)));
}

const isWrite = (message: Message) => !['GET', 'HEAD'].includes(message.method);
const isCreateOrder = (message: Message) => message.method === 'POST' && /^\/api\/v1\/orders\/?$/.test(message.path);
const header = (answer: Answer, name: string) => Object.keys(answer.headers).find((key) => key.toLowerCase() === name.toLowerCase());
const dropHeader = (answer: Answer, name: string) => {
  const key = header(answer, name);
  if (key) delete answer.headers[key];
};
const WINDOW = 300;

function webhookJson(relay: { body: string }, rewrite: (event: any) => unknown): void {
  relay.body = JSON.stringify(rewrite(JSON.parse(relay.body)));
}

export const MUTANTS: Mutant[] = [
  {
    name: 'lowercase-enums',
    breaks: 'responses carry canonical UPPERCASE enums',
    response: (_m, answer) => rewriteJson(answer, lowercaseEnums),
  },
  {
    name: 'no-x-total-count',
    breaks: 'lists answer X-Total-Count',
    response: (_m, answer) => dropHeader(answer, 'x-total-count'),
  },
  {
    name: 'has-more-always-false',
    breaks: 'X-Has-More agrees with the page',
    response: (_m, answer) => {
      const key = header(answer, 'x-has-more');
      if (key) answer.headers[key] = 'false';
    },
  },
  {
    name: 'stale-timestamps-accepted',
    breaks: 'X-Timestamp outside ±300 s is rejected',
    request: (message, state) => {
      const skew = Math.abs(Math.floor(Date.now() / 1000) - Number(message.headers['x-timestamp']));
      if (isWrite(message) && skew > WINDOW) state.resign(message);
    },
  },
  {
    name: 'bad-signatures-accepted',
    breaks: 'a write whose v1 does not match is rejected',
    request: (message, state) => {
      if (isWrite(message) && message.headers['x-timestamp']) state.resign(message, Number(message.headers['x-timestamp']));
    },
  },
  {
    name: 'wrong-secret-accepted',
    breaks: 'X-API-Secret must match the key',
    request: (message, state) => {
      const secret = state.secrets.get(message.headers['x-api-key'] ?? '');
      if (secret) message.headers['x-api-secret'] = secret;
    },
  },
  {
    name: 'ip-allowlist-ignored',
    breaks: 'keys are bound to their IP allowlist',
    engine: (engine): Engine => ({
      ...bind(engine),
      findPartnerByApiKey: async (apiKey) => {
        const partner = await engine.findPartnerByApiKey(apiKey);
        return partner && { ...partner, ipAllowlist: ['0.0.0.0/0', '::/0'] };
      },
    }),
  },
  {
    name: 'idempotency-key-optional',
    breaks: 'POST /orders requires an Idempotency-Key',
    request: (message) => {
      if (isCreateOrder(message) && !message.headers['idempotency-key']) message.headers['idempotency-key'] = `mutant-${Math.random()}`;
    },
  },
  {
    name: 'replay-places-second-order',
    breaks: 'a replay with the same key does not execute again',
    request: (message) => {
      if (isCreateOrder(message) && message.headers['idempotency-key']) message.headers['idempotency-key'] += `-${Math.random()}`;
    },
  },
  {
    name: 'replay-header-dropped',
    breaks: 'a replay carries Idempotent-Replayed: true',
    response: (_m, answer) => dropHeader(answer, 'idempotent-replayed'),
  },
  {
    name: 'mismatch-answers-200',
    breaks: 'same key + different request → 422 E_IDEMPOTENCY_KEY_REUSED',
    response: (message, answer, state) => {
      const stored = state.ordersByKey.get(message.headers['idempotency-key'] ?? '');
      if (answer.status === 422 && answer.body.includes('E_IDEMPOTENCY_KEY_REUSED') && stored) {
        answer.status = 200;
        answer.body = stored;
      }
    },
  },
  {
    name: 'legacy-error-envelope',
    breaks: 'errors are { error: { name, code, message } }',
    response: (_m, answer) => {
      if (answer.status >= 400) rewriteJson(answer, (body) => ({ error: String(body?.error?.code ?? '').replace(/^E_/, '').toLowerCase(), message: body?.error?.message }));
    },
  },
  {
    name: 'no-trace-id',
    breaks: 'every response carries X-Trace-ID',
    response: (_m, answer) => dropHeader(answer, 'x-trace-id'),
  },
  {
    name: '429-without-retry-after',
    breaks: 'a 429 carries Retry-After',
    response: (_m, answer) => {
      if (answer.status === 429) dropHeader(answer, 'retry-after');
    },
  },
  {
    name: 'cache-ignored',
    breaks: 'a cache hit is delivered synchronously',
    engine: (engine): Engine => ({
      ...bind(engine),
      placeOrder: (partnerId, body, idempotency) =>
        engine.placeOrder(partnerId, body.quantity > 50 || body.reference ? body : { ...body, reference: 'SANDBOX_FORCE_PENDING:mutant' }, idempotency),
    }),
  },
  {
    name: 'refunds-not-listed',
    breaks: 'a cancellation refund appears in GET /transactions',
    engine: (engine): Engine => ({
      ...bind(engine),
      listTransactions: async (partnerId, query) => {
        const result = await engine.listTransactions(partnerId, query);
        const items = result.items.filter((t) => t.type !== 'REFUND');
        return { items, total: result.total - (result.items.length - items.length) };
      },
    }),
  },
  {
    name: 'webhook-signed-without-dot',
    breaks: 'webhooks are signed over t + "." + body',
    webhook: (relay) => {
      const t = /t=(\d+)/.exec(relay.headers['x-signature'] ?? '')?.[1] ?? '0';
      relay.headers['x-signature'] = `t=${t},v1=${hmacSha256Hex(relay.secret, Buffer.from(t + relay.body))}`;
    },
  },
  {
    name: 'voucher-code-in-webhook',
    breaks: 'voucher codes never appear in a webhook',
    webhook: (relay, state) => {
      webhookJson(relay, (event) => {
        const codes = state.voucherCodes.get(event?.data?.order_id) ?? [];
        return { ...event, data: { ...event.data, items: (event.data?.items ?? []).map((item: any, i: number) => ({ ...item, voucher: { code: codes[i] ?? 'LEAKED' } })) } };
      });
      state.resignWebhook(relay);
    },
  },
  {
    name: 'webhook-envelope-renamed',
    breaks: 'the webhook envelope is { event_id, event_type, created_at, data }',
    webhook: (relay, state) => {
      webhookJson(relay, ({ event_type, event, ...rest }) => ({ ...rest, type: event_type ?? event }));
      state.resignWebhook(relay);
    },
  },
  {
    name: 'webhook-not-retried',
    breaks: 'a failed delivery is retried',
    webhook: (() => {
      const seen = new Set<string>();
      return (relay: { headers: Record<string, string> }) => {
        const id = relay.headers['x-event-id'] ?? '';
        if (seen.has(id)) return 'swallow' as const;
        seen.add(id);
        return undefined;
      };
    })(),
  },
];

/** The engine's methods bound to it, so a mutant can override a few and spread the rest. */
function bind(engine: Engine): Engine {
  const bound: Record<string, unknown> = {};
  let proto: object | null = engine;
  while (proto && proto !== Object.prototype) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const value = (engine as unknown as Record<string, unknown>)[key];
      if (!(key in bound)) bound[key] = typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(engine) : value;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return bound as unknown as Engine;
}

/** Every order in a partner response body (one order, or a list of them). */
function rewriteOrders(answer: Answer, rewrite: (order: any) => void): void {
  rewriteJson(answer, (body) => {
    for (const order of Array.isArray(body) ? body : [body]) {
      if (typeof order?.id === 'string' && order.id.startsWith('ord_') && Array.isArray(order.timeline)) rewrite(order);
    }
    return body;
  });
}

/** A sub_status the spec does not list (v1's enums are open: a server may answer it). */
export const NEW_SUB_STATUS = 'AWAITING_VENDOR_CAPACITY';

/**
 * Servers that stay within v1 while the spec lags behind them: the suite must not FAIL a MUST check for
 * them (open enums, DESIGN "Open enums").
 */
export const WITHIN_CONTRACT: Mutant[] = [
  {
    name: 'new-sub-status',
    breaks: 'nothing: a new sub_status value in the timeline is additive',
    response: (_m, answer) =>
      rewriteOrders(answer, (order) => {
        const first = order.timeline[0];
        if (first) order.timeline.splice(1, 0, { at: first.at, status: first.status, sub_status: NEW_SUB_STATUS, note: null });
      }),
  },
];

/** A documented sub_status sent in another case: not a new value but a broken promise (canonical UPPERCASE). */
export const RECASED_SUB_STATUS: Mutant = {
  name: 'recased-sub-status',
  breaks: 'responses carry canonical UPPERCASE enums',
  response: (_m, answer) =>
    rewriteOrders(answer, (order) => {
      const first = order.timeline[0];
      if (first) first.sub_status = first.sub_status.charAt(0) + first.sub_status.slice(1).toLowerCase();
    }),
};
