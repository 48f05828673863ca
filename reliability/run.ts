/**
 * `npm run reliability`: runs the scenarios the tests run (same sizes, settings.ts) and writes their figures
 * to reliability/results.json. Exits 1 when any scenario has a violation, after writing the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runBadInput } from './bad-input.ts';
import { runIdempotencyRace, runVoucherPool } from './concurrency.ts';
import { runCrash } from './crash.ts';
import { SandboxClient } from './http.ts';
import { spawnSandbox } from './sandbox-process.ts';
import { runBadAmounts, runFairness, runForbiddenUrls, runReplays } from './hosting.ts';
import { runSecurity } from './security.ts';
import { BAD_INPUT, CONCURRENCY, CRASH, HOSTING } from './settings.ts';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');

async function withChild<T>(run: (origin: string, adminToken: string, stderr: () => string) => Promise<T>, args: string[] = []): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-reliability-'));
  const sandbox = await spawnSandbox({ db: path.join(dir, 'sandbox.db'), args });
  try {
    return await run(sandbox.origin, sandbox.adminToken, () => sandbox.output().stderr);
  } finally {
    await sandbox.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed<T>(name: string, run: () => Promise<T>): Promise<T & { wall_ms: number }> {
  const started = performance.now();
  console.error(`reliability: ${name}…`);
  const figures = await run();
  const wall = Math.round(performance.now() - started);
  console.error(`reliability: ${name} done in ${(wall / 1000).toFixed(1)} s`);
  return { ...figures, wall_ms: wall };
}

const started = new Date();
// Other jobs on the machine slow every figure in ms down; the load when the run began says how much.
const loadAtStart = loadavg()[0]!;
const badInput = await timed('bad input', () =>
  withChild(async (origin, adminToken, stderr) => {
    const client = new SandboxClient(origin, adminToken);
    try {
      return await runBadInput({ client, ...BAD_INPUT, serverLog: stderr });
    } finally {
      client.agent.destroy();
    }
  }),
);
const concurrency = await timed('concurrency', () =>
  withChild(async (origin, adminToken) => ({
    idempotency_key_race: await runIdempotencyRace(origin, adminToken, CONCURRENCY.idempotencyRequests),
    voucher_pool: await runVoucherPool(origin, adminToken, { orders: CONCURRENCY.poolOrders, pool: CONCURRENCY.pool, partners: CONCURRENCY.partners }),
  })),
);
const crash = await timed('crash', () => runCrash(CRASH));
const security = await timed('security', () => runSecurity());
// Hosted, with loopback receivers allowed by name only (every other spelling of loopback stays forbidden).
const hosting = await timed('hosting', () =>
  withChild(
    async (origin, adminToken) => {
      const forbidden_urls = await runForbiddenUrls(origin, adminToken);
      const bad_amounts = await runBadAmounts(origin, adminToken);
      const replays = await runReplays(origin, adminToken);
      const fairness = await runFairness(origin, adminToken, HOSTING);
      return {
        forbidden_urls,
        bad_amounts,
        replays,
        fairness,
        violations: [...forbidden_urls.violations, ...bad_amounts.violations, ...replays.violations, ...fairness.violations],
      };
    },
    ['--hosted', '--allow-webhook-host', 'localhost'],
  ),
);

const violations = [
  ...badInput.violations,
  ...concurrency.idempotency_key_race.violations,
  ...concurrency.voucher_pool.violations,
  ...crash.violations,
  ...security.violations,
  ...hosting.violations,
];
const results = {
  generated_by: 'npm run reliability (reliability/run.ts)',
  started: started.toISOString(),
  machine: {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    load_average_at_start: Math.round(loadAtStart * 10) / 10,
  },
  summary: {
    requests_total:
      badInput.requests +
      concurrency.idempotency_key_race.requests +
      concurrency.voucher_pool.requests +
      crash.orders_sent +
      crash.retried_after_restart,
    status_5xx: badInput.status_5xx,
    violations: violations.length,
  },
  bad_input: badInput,
  concurrency,
  crash,
  security,
  hosting,
};
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.error(`reliability: wrote ${path.relative(process.cwd(), out)}; ${violations.length} violations`);
for (const v of violations.slice(0, 20)) console.error(`  ${v}`);
process.exit(violations.length ? 1 : 0);
