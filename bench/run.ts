/**
 * `npm run bench`: the sandbox side by side with `prism mock` of the same bundled spec, a bare node:http
 * hello world and the framework floor (framework-floor.ts: Express 5 with and without the request
 * validation, answering fixed bodies), in one run, with autocannon at 32 connections, the targets measured in
 * turn over several rounds. Ratios (not absolute numbers, which depend on the machine) are what the targets
 * are stated in; the floor shows how much of a ratio the prescribed framework leaves to the sandbox's own
 * work. Writes bench/results.json.
 */
import autocannon from 'autocannon';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { bundledSpecPath, repoRoot } from '../tools/repo.ts';
import { freePort, startPrism } from '../tools/prism.ts';
import { residentMemoryBytes, startProcess, cliNode, tsxNode, type Target } from './processes.ts';
import {
  ADMIN_TOKEN,
  authHeaders,
  CONNECTIONS,
  DURATION_SECONDS,
  prepareSandbox,
  sandboxAnswers,
  signedOrderRequest,
  WARMUP_SECONDS,
  type Measured,
} from './sandbox-load.ts';

const MEMORY_ORDERS = Number(process.env.BENCH_MEMORY_ORDERS ?? 100_000);
/**
 * Each scenario measures its targets in turn, ROUNDS times over (sandbox, prism, sandbox, prism, …): this
 * machine's speed drifts within minutes, and a ratio taken within one round compares the targets under the
 * same conditions. A target's figures are its median round; a ratio is the median of the per-round ratios.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Run {
  url: string;
  requests: autocannon.Request[];
}

type Rounds = Measured & { rounds_requests_per_second: number[] };

async function measure({ url, requests }: Run): Promise<Measured> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, requests });
  return {
    requests_per_second: Math.round(result.requests.average),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Warms every target up, then measures them in turn, ROUNDS times. */
async function interleaved(runs: Record<string, Run>): Promise<{ byTarget: Record<string, Rounds>; rounds: Record<string, Measured>[] }> {
  if (WARMUP_SECONDS > 0) {
    for (const { url, requests } of Object.values(runs)) await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS, requests });
  }
  const rounds: Record<string, Measured>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const measured: Record<string, Measured> = {};
    for (const [target, run] of Object.entries(runs)) measured[target] = await measure(run);
    rounds.push(measured);
  }
  const byTarget = Object.fromEntries(
    Object.keys(runs).map((target) => {
      const series = rounds.map((round) => round[target]!);
      const typical = [...series].sort((a, b) => a.requests_per_second - b.requests_per_second)[Math.floor(series.length / 2)]!;
      return [target, { ...typical, rounds_requests_per_second: series.map((m) => m.requests_per_second) }];
    }),
  );
  return { byTarget, rounds };
}

/** The median over rounds of `of`'s requests/s over `to`'s, measured in the same round. */
function roundRatio(rounds: readonly Record<string, Measured>[], of: string, to: string): number {
  return Number(median(rounds.map((round) => round[of]!.requests_per_second / round[to]!.requests_per_second)).toFixed(2));
}

async function main() {
  const started = new Date().toISOString();
  const loadBefore = loadavg().map((n) => Number(n.toFixed(2)));
  const dbDir = mkdtempSync(path.join(tmpdir(), 'starship-bench-'));
  const sandboxPort = await freePort();
  const helloPort = await freePort();
  const targets: Target[] = [];
  try {
    const sandbox = await startProcess(
      'sandbox',
      ...cliNode('mock', '--port', String(sandboxPort), '--db', path.join(dbDir, 'bench.db'), '--admin-token', ADMIN_TOKEN),
      /listening|http:\/\/127\.0\.0\.1/i,
      `http://127.0.0.1:${sandboxPort}`,
    );
    targets.push(sandbox);
    const prism = await startPrism(bundledSpecPath('starship'));
    targets.push({ name: 'prism', origin: prism.origin, pid: 0, stop: prism.stop });
    const hello = await startProcess('hello-world', ...tsxNode('bench/hello-world.ts', String(helloPort)), /listening/, `http://127.0.0.1:${helloPort}`);
    targets.push(hello);

    const orderLoadEstimate = MEMORY_ORDERS + 50_000;
    const credentials = await prepareSandbox(sandbox.origin, orderLoadEstimate);
    const answersFile = path.join(dbDir, 'framework-floor-answers.json');
    writeFileSync(answersFile, JSON.stringify(await sandboxAnswers(sandbox.origin, credentials)));
    const floor = async (name: string, validate: boolean) => {
      const port = await freePort();
      const args = tsxNode('bench/framework-floor.ts', String(port), answersFile, '--validate', String(validate));
      const target = await startProcess(name, ...args, /listening/, `http://127.0.0.1:${port}`);
      targets.push(target);
      return target;
    };
    const express = await floor('express', false);
    const validated = await floor('express+validator', true);
    const prismCredentials = { apiKey: 'pk_test_bench', apiSecret: 'sk_test_bench' };
    const scenarios: Record<string, Record<string, Rounds>> = {};
    const ratios: Record<string, number> = {};
    const POST_ORDERS = 'POST /orders (signed, unique keys, cache hits)';

    console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, ${ROUNDS} interleaved rounds`);
    const getProduct = await interleaved({
      sandbox: { url: sandbox.origin, requests: [{ method: 'GET', path: '/api/v1/products/1001', headers: authHeaders(credentials) }] },
      prism: { url: prism.origin, requests: [{ method: 'GET', path: '/products/1001', headers: authHeaders(prismCredentials) }] },
      express: { url: express.origin, requests: [{ method: 'GET', path: '/api/v1/products/1001', headers: authHeaders(credentials) }] },
      'express+validator': { url: validated.origin, requests: [{ method: 'GET', path: '/api/v1/products/1001', headers: authHeaders(credentials) }] },
      'hello-world': { url: hello.origin, requests: [{ method: 'GET', path: '/' }] },
    });
    scenarios['GET /products/{id}'] = getProduct.byTarget;
    ratios.get_product_sandbox_vs_prism = roundRatio(getProduct.rounds, 'sandbox', 'prism');
    ratios.get_product_sandbox_vs_hello_world = roundRatio(getProduct.rounds, 'sandbox', 'hello-world');
    ratios.get_product_express_vs_prism = roundRatio(getProduct.rounds, 'express', 'prism');
    ratios.get_product_express_validator_vs_prism = roundRatio(getProduct.rounds, 'express+validator', 'prism');
    const listProducts = await interleaved({
      sandbox: { url: sandbox.origin, requests: [{ method: 'GET', path: '/api/v1/products?limit=50', headers: authHeaders(credentials) }] },
      prism: { url: prism.origin, requests: [{ method: 'GET', path: '/products?limit=50', headers: authHeaders(prismCredentials) }] },
    });
    scenarios['GET /products?limit=50'] = listProducts.byTarget;
    ratios.list_products_sandbox_vs_prism = roundRatio(listProducts.rounds, 'sandbox', 'prism');
    const postOrders = await interleaved({
      sandbox: { url: sandbox.origin, requests: [signedOrderRequest('/api/v1', credentials)] },
      prism: { url: prism.origin, requests: [signedOrderRequest('', prismCredentials)] },
      express: { url: express.origin, requests: [signedOrderRequest('/api/v1', credentials)] },
      'express+validator': { url: validated.origin, requests: [signedOrderRequest('/api/v1', credentials)] },
    });
    scenarios[POST_ORDERS] = postOrders.byTarget;
    ratios.post_orders_sandbox_vs_prism = roundRatio(postOrders.rounds, 'sandbox', 'prism');
    ratios.post_orders_express_vs_prism = roundRatio(postOrders.rounds, 'express', 'prism');
    ratios.post_orders_express_validator_vs_prism = roundRatio(postOrders.rounds, 'express+validator', 'prism');

    const placedSoFar = postOrders.rounds.reduce((sum, round) => sum + round.sandbox!.total, 0);
    const remaining = Math.max(0, MEMORY_ORDERS - placedSoFar);
    if (remaining > 0) await autocannon({ url: sandbox.origin, connections: CONNECTIONS, amount: remaining, requests: [signedOrderRequest('/api/v1', credentials)] });
    const rssMiB = residentMemoryBytes(sandbox.pid) / 2 ** 20;

    const getRatio = ratios.get_product_sandbox_vs_prism;
    const postRatio = ratios.post_orders_sandbox_vs_prism;
    const sandboxP99 = Math.max(...Object.values(scenarios).map((s) => s.sandbox?.latency_p99_ms ?? 0));
    const results = {
      started,
      machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: { connections: CONNECTIONS, duration_seconds: DURATION_SECONDS, warmup_seconds: WARMUP_SECONDS, rounds: ROUNDS, memory_orders: MEMORY_ORDERS },
      conditions: {
        sandbox: 'starship mock as npm start runs it: a SQLite file in a temp dir (WAL, synchronous=NORMAL, group commit), every response validated against the spec (the default)',
        prism: 'prism mock of the same bundled spec (static examples)',
        express: 'framework floor: Express 5 answering the sandbox\'s own product and order bodies, nothing else',
        'express+validator': 'framework floor: the same, after the contract validator\'s request pass set up as the sandbox sets it up',
        requests: 'the same request shapes for both: auth headers; POST /orders signed with a unique Idempotency-Key each',
        load_average_before: loadBefore,
        load_average_after: loadavg().map((n) => Number(n.toFixed(2))),
        note: 'the targets run side by side on one machine with autocannon and anything else running there; each scenario measures its targets in turn, round after round, and a ratio is the median of the ratios within a round',
      },
      scenarios,
      ratios,
      memory: { orders_placed: placedSoFar + remaining, sandbox_rss_mib: Math.round(rssMiB), sandbox_rss_mb: Math.round(rssMiB * 1.048576) },
      targets: {
        get_product_at_least_4x_prism: getRatio >= 4,
        post_orders_at_least_2x_prism: postRatio >= 2,
        sandbox_p99_under_25ms: sandboxP99 < 25,
        rss_after_100k_orders_under_300mb: rssMiB * 2 ** 20 < 300e6,
      },
    };
    writeFileSync(path.join(repoRoot, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
    console.table(
      Object.fromEntries(
        Object.entries(scenarios).flatMap(([scenario, byTarget]) =>
          Object.entries(byTarget).map(([target, m]) => [`${scenario} · ${target}`, { 'req/s': m.requests_per_second, 'rounds req/s': m.rounds_requests_per_second.join(' / '), 'p50 ms': m.latency_p50_ms, 'p99 ms': m.latency_p99_ms, non2xx: m.non_2xx }]),
        ),
      ),
    );
    console.log(JSON.stringify({ ratios: results.ratios, memory: results.memory, targets: results.targets }, null, 2));
  } finally {
    for (const target of targets.reverse()) await target.stop().catch(() => {});
  }
}

await main();
