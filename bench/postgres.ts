/**
 * `npm run bench` (last step): POST /orders throughput of the sandbox on PostgreSQL with one and with two
 * instances sharing the database (`starship mock --database-url`), next to the embedded SQLite default, at
 * the same 32 connections (split evenly between two instances). Starts its own throwaway cluster with
 * tools/postgres-cluster.sh (skipped, with a message, when PostgreSQL is not installed) and a fresh
 * database per scenario. Writes bench/postgres-results.json.
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ENCRYPTION_KEY_ENV } from '@starship/sandbox/db/encryption-key';
import { createTestDatabase } from '@starship/sandbox/test-support/postgres-database';
import { generateKey } from '@starship/sandbox/domain/voucher-crypto';
import { freePort } from '../tools/prism.ts';
import { repoRoot } from '../tools/repo.ts';
import { startProcess, cliNode, type Target } from './processes.ts';
import { ADMIN_TOKEN, CONNECTIONS, DURATION_SECONDS, prepareSandbox, signedOrderRequest, WARMUP_SECONDS, type Credentials, type Measured } from './sandbox-load.ts';

/** Vouchers pumped per scenario: enough that every measured order is a cache hit (DELIVERED). */
const VOUCHERS = Number(process.env.BENCH_PG_VOUCHERS ?? 30_000);
const CLUSTER_SCRIPT = path.join(repoRoot, 'tools/postgres-cluster.sh');

/** Orders against every origin at once, the connections split between them; throughput summed. */
async function loadOrders(origins: readonly string[], credentials: Credentials): Promise<Measured> {
  const connections = CONNECTIONS / origins.length;
  const run = (duration: number) =>
    Promise.all(origins.map((url) => autocannon({ url, connections, duration, requests: [signedOrderRequest('/api/v1', credentials)] })));
  if (WARMUP_SECONDS > 0) await run(WARMUP_SECONDS);
  const results = await run(DURATION_SECONDS);
  return {
    requests_per_second: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    latency_p50_ms: Math.max(...results.map((r) => r.latency.p50)),
    latency_p99_ms: Math.max(...results.map((r) => r.latency.p99)),
    non_2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    total: results.reduce((sum, r) => sum + r.requests.total, 0),
  };
}

async function startSandbox(name: string, storage: string[]): Promise<Target> {
  const port = await freePort();
  const [command, args] = cliNode('mock', '--port', String(port), ...storage, '--admin-token', ADMIN_TOKEN);
  return startProcess(name, command, args, /listening/i, `http://127.0.0.1:${port}`);
}

async function scenario(targets: Target[], started: Promise<Target>[]): Promise<Measured> {
  const running = await Promise.all(started);
  targets.push(...running);
  try {
    const credentials = await prepareSandbox(running[0]!.origin, VOUCHERS);
    return await loadOrders(
      running.map((t) => t.origin),
      credentials,
    );
  } finally {
    for (const target of running) await target.stop().catch(() => {});
  }
}

function startCluster(dir: string): string | undefined {
  try {
    return execFileSync(CLUSTER_SCRIPT, ['start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    console.log(`bench/postgres: skipped, no PostgreSQL cluster could be started (${stderr.trim().split('\n').at(-1)})`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const clusterDir = mkdtempSync(path.join(tmpdir(), 'starship-bench-pg-'));
  const serverUrl = startCluster(clusterDir);
  if (!serverUrl) {
    rmSync(clusterDir, { recursive: true, force: true });
    return;
  }
  // Instances on one database must share the key; the children inherit it (startProcess passes process.env).
  process.env[ENCRYPTION_KEY_ENV] = generateKey().toString('hex');
  const sqliteDir = mkdtempSync(path.join(tmpdir(), 'starship-bench-sqlite-'));
  const targets: Target[] = [];
  const loadBefore = loadavg().map((n) => Number(n.toFixed(2)));
  try {
    const scenarios: Record<string, Measured> = {};
    console.log(`POST /orders, autocannon: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run`);
    scenarios.sqlite = await scenario(targets, [startSandbox('sqlite', ['--db', path.join(sqliteDir, 'bench.db')])]);
    for (const instances of [1, 2]) {
      const database = await createTestDatabase(serverUrl);
      try {
        scenarios[`postgres, ${instances} instance${instances > 1 ? 's' : ''}`] = await scenario(
          targets,
          Array.from({ length: instances }, (_, i) => startSandbox(`postgres-${i + 1}`, ['--database-url', database.url])),
        );
      } finally {
        await database.drop();
      }
    }
    const rps = (name: string) => scenarios[name]!.requests_per_second;
    const results = {
      started: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, node: process.version },
      settings: { connections: CONNECTIONS, duration_seconds: DURATION_SECONDS, warmup_seconds: WARMUP_SECONDS, vouchers_per_scenario: VOUCHERS },
      conditions: {
        sqlite: 'starship mock on a SQLite file (the default), every response validated against the spec',
        postgres: 'starship mock --database-url on a throwaway local cluster (tools/postgres-cluster.sh: fsync off), pool of 10 per instance, responses validated; two instances split the 32 connections',
        requests: 'POST /orders signed, a unique Idempotency-Key each, one partner, every order a cache hit',
        load_average_before: loadBefore,
        load_average_after: loadavg().map((n) => Number(n.toFixed(2))),
        note: 'instances, PostgreSQL and autocannon share one machine; compare within one run',
      },
      scenarios,
      ratios: {
        postgres_1_vs_sqlite: Number((rps('postgres, 1 instance') / rps('sqlite')).toFixed(2)),
        postgres_2_vs_postgres_1: Number((rps('postgres, 2 instances') / rps('postgres, 1 instance')).toFixed(2)),
      },
    };
    writeFileSync(path.join(repoRoot, 'bench/postgres-results.json'), JSON.stringify(results, null, 2) + '\n');
    console.table(
      Object.fromEntries(Object.entries(scenarios).map(([name, m]) => [name, { 'req/s': m.requests_per_second, 'p50 ms': m.latency_p50_ms, 'p99 ms': m.latency_p99_ms, non2xx: m.non_2xx, errors: m.errors }])),
    );
    console.log(JSON.stringify({ ratios: results.ratios }, null, 2));
  } finally {
    for (const target of targets) await target.stop().catch(() => {});
    try {
      execFileSync(CLUSTER_SCRIPT, ['stop', clusterDir], { stdio: 'ignore' });
    } finally {
      rmSync(clusterDir, { recursive: true, force: true });
      rmSync(sqliteDir, { recursive: true, force: true });
    }
  }
}

await main();
