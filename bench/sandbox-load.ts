/**
 * What the sandbox benchmarks share: the load settings, the control-API calls that prepare a sandbox, and the
 * signed POST /orders request (a unique Idempotency-Key and a fresh signature on every request).
 */
import type autocannon from 'autocannon';
import { createControlClient, type ControlClient } from '@starship/conformance/control-client';
import { signRequest } from '@starship/sdk';

export const CONNECTIONS = 32;
export const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
/** Every target serves each scenario this long before it is measured (JIT, caches, prepared statements). */
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 3);
export const ADMIN_TOKEN = 'bench-admin-token';
const ORDER_BODY = JSON.stringify({ product_id: 1001, amount: '25.00', quantity: 1, currency: 'USD' });

export interface Measured {
  requests_per_second: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  non_2xx: number;
  errors: number;
  total: number;
}

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

/** The control API of a sandbox the benchmarks started (with ADMIN_TOKEN). */
export const benchControl = (origin: string): ControlClient => createControlClient({ origin, adminToken: ADMIN_TOKEN });

/** A partner whose limits do not throttle the benchmark and whose wallet does not run dry. */
export async function benchPartner(control: ControlClient, name: string): Promise<Credentials> {
  const partner = await control.createPartner({
    body: {
      name,
      wallets: [{ currency: 'USD', balance: '100000000.00' }],
      ip_allowlist: ['127.0.0.1/32', '::1/128'],
      rate_limit_overrides: { product_list: 1e9, product_details: 1e9, orders: 1e9, default: 1e9, burst: 1e9 },
    },
  });
  return { apiKey: partner.api_key, apiSecret: partner.api_secret };
}

/** The benchmark partner and vouchers for every order. */
export async function prepareSandbox(origin: string, vouchers: number): Promise<Credentials> {
  const control = benchControl(origin);
  const partner = await benchPartner(control, 'Benchmark partner');
  for (let left = vouchers; left > 0; left -= 10_000) {
    await control.pumpInventory({ body: { product_id: 1001, amount: '25.00', currency: 'USD', count: Math.min(10_000, left) } });
  }
  return partner;
}

export function authHeaders(credentials: Credentials): Record<string, string> {
  return { 'X-API-Key': credentials.apiKey, 'X-API-Secret': credentials.apiSecret };
}

/** Headers of a POST of `body` to `orderPath`: credentials, the key and a signature made now. */
function signedOrderHeaders(credentials: Credentials, orderPath: string, idempotencyKey: string, body: string): Record<string, string> {
  return {
    ...authHeaders(credentials),
    'Content-Type': 'application/json',
    'Idempotency-Key': idempotencyKey,
    ...signRequest({ secret: credentials.apiSecret, method: 'POST', path: orderPath, body }).headers,
  };
}

let orderCounter = 0;
/**
 * Each request gets a unique Idempotency-Key, its own `reference` (so no two share a signature, which the
 * sandbox would refuse as a replay) and a fresh signature over the path it is sent to.
 */
export function signedOrderRequest(prefix: string, credentials: Credentials): autocannon.Request {
  const orderPath = `${prefix}/orders`;
  return {
    method: 'POST',
    path: orderPath,
    setupRequest: (request) => {
      const n = ++orderCounter;
      const body = JSON.stringify({ product_id: 1001, amount: '25.00', quantity: 1, currency: 'USD', reference: `bench-${process.pid}-${n}` });
      return { ...request, body, headers: signedOrderHeaders(credentials, orderPath, `bench-${process.pid}-${n}`, body) };
    },
  };
}

/** The sandbox's own answers to the benchmarked requests, by operationId, for the framework floor to send. */
export async function sandboxAnswers(origin: string, credentials: Credentials): Promise<Record<string, string>> {
  const answer = async (route: string, init: RequestInit) => {
    const response = await fetch(`${origin}/api/v1${route}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${init.method} ${route}: ${response.status} ${text}`);
    return text;
  };
  return {
    getProduct: await answer('/products/1001', { method: 'GET', headers: authHeaders(credentials) }),
    createOrder: await answer('/orders', {
      method: 'POST',
      body: ORDER_BODY,
      headers: signedOrderHeaders(credentials, '/api/v1/orders', `bench-answers-${process.pid}`, ORDER_BODY),
    }),
  };
}
