/**
 * `npm run bench`: the sandbox side by side with `prism mock` of the same bundled spec and a bare node:http
 * hello world, in one run, with autocannon at 32 connections. Ratios (not absolute numbers, which depend on
 * the machine) are what the targets are stated in. Writes bench/results.json.
 */
import autocannon from 'autocannon';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { bundledSpecPath, repoRoot } from '../scripts/spec-documents.ts';
import { freePort, startPrism } from '../scripts/prism.ts';
import { residentMemoryBytes, startProcess, tsxNode, type Target } from './processes.ts';
import {
  ADMIN_TOKEN,
  authHeaders,
  CONNECTIONS,
  DURATION_SECONDS,
  prepareSandbox,
  signedOrderRequest,
  WARMUP_SECONDS,
  type Measured,
} from './sandbox-load.ts';

const MEMORY_ORDERS = Number(process.env.BENCH_MEMORY_ORDERS ?? 100_000);

async function load(url: string, requests: autocannon.Request[], extra: Partial<autocannon.Options> = {}): Promise<Measured> {
  if (WARMUP_SECONDS > 0) await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS, requests, ...extra });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, requests, ...extra });
  return {
    requests_per_second: Math.round(result.requests.average),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
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
      ...tsxNode('bin/starship.js', 'mock', '--port', String(sandboxPort), '--db', path.join(dbDir, 'bench.db'), '--admin-token', ADMIN_TOKEN),
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
    const prismCredentials = { apiKey: 'pk_test_bench', apiSecret: 'sk_test_bench' };
    const scenarios: Record<string, Record<string, Measured>> = {};

    console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run`);
    scenarios['GET /products/{id}'] = {
      sandbox: await load(sandbox.origin, [{ method: 'GET', path: '/api/v1/products/1001', headers: authHeaders(credentials) }]),
      prism: await load(prism.origin, [{ method: 'GET', path: '/products/1001', headers: authHeaders(prismCredentials) }]),
      'hello-world': await load(hello.origin, [{ method: 'GET', path: '/' }]),
    };
    scenarios['GET /products?limit=50'] = {
      sandbox: await load(sandbox.origin, [{ method: 'GET', path: '/api/v1/products?limit=50', headers: authHeaders(credentials) }]),
      prism: await load(prism.origin, [{ method: 'GET', path: '/products?limit=50', headers: authHeaders(prismCredentials) }]),
    };
    scenarios['POST /orders (signed, unique keys, cache hits)'] = {
      sandbox: await load(sandbox.origin, [signedOrderRequest('/api/v1', credentials)]),
      prism: await load(prism.origin, [signedOrderRequest('', prismCredentials)]),
    };

    const placedSoFar = scenarios['POST /orders (signed, unique keys, cache hits)']!.sandbox!.total;
    const remaining = Math.max(0, MEMORY_ORDERS - placedSoFar);
    if (remaining > 0) await autocannon({ url: sandbox.origin, connections: CONNECTIONS, amount: remaining, requests: [signedOrderRequest('/api/v1', credentials)] });
    const rssMiB = residentMemoryBytes(sandbox.pid) / 2 ** 20;

    const ratio = (scenario: string, of: string, to: string) =>
      Number((scenarios[scenario]![of]!.requests_per_second / scenarios[scenario]![to]!.requests_per_second).toFixed(2));
    const getRatio = ratio('GET /products/{id}', 'sandbox', 'prism');
    const postRatio = ratio('POST /orders (signed, unique keys, cache hits)', 'sandbox', 'prism');
    const sandboxP99 = Math.max(...Object.values(scenarios).map((s) => s.sandbox?.latency_p99_ms ?? 0));
    const results = {
      started,
      machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: { connections: CONNECTIONS, duration_seconds: DURATION_SECONDS, warmup_seconds: WARMUP_SECONDS, memory_orders: MEMORY_ORDERS },
      conditions: {
        sandbox: 'starship mock as npm start runs it: a SQLite file in a temp dir (WAL, synchronous=NORMAL, group commit), every response validated against the spec (the default)',
        prism: 'prism mock of the same bundled spec (static examples)',
        requests: 'the same request shapes for both: auth headers; POST /orders signed with a unique Idempotency-Key each',
        load_average_before: loadBefore,
        load_average_after: loadavg().map((n) => Number(n.toFixed(2))),
        note: 'the targets run side by side on one machine with autocannon and anything else running there; compare ratios within one run',
      },
      scenarios,
      ratios: {
        get_product_sandbox_vs_prism: getRatio,
        post_orders_sandbox_vs_prism: postRatio,
        get_product_sandbox_vs_hello_world: ratio('GET /products/{id}', 'sandbox', 'hello-world'),
      },
      memory: { orders_placed: placedSoFar + remaining, sandbox_rss_mib: Math.round(rssMiB) },
      targets: {
        get_product_at_least_4x_prism: getRatio >= 4,
        post_orders_at_least_2x_prism: postRatio >= 2,
        sandbox_p99_under_25ms: sandboxP99 < 25,
        rss_after_100k_orders_under_300mib: rssMiB < 300,
      },
    };
    writeFileSync(path.join(repoRoot, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
    console.table(
      Object.fromEntries(
        Object.entries(scenarios).flatMap(([scenario, byTarget]) =>
          Object.entries(byTarget).map(([target, m]) => [`${scenario} · ${target}`, { 'req/s': m.requests_per_second, 'p50 ms': m.latency_p50_ms, 'p99 ms': m.latency_p99_ms, non2xx: m.non_2xx }]),
        ),
      ),
    );
    console.log(JSON.stringify({ ratios: results.ratios, memory: results.memory, targets: results.targets }, null, 2));
  } finally {
    for (const target of targets.reverse()) await target.stop().catch(() => {});
  }
}

await main();
