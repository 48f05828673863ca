/**
 * The bad-input scenario: generated bad requests (bad-input-cases.ts) for every partner and control
 * operation, correctly authenticated and signed, sent concurrently over keep-alive connections, plus
 * header-injection requests on raw sockets, while a health probe polls the sandbox. Operations that change
 * the sandbox for everyone run in later phases: the clock and fault injection after the bulk, the reset
 * last. Returns figures and violations (any 5xx, a non-envelope error, an undocumented code, a contract
 * breach accepted, an unanswered request, a failed health probe, an error in the server's log).
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { loadSpec } from '@starship/contract';
import { starshipErrorCodes } from '@starship/spec/starship-operations';
import { envelopeProblems } from './checks.ts';
import { casesFor, KINDS, mustReject, targets, type Case, type Kind, type Target } from './bad-input-cases.ts';
import { injectionCases, type InjectionBase } from './header-injection.ts';
import { keepAliveAgent, send, sendRaw, SandboxClient, UNLIMITED, type Credentials } from './http.ts';
import { valueArbitrary, type Hints } from './schema-arbitrary.ts';

export interface BadInputFigures {
  seed: number;
  requests: number;
  generated: number;
  header_injection: number;
  operations: number;
  duration_ms: number;
  requests_per_second: number;
  status_5xx: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  by_kind: Record<string, { sent: number; rejected_4xx: number; accepted_2xx: number }>;
  health: { probes: number; failures: number; max_ms: number };
  /** The slowest generated requests, for a run that takes longer than it should. */
  slowest: string[];
  /**
   * Error codes answered for an operation whose spec entry does not document them (or, for a request that
   * addresses no operation, that the spec names nowhere): `operationId status code` → count.
   */
  undocumented_codes: Record<string, number>;
  /** One example request per undocumented code. */
  undocumented_examples: string[];
  violations: string[];
}

const LATER = new Set(['advanceClock', 'injectFault']);
const LAST = new Set(['resetSandbox']);
const RESET_CASES = 60;
/** A probe unanswered this long counts as the sandbox being down (the slowest answer is reported too). */
const PROBE_TIMEOUT_MS = 30_000;

/** State the generated requests can name, so they reach handlers and not only 404s. */
async function provision(client: SandboxClient): Promise<{ partner: Credentials; hints: Hints; bases: InjectionBase[] }> {
  const partner = await client.createPartner({ rate_limit_overrides: UNLIMITED });
  await client.control.updateSettings({ body: { feature_flags: { reconciliation_api: true, order_simulation: true } } });
  await client.control.pumpInventory({ body: { product_id: 2001, amount: '10.00', currency: 'USD', count: 5 } });
  const order = await client.partner(partner, 'POST', '/orders', { product_id: 2001, amount: '10.00', quantity: 1 }, { 'Idempotency-Key': 'bad-input-seed' });
  if (order.status !== 200) throw new Error(`seed order → ${order.status} ${order.text}`);
  const webhook = await client.partner(partner, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/bad-input', events: ['order.delivered'] });
  if (webhook.status !== 201) throw new Error(`seed webhook → ${webhook.status} ${webhook.text}`);
  const doc = loadSpec('starship');
  const control = loadSpec('sandbox');
  const schema = (name: string, d = doc) => valueArbitrary(d, { $ref: `#/components/schemas/${name}` });
  const hints: Hints = {
    product_id: fc.oneof(fc.constantFrom(2001, 1001), schema('ProductId')),
    order_id: fc.oneof(fc.constant(order.json.id), schema('OrderId')),
    webhook_id: fc.oneof(fc.constant(webhook.json.id), schema('WebhookId')),
    partner_id: fc.oneof(fc.constant(partner.partner_id), schema('PartnerId', control)),
    amount: fc.oneof(fc.constantFrom('5.00', '10.00', '25', '10.5'), schema('DecimalAmount')),
    currency: fc.constantFrom('USD', 'EUR', 'usd', 'XXX'),
    // Pumps and pages stay small so valid ones cost little (this is not a load test); the schemas' bounds
    // are still generated now and then, and exercised by the mutations.
    count: fc.integer({ min: 1, max: 3 }),
    limit: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 20 }), weight: 9 }, { arbitrary: fc.integer({ min: 1, max: 10_000 }), weight: 1 }),
  };
  const readPath = '/api/v1/orders?limit=2';
  const writePath = '/api/v1/charges';
  const writeBody = JSON.stringify({ product_id: 2001, amount: '10.00', quantity: 1 });
  const bases: InjectionBase[] = [
    { method: 'GET', path: readPath, headers: client.partnerHeaders(partner, 'GET', readPath), body: '' },
    { method: 'POST', path: writePath, headers: client.partnerHeaders(partner, 'POST', writePath, writeBody), body: writeBody },
  ];
  return { partner, hints, bases };
}

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

function healthProbe(client: SandboxClient): { stop(): Promise<BadInputFigures['health']> } {
  const agent = keepAliveAgent(1);
  const figures = { probes: 0, failures: 0, max_ms: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const reply = await send(client.origin, agent, { method: 'GET', path: '/sandbox/v1/clock', headers: { Authorization: `Bearer ${client.adminToken}` } }, PROBE_TIMEOUT_MS);
        if (reply.status !== 200) figures.failures++;
      } catch {
        figures.failures++;
      }
      figures.probes++;
      figures.max_ms = Math.max(figures.max_ms, Math.round(performance.now() - started));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      agent.destroy();
      return figures;
    },
  };
}

export async function runBadInput(options: {
  client: SandboxClient;
  /** Generated requests (header injection comes on top). */
  total: number;
  injections: number;
  concurrency: number;
  seed: number;
  /** The server's log so far (stderr), checked for errors afterwards. */
  serverLog?: () => string;
}): Promise<BadInputFigures> {
  const { client, total, concurrency, seed } = options;
  const { partner, hints, bases } = await provision(client);
  const all = targets();
  // A reset re-mints the initial inventory (~0.1 s of work that holds the database): it gets a few cases,
  // run two at a time, and the other operations share the rest.
  const resets = Math.min(RESET_CASES, total);
  const perTarget = Math.ceil((total - resets) / (all.length - 1));
  const cases = all.flatMap((target, i) => casesFor(target, hints, LAST.has(target.operation.operationId) ? resets : perTarget, seed + i));
  const injections = injectionCases(bases, options.injections, seed);

  const violations: string[] = [];
  const statuses: Record<string, number> = {};
  const codes: Record<string, number> = {};
  const byKind = Object.fromEntries(KINDS.map((k) => [k, { sent: 0, rejected_4xx: 0, accepted_2xx: 0 }])) as BadInputFigures['by_kind'];
  const timings: [number, string][] = [];
  const undocumented: Record<string, number> = {};
  const examples: string[] = [];
  let fivexx = 0;
  const violation = (text: string) => {
    if (violations.length < 200) violations.push(text);
  };
  const describe = (c: Case) => `${c.target.operation.operationId} [${c.kind}] ${c.note} — ${c.target.operation.method} ${c.path.slice(0, 160)}`;

  const runCase = async (c: Case) => {
    // The test helpers are the partner's, with its key and secret (signed); the rest of the control API the operator's.
    const asPartner = c.target.api === 'partner' || c.target.operation.operationId.startsWith('testHelper');
    const auth = asPartner ? client.partnerHeaders(partner, c.target.operation.method, c.path, c.body) : { Authorization: `Bearer ${client.adminToken}` };
    let reply;
    const sentAt = performance.now();
    try {
      reply = await send(client.origin, client.agent, { method: c.target.operation.method, path: c.path, headers: { ...c.headers, ...auth }, ...(c.body ? { body: c.body } : {}) });
    } catch (error) {
      violation(`no answer: ${describe(c)}: ${(error as Error).message}`);
      return;
    }
    timings.push([performance.now() - sentAt, describe(c)]);
    const kind = byKind[c.kind as Kind]!;
    kind.sent++;
    statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
    const code = (reply.json as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (reply.status >= 400 && typeof code === 'string') codes[code] = (codes[code] ?? 0) + 1;
    const documented = c.addressesOperation ? c.target.errorCodes : c.target.apiErrorCodes;
    if (reply.status >= 400 && typeof code === 'string' && !documented.includes(code)) {
      const key = `${c.addressesOperation ? c.target.operation.operationId : `${c.target.api} (no operation)`} ${reply.status} ${code}`;
      if (!(key in undocumented)) examples.push(`${key}: ${describe(c)}`);
      undocumented[key] = (undocumented[key] ?? 0) + 1;
    }
    if (reply.status >= 500) {
      fivexx++;
      violation(`${reply.status} ${String(code)}: ${describe(c)}`);
    } else if (reply.status >= 400) {
      kind.rejected_4xx++;
      for (const problem of envelopeProblems(reply)) violation(`${problem}: ${describe(c)}`);
    } else {
      kind.accepted_2xx++;
      if (mustReject(c)) violation(`${reply.status} accepted a request that breaks the contract: ${describe(c)}`);
    }
    if (typeof reply.headers['x-trace-id'] !== 'string') violation(`no X-Trace-ID: ${describe(c)}`);
  };

  let injected = 0;
  const runInjection = async (c: (typeof injections)[number]) => {
    try {
      const { status, raw } = await sendRaw(client.origin, c.head, c.body);
      injected++;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 500) {
        fivexx++;
        violation(`${status} on header injection: ${c.note}`);
      }
      const head = raw.slice(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toLowerCase();
      for (const name of c.forbidden) if (head.includes(`\r\n${name}:`)) violation(`response carries injected ${name}: ${c.note}`);
      if (status >= 400) {
        const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        for (const problem of envelopeProblems({ status, json, text: body })) violation(`${problem}: header injection ${c.note}`);
        const code = (json as { error?: { code?: string } } | undefined)?.error?.code;
        if (code !== undefined && !(starshipErrorCodes as readonly string[]).includes(code)) violation(`header injection answered ${code}, a code the spec does not name: ${c.note}`);
      }
    } catch (error) {
      violation(`header injection ${c.note}: ${(error as Error).message}`);
    }
  };

  const health = healthProbe(client);
  const started = performance.now();
  const phase = (filter: (c: Case) => boolean) => cases.filter(filter);
  await Promise.all([
    pool(phase((c) => !LATER.has(c.target.operation.operationId) && !LAST.has(c.target.operation.operationId)), concurrency, runCase),
    pool(injections, 4, runInjection),
  ]);
  await pool(phase((c) => LATER.has(c.target.operation.operationId)), concurrency, runCase);
  await pool(phase((c) => LAST.has(c.target.operation.operationId)), 2, runCase);
  const duration = performance.now() - started;
  const healthFigures = await health.stop();
  if (healthFigures.failures > 0) violation(`${healthFigures.failures} of ${healthFigures.probes} health probes failed during the run`);

  // After: the control API answers and a new partner (the reset removed the old one) can work.
  const after = await client.createPartner();
  const check = await client.partner(after, 'GET', '/categories');
  if (check.status !== 200) violation(`after the run, GET /categories → ${check.status}`);
  const errors = (options.serverLog?.() ?? '')
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line));
  for (const line of errors.slice(0, 10)) violation(`server logged an error: ${line.slice(0, 300)}`);

  const sent = Object.values(byKind).reduce((sum, k) => sum + k.sent, 0);
  return {
    seed,
    requests: sent + injected,
    generated: sent,
    header_injection: injected,
    operations: new Set(all.map((t: Target) => `${t.api}:${t.operation.operationId}`)).size,
    duration_ms: Math.round(duration),
    requests_per_second: Math.round(((sent + injected) / duration) * 1000),
    status_5xx: fivexx,
    statuses,
    codes,
    by_kind: byKind,
    health: healthFigures,
    slowest: timings
      .sort((a, b) => b[0] - a[0])
      .slice(0, 5)
      .map(([ms, what]) => `${Math.round(ms)} ms ${what.slice(0, 200)}`),
    undocumented_codes: undocumented,
    undocumented_examples: examples,
    violations,
  };
}
