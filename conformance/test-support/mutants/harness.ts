/**
 * A mutant sandbox: the real sandbox (createApp over a fresh :memory: engine, optionally wrapped) behind a
 * loopback proxy that can rewrite partner requests and responses, and relays webhook deliveries so they can
 * be rewritten too. Mutants break one promise each without a test-only switch in product code:
 * the proxy re-signs whatever it rewrites with the secrets it saw pass (createPartner, POST /webhooks).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { signRequest } from '@starship/sdk';
import { signWebhookPayload } from '@starship/sdk';
import { createApp } from '@starship/sandbox/app';
import { openEngine } from '@starship/sandbox/engine/index';
import type { Engine } from '@starship/sandbox/engine';
import { createControlClient } from '../../control-client.ts';

export interface Message {
  method: string;
  /** Path and query as sent. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Relay {
  /** The endpoint URL the partner registered. */
  target: string;
  secret: string;
  headers: Record<string, string>;
  body: string;
}

export interface MutantState {
  engine: Engine;
  /** api_key → api_secret for every partner created through the proxy. */
  secrets: Map<string, string>;
  /** Voucher codes per order id, as partner responses carried them. */
  voucherCodes: Map<string, string[]>;
  /** First 200 createOrder body per Idempotency-Key. */
  ordersByKey: Map<string, string>;
  /** Re-signs a partner write after the proxy changed it (a fresh real-time timestamp unless given). */
  resign(message: Message, timestamp?: number): void;
  /** Re-signs a webhook relay with its endpoint secret after a change. */
  resignWebhook(relay: Relay): void;
}

export interface Mutant {
  name: string;
  /** The promise this mutant breaks. */
  breaks: string;
  /** Wraps the engine the app runs on. */
  engine?: (engine: Engine) => Engine;
  request?: (message: Message, state: MutantState) => void;
  response?: (message: Message, answer: Answer, state: MutantState) => void;
  /** Rewrites a webhook before it reaches the partner; returning 'swallow' answers 200 without forwarding. */
  webhook?: (relay: Relay, state: MutantState) => void | 'swallow';
}

export interface MutantSandbox {
  origin: string;
  /** The partner created through the proxy for the suite to certify. */
  credentials: { apiKey: string; apiSecret: string };
  adminToken: string;
  close(): Promise<void>;
}

const ADMIN_TOKEN = 'adm_mutant';
const HOOK_PREFIX = '/__hooks/';

async function listen(server: Server): Promise<string> {
  // Longer than fetch's own keep-alive, so a busy machine never hands fetch a socket the server is closing.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);
const forwardable = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP.has(name.toLowerCase())));

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function collectCodes(state: MutantState, body: unknown): void {
  const orders = Array.isArray(body) ? body : [body];
  for (const order of orders) {
    if (typeof order?.id !== 'string' || !Array.isArray(order.items)) continue;
    const codes = order.items.map((item: any) => item?.voucher?.code).filter((code: unknown): code is string => typeof code === 'string');
    if (codes.length > 0) state.voucherCodes.set(order.id, codes);
  }
}

export interface Upstream {
  origin: string;
  engine: Engine;
  close(): Promise<void>;
}

/** The real sandbox app on its own port over a fresh :memory: engine, optionally wrapped by a mutant. */
export async function startUpstream(wrap?: Mutant['engine']): Promise<Upstream> {
  const base = await openEngine({ file: ':memory:' });
  const engine = wrap ? wrap(base) : base;
  // As startSandbox does; delivery failures show up as WH check failures, so they need no log here.
  base.startWebhookDelivery({ onError: () => {} });
  // The suite validates every response itself; the app's own response validation would only cost time.
  const server = createServer(createApp({ engine, adminToken: ADMIN_TOKEN, logger: pino({ level: 'silent' }), validateResponses: false }));
  const origin = await listen(server);
  return {
    origin,
    engine,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await base.close();
    },
  };
}

/** Puts `mutant` (none: the unbroken sandbox) in front of an upstream sandbox and creates the partner to certify. */
export async function startMutant(mutant: Mutant | undefined, upstream: Upstream): Promise<MutantSandbox> {
  const { engine } = upstream;
  const upstreamOrigin = upstream.origin;
  const hooks = new Map<string, { target: string; secret: string }>();
  let origin = '';
  const state: MutantState = {
    engine,
    secrets: new Map(),
    voucherCodes: new Map(),
    ordersByKey: new Map(),
    resign(message, timestamp = Math.floor(Date.now() / 1000)) {
      const secret = state.secrets.get(message.headers['x-api-key'] ?? '');
      if (!secret) return;
      const signed = signRequest({ secret, timestamp, method: message.method, path: message.path, body: message.body });
      message.headers['x-timestamp'] = signed.timestamp;
      message.headers['x-signature'] = signed.header;
    },
    resignWebhook(relay) {
      relay.headers['x-signature'] = signWebhookPayload({ secrets: relay.secret, body: relay.body });
    },
  };

  async function relayWebhook(id: string, headers: Record<string, string>, body: string): Promise<Answer> {
    const hook = hooks.get(id);
    if (!hook) return { status: 410, headers: {}, body: '' };
    const relay: Relay = { target: hook.target, secret: hook.secret, headers: forwardable(headers), body };
    if (mutant?.webhook?.(relay, state) === 'swallow') return { status: 200, headers: {}, body: '' };
    const response = await fetch(relay.target, { method: 'POST', headers: relay.headers, body: relay.body });
    return { status: response.status, headers: {}, body: await response.text() };
  }

  async function forward(message: Message): Promise<Answer> {
    const isPartner = message.path.startsWith('/api/v1');
    if (isPartner && message.method === 'POST' && /^\/api\/v1\/webhooks\/?(\?|$)/.test(message.path)) {
      // Deliveries come to the proxy, which relays them to the partner's URL (through the mutant).
      const body = JSON.parse(message.body);
      const id = String(hooks.size + 1);
      hooks.set(id, { target: body.url, secret: '' });
      message.body = JSON.stringify({ ...body, url: `${origin}${HOOK_PREFIX}${id}` });
      state.resign(message, Number(message.headers['x-timestamp']));
    }
    if (isPartner) mutant?.request?.(message, state);
    const response = await fetch(upstreamOrigin + message.path, {
      method: message.method,
      headers: forwardable(message.headers),
      body: ['GET', 'HEAD'].includes(message.method) ? undefined : message.body,
    });
    const answer: Answer = { status: response.status, headers: {}, body: await response.text() };
    response.headers.forEach((value, name) => {
      if (!HOP.has(name)) answer.headers[name] = value;
    });
    let json: any;
    try {
      json = JSON.parse(answer.body);
    } catch {
      json = undefined;
    }
    if (message.path.startsWith('/sandbox/v1/partners') && json?.api_key) state.secrets.set(json.api_key, json.api_secret);
    if (isPartner) {
      for (const [id, hook] of hooks) {
        const proxied = `${origin}${HOOK_PREFIX}${id}`;
        if (answer.body.includes(proxied)) {
          if (typeof json?.secret === 'string' && json.url === proxied) hook.secret = json.secret;
          answer.body = answer.body.split(proxied).join(hook.target);
        }
      }
      collectCodes(state, json);
      const key = message.headers['idempotency-key'];
      if (key && answer.status === 200 && /^\/api\/v1\/orders\/?$/.test(message.path) && !state.ordersByKey.has(key)) state.ordersByKey.set(key, answer.body);
      mutant?.response?.(message, answer, state);
    }
    return answer;
  }

  const proxy = createServer(async (request, response) => {
    const message: Message = { method: request.method ?? 'GET', path: request.url ?? '/', headers: flatHeaders(request.headers), body: await readBody(request) };
    try {
      const answer = message.path.startsWith(HOOK_PREFIX)
        ? await relayWebhook(message.path.slice(HOOK_PREFIX.length), message.headers, message.body)
        : await forward(message);
      response.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      response.end(answer.body);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    }
  });
  origin = await listen(proxy);

  const partner = await createControlClient({ origin, adminToken: ADMIN_TOKEN }).createPartner({
    body: { name: 'Mutation subject', wallets: [{ currency: 'USD', balance: '5000.00' }], ip_allowlist: ['127.0.0.1/32', '::1/128'] },
  });

  return {
    origin,
    credentials: { apiKey: partner.api_key, apiSecret: partner.api_secret },
    adminToken: ADMIN_TOKEN,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
