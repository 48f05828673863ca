/**
 * What a sandbox hosted for many partners must hold to (issue 18), over real HTTP against `starship mock
 * --hosted`: (1) fairness: one partner's receivers hang (10 endpoints, the cap, each never answering) while
 * that partner floods orders; another partner's healthy receiver must still get its events promptly: the
 * p99 lag from the order's answer to its `order.*` webhook arriving, target < 1 s; (2) forbidden webhook
 * URLs: every internal address, in every spelling, refused at registration; (3) bad amounts: credits,
 * opening balances and pumps past the largest amount refused 422 with nothing written, reads still 200;
 * (4) replays: a captured signed order and rotate-secret sent again are refused, the exact retry answered.
 * Receivers are on loopback, named `localhost` and allowed with --allow-webhook-host localhost, as an
 * operator would: every other spelling of loopback stays forbidden.
 */
import { performance } from 'node:perf_hooks';
import { TestReceiver } from '@starship/sandbox/test-support/webhook-receiver';
import { signRequest } from '@starship/sdk';
import { keepAliveAgent, SandboxClient, send, UNLIMITED, type Credentials } from './http.ts';

export interface FairnessFigures {
  hanging_partner_endpoints: number;
  hanging_partner_orders: number;
  healthy_orders: number;
  healthy_lag_ms: { p50: number; p99: number; max: number };
  target_p99_ms: number;
  duration_ms: number;
  violations: string[];
}

export interface HostingFigures {
  fairness: FairnessFigures;
  forbidden_urls: { tried: number; refused: number; rules: Record<string, number>; violations: string[] };
  bad_amounts: { tried: number; refused_422: number; reads_ok_after: boolean; violations: string[] };
  violations: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function register(client: SandboxClient, partner: Credentials, url: string, key: string) {
  return client.partner(partner, 'POST', '/webhooks', { url, events: ['order.delivered', 'order.pending', 'order.partially_delivered'] }, { 'Idempotency-Key': key });
}

let orderCount = 0;
function order(client: SandboxClient, partner: Credentials) {
  const n = ++orderCount;
  // A distinct reference per order: two identical bodies signed in the same second would be one signature.
  return client.partner(partner, 'POST', '/orders', { product_id: 1001, amount: '10.00', quantity: 1, reference: `hosting-${n}` }, { 'Idempotency-Key': `hosting-${n}` });
}

export async function runFairness(origin: string, adminToken: string, sizes: { floodOrders: number; healthyOrders: number; endpoints: number }): Promise<FairnessFigures> {
  const client = new SandboxClient(origin, adminToken, keepAliveAgent(64));
  const wallets = [{ currency: 'USD', balance: '1000000.00' }];
  const [flooder, healthy] = await Promise.all([
    client.createPartner({ rate_limit_overrides: UNLIMITED, wallets }),
    client.createPartner({ rate_limit_overrides: UNLIMITED, wallets }),
  ]);
  const hanging = await Promise.all(Array.from({ length: sizes.endpoints }, (_, i) => TestReceiver.start(`/hang/${i}`)));
  const receiver = await TestReceiver.start('/healthy');
  const allowed = (r: TestReceiver) => r.url.replace('//127.0.0.1:', '//localhost:');
  const violations: string[] = [];
  const started = performance.now();
  try {
    for (const r of hanging) r.answer = () => 'hang';
    for (const [i, r] of hanging.entries()) {
      const reply = await register(client, flooder, allowed(r), `hang-${i}`);
      if (reply.status !== 201) violations.push(`fairness: registering hanging endpoint ${i} → ${reply.status} ${reply.text}`);
    }
    const ok = await register(client, healthy, allowed(receiver), 'healthy');
    if (ok.status !== 201) violations.push(`fairness: registering the healthy endpoint → ${ok.status} ${ok.text}`);

    const flood = Promise.all(Array.from({ length: sizes.floodOrders }, () => order(client, flooder)));
    // Let the flood's deliveries take the send slots first.
    await sleep(500);
    const placedAt = new Map<string, number>();
    for (let i = 0; i < sizes.healthyOrders; i++) {
      const reply = await order(client, healthy);
      if (reply.status !== 200) violations.push(`fairness: healthy order → ${reply.status} ${reply.text}`);
      else placedAt.set(reply.json.id as string, Date.now());
      await sleep(50);
    }
    await receiver.until(() => [...placedAt.keys()].every((id) => receiver.received.some((r) => r.body.includes(id))), 'every healthy delivery', 60_000).catch((error: Error) => {
      violations.push(`fairness: ${error.message}`);
    });
    const lags = [...placedAt].map(([id, at]) => {
      const arrived = receiver.received.find((r) => r.body.includes(id));
      return arrived ? Math.max(0, arrived.receivedAt - at) : Number.POSITIVE_INFINITY;
    }).sort((a, b) => a - b);
    const flooded = await flood;
    const floodOk = flooded.filter((r) => r.status === 200).length;
    if (floodOk !== sizes.floodOrders) violations.push(`fairness: ${sizes.floodOrders - floodOk} flood orders were not placed`);
    const lag = { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags[lags.length - 1] ?? 0 };
    if (!(lag.p99 < 1000)) violations.push(`fairness: healthy p99 lag ${lag.p99} ms ≥ 1000 ms`);
    return {
      hanging_partner_endpoints: sizes.endpoints,
      hanging_partner_orders: floodOk,
      healthy_orders: placedAt.size,
      healthy_lag_ms: lag,
      target_p99_ms: 1000,
      duration_ms: Math.round(performance.now() - started),
      violations,
    };
  } finally {
    await Promise.all([receiver.close(), ...hanging.map((r) => r.close())]);
    client.agent.destroy();
  }
}

/** Internal addresses in the spellings the adversarial run used, and some more; a hosted sandbox refuses each. */
export const FORBIDDEN_URLS = [
  'http://169.254.169.254/latest/meta-data/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://metadata/',
  'http://10.0.0.1/',
  'http://172.16.0.1/',
  'http://192.168.0.1/',
  'http://100.64.0.1/',
  'http://127.0.0.1:4010/sandbox/v1/reset',
  'http://127.0.0.2/',
  'http://api.localhost/',
  'http://[::1]:22/',
  'http://[::]/',
  'http://0.0.0.0/',
  'http://2130706433/',
  'http://0x7f.1/',
  'http://127.1/',
  'http://017700000001/',
  'http://0x7f000001/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://[fe80::1%25eth0]/',
  'http://[fc00::1]/',
  'http://224.0.0.1/',
  'http://db/',
  'http://redis.internal/',
  'http://printer.local/',
  'http://user:hunter2@hooks.example.com/',
  'https://:tok3n-xyz@hooks.example.com/',
];

export async function runForbiddenUrls(origin: string, adminToken: string): Promise<HostingFigures['forbidden_urls']> {
  const client = new SandboxClient(origin, adminToken);
  const partner = await client.createPartner({ rate_limit_overrides: UNLIMITED });
  const rules: Record<string, number> = {};
  const violations: string[] = [];
  let refused = 0;
  try {
    for (const [i, url] of FORBIDDEN_URLS.entries()) {
      const reply = await register(client, partner, url, `forbidden-${i}`);
      // A URL the spec's `uri` format already refuses (an IPv6 zone id) is refused before the guard sees it.
      const rule = /url is refused \(([A-Z0-9_]+)\)/.exec(reply.json?.error?.message ?? '')?.[1] ?? 'URI_FORMAT';
      if (reply.status === 400 && reply.json?.error?.code === 'E_VALIDATION_FAILURE') {
        refused++;
        rules[rule] = (rules[rule] ?? 0) + 1;
      } else violations.push(`forbidden URL ${url} → ${reply.status} ${reply.text.slice(0, 200)}`);
      if (/hunter2|tok3n/.test(reply.text)) violations.push(`forbidden URL ${url}: the answer repeats its credentials`);
    }
    return { tried: FORBIDDEN_URLS.length, refused, rules, violations };
  } finally {
    client.agent.destroy();
  }
}

export async function runBadAmounts(origin: string, adminToken: string): Promise<HostingFigures['bad_amounts']> {
  const client = new SandboxClient(origin, adminToken);
  const violations: string[] = [];
  const partner = await client.createPartner({ rate_limit_overrides: UNLIMITED, wallets: [{ currency: 'USD', balance: '9999999999999.00' }] });
  const fund = (amount: string) => client.rawControl('POST', `/partners/${partner.partner_id}/wallets/fund`, { currency: 'USD', amount });
  try {
    const top = await fund('0.99');
    if (top.status !== 200) violations.push(`bad amounts: funding to the ceiling → ${top.status} ${top.text}`);
    const before = await client.partner(partner, 'GET', '/transactions?limit=100');
    const attempts = [
      () => fund('0.01'),
      () => fund('9999999999999.99'),
      () => fund('9999999999999999'),
      () => client.rawControl('POST', '/partners', { name: 'Too rich', wallets: [{ currency: 'EUR', balance: '9999999999999999' }] }),
      () => client.rawControl('POST', '/inventory/pump', { product_id: 2001, amount: '9999999999999999', currency: 'USD', count: 1 }),
      ...Array.from({ length: 20 }, () => () => fund('0.50')),
    ];
    let refused = 0;
    for (const attempt of attempts) {
      const reply = await attempt();
      if (reply.status === 422 && reply.json?.error?.code === 'E_AMOUNT_OUT_OF_RANGE') refused++;
      else violations.push(`bad amounts: → ${reply.status} ${reply.text.slice(0, 200)}`);
    }
    const wallets = await client.partner(partner, 'GET', '/wallets');
    const after = await client.partner(partner, 'GET', '/transactions?limit=100');
    const readsOk = wallets.status === 200 && after.status === 200;
    if (!readsOk) violations.push(`bad amounts: reads after → /wallets ${wallets.status}, /transactions ${after.status}`);
    if (wallets.json?.[0]?.balance !== '9999999999999.99') violations.push(`bad amounts: the balance moved: ${wallets.text}`);
    if (after.json?.length !== before.json?.length) violations.push('bad amounts: a transaction was written');
    return { tried: attempts.length, refused_422: refused, reads_ok_after: readsOk, violations };
  } finally {
    client.agent.destroy();
  }
}

export interface ReplayFigures {
  replays_sent: number;
  replays_refused: number;
  exact_retries_answered: number;
  orders_made: number;
  violations: string[];
}

/**
 * Signature replay: one signed POST /orders captured and sent again with `copies` other Idempotency-Keys
 * (each must be 401 E_SIGNATURE_REPLAYED, and one order made), then sent exactly again with its own key (the
 * stored replay), and a captured rotate-secret sent again (refused, no second rotation).
 */
export async function runReplays(origin: string, adminToken: string, copies = 20): Promise<ReplayFigures> {
  const client = new SandboxClient(origin, adminToken);
  const violations: string[] = [];
  const partner = await client.createPartner({ rate_limit_overrides: UNLIMITED });
  const capture = (path: string, body: string) => {
    const signed = signRequest({ secret: partner.api_secret, method: 'POST', path, body }).headers;
    return (headers: Record<string, string> = {}) =>
      send(origin, client.agent, {
        method: 'POST',
        path,
        headers: { 'X-API-Key': partner.api_key, 'X-API-Secret': partner.api_secret, 'Content-Type': 'application/json', ...signed, ...headers },
        ...(body ? { body } : {}),
      });
  };
  try {
    const order = capture('/api/v1/orders', JSON.stringify({ product_id: 1001, amount: '10.00', quantity: 1 }));
    const first = await order({ 'Idempotency-Key': 'replay-original' });
    if (first.status !== 200) violations.push(`replays: the original order → ${first.status} ${first.text}`);
    let refused = 0;
    const hook = await client.partner(partner, 'POST', '/webhooks', { url: 'https://hooks.example.com/replay', events: ['order.delivered'] });
    const rotate = capture(`/api/v1/webhooks/${hook.json?.id}/rotate-secret`, '');
    if ((await rotate()).status !== 200) violations.push('replays: the original rotate-secret failed');
    const attempts = [...Array.from({ length: copies }, (_, i) => () => order({ 'Idempotency-Key': `replay-${i}` })), () => order(), () => rotate(), () => rotate({ 'Idempotency-Key': 'late' })];
    for (const attempt of attempts) {
      const reply = await attempt();
      if (reply.status === 401 && reply.json?.error?.code === 'E_SIGNATURE_REPLAYED' && !reply.text.includes('whsec_')) refused++;
      else violations.push(`replays: a replay → ${reply.status} ${reply.text.slice(0, 160)}`);
    }
    const retry = await order({ 'Idempotency-Key': 'replay-original' });
    const retried = retry.status === 200 && retry.headers['idempotent-replayed'] === 'true' ? 1 : 0;
    if (!retried) violations.push(`replays: the exact retry → ${retry.status} ${retry.text.slice(0, 160)}`);
    const orders = await client.listAll(partner, '/orders');
    if (orders.length !== 1) violations.push(`replays: ${orders.length} orders made, not 1`);
    return { replays_sent: attempts.length, replays_refused: refused, exact_retries_answered: retried, orders_made: orders.length, violations };
  } finally {
    client.agent.destroy();
  }
}
