/**
 * `npm run bench:profile`: the sandbox's own cost per request as a stable number — machine instructions,
 * counted by valgrind's callgrind in the sandbox process — where wall-clock rates on a shared 2-vCPU machine
 * swing 2×. The built `starship mock` (a temp SQLite file, responses validated: as `npm start` runs it) runs
 * under callgrind; each scenario is sent WARMUP requests (JIT, caches, prepared statements), then the counters
 * are zeroed (`callgrind_control -z`), MEASURED requests are sent over 4 loopback connections, and the counters
 * are dumped: instructions ÷ MEASURED is the scenario's cost per request, background timers included.
 *
 * Results are kept per label (PROFILE_LABEL, default "current") in bench/profile-results.json, so a change is
 * quoted before and after. Needs valgrind (apt-get install valgrind); runs ~20 minutes. PROFILE_FLOOR=1 also
 * counts the framework floor (framework-floor.ts: Express 5 and the contract validator's request pass
 * answering the sandbox's own bytes) on the scenarios it serves, as the label "floor".
 *
 * `PROFILE_TOOL=cpu-prof` says where the instructions go instead: the sandbox runs under `node --cpu-prof`
 * (no valgrind, results file untouched), every scenario is sent WARMUP + MEASURED requests, and the functions
 * with the most self time over the whole run are printed (PROFILE_SCENARIOS=comma,separated,names narrows
 * the scenarios, in either mode).
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../tools/prism.ts';
import { cliBin, repoRoot } from '../tools/repo.ts';
import { startProcess } from './processes.ts';
import { ADMIN_TOKEN, authHeaders, prepareSandbox, sandboxAnswers, signedOrderRequest, type Credentials } from './sandbox-load.ts';

const WARMUP = Number(process.env.PROFILE_WARMUP ?? 1_500);
const MEASURED = Number(process.env.PROFILE_REQUESTS ?? 1_000);
const LABEL = process.env.PROFILE_LABEL ?? 'current';
const CONNECTIONS = 4;
const RESULTS = path.join(repoRoot, 'bench/profile-results.json');

type Scenario = (credentials: Credentials) => autocannon.Request[];

const get = (route: string): Scenario => (credentials) => [{ method: 'GET', path: `/api/v1${route}`, headers: authHeaders(credentials) }];

const SCENARIOS: Record<string, Scenario> = {
  'GET /products/{id}': get('/products/1001'),
  'GET /products?limit=50': get('/products?limit=50'),
  'GET /categories': get('/categories'),
  'POST /orders (signed, SQLite)': (credentials) => [signedOrderRequest('/api/v1', credentials)],
  'GET /orders?status=DELIVERED&limit=50': get('/orders?status=DELIVERED&limit=50'),
};

/** The `totals:` (or `summary:`) line of a callgrind dump: instructions executed. */
function instructionsIn(file: string): number {
  const match = /^(?:totals|summary):\s+(\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`no totals in ${file}`);
  return Number(match[1]);
}

async function send(origin: string, requests: autocannon.Request[], amount: number): Promise<void> {
  const result = await autocannon({ url: origin, connections: CONNECTIONS, amount, requests, timeout: 120 });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The functions with the most self time in a .cpuprofile, as "share  name  file:line". */
function topSelfTime(file: string, count = 45): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = `${functionName || '(anonymous)'}  ${url.replace(/^.*node_modules\//, '').replace(repoRoot, '')}:${lineNumber + 1}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + hits);
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)} %  ${where}`);
}

type Counts = Record<string, { requests: number; instructions: number; instructions_per_request: number }>;

/** Starts `args` under callgrind (or node --cpu-prof) and resolves once it listens. */
function underTool(cpuProfile: boolean, dir: string, name: string, args: string[], origin: string) {
  return cpuProfile
    ? startProcess(`${name} under --cpu-prof`, process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...args], /listening/i, origin)
    : startProcess(
        `${name} under callgrind`,
        'valgrind',
        // V8 writes and patches machine code at run time.
        // One output name per process: callgrind numbers each process's dumps from 1.
        ['--tool=callgrind', '--smc-check=all-non-file', `--callgrind-out-file=${path.join(dir, `callgrind-${name.replace(/\W+/g, '-')}.out`)}`, process.execPath, ...args],
        /listening/i,
        origin,
        // Start-up (module loading, the spec's validators) runs ~50× slower under valgrind.
        600_000,
      );
}

/** Sends each scenario WARMUP then MEASURED requests, counting the instructions of the MEASURED ones. */
async function count(pid: number, dir: string, origin: string, credentials: Credentials, scenarios: [string, Scenario][], cpuProfile: boolean): Promise<Counts> {
  const measured: Counts = {};
  for (const [name, scenario] of scenarios) {
    await send(origin, scenario(credentials), WARMUP);
    if (cpuProfile) {
      await send(origin, scenario(credentials), MEASURED);
      continue;
    }
    execFileSync('callgrind_control', ['-z', String(pid)], { stdio: 'ignore' });
    await send(origin, scenario(credentials), MEASURED);
    const before = new Set(readdirSync(dir));
    execFileSync('callgrind_control', ['-d', String(pid)], { stdio: 'ignore' });
    const dump = readdirSync(dir).find((f) => f.startsWith('callgrind-') && !before.has(f));
    if (!dump) throw new Error('callgrind wrote no dump');
    const instructions = instructionsIn(path.join(dir, dump));
    measured[name] = { requests: MEASURED, instructions, instructions_per_request: Math.round(instructions / MEASURED) };
    console.log(`${name}: ${(instructions / MEASURED / 1e6).toFixed(3)} M instructions per request`);
  }
  return measured;
}

async function main() {
  const cpuProfile = process.env.PROFILE_TOOL === 'cpu-prof';
  const only = process.env.PROFILE_SCENARIOS?.split(',');
  const scenarios = Object.entries(SCENARIOS).filter(([name]) => !only || only.some((o) => name.includes(o)));
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-profile-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const sandbox = await underTool(cpuProfile, dir, 'sandbox', [cliBin, 'mock', '--port', String(port), '--db', path.join(dir, 'profile.db'), '--admin-token', ADMIN_TOKEN], origin);
  const runs: Record<string, Counts> = {};
  let credentials: Credentials;
  let answers: Record<string, string> | undefined;
  try {
    credentials = await prepareSandbox(origin, scenarios.length * (WARMUP + MEASURED) + 100);
    runs[LABEL] = await count(sandbox.pid, dir, origin, credentials, scenarios, cpuProfile);
    if (process.env.PROFILE_FLOOR === '1') answers = await sandboxAnswers(origin, credentials);
  } finally {
    await sandbox.stop().catch(() => {});
  }
  try {
    if (cpuProfile) {
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error('node wrote no .cpuprofile');
      console.log(topSelfTime(path.join(dir, file)).join('\n'));
      return;
    }
    if (answers) {
      const answersFile = path.join(dir, 'answers.json');
      writeFileSync(answersFile, JSON.stringify(answers));
      const floorPort = await freePort();
      const floorOrigin = `http://127.0.0.1:${floorPort}`;
      const floorArgs = ['--conditions=starship-source', '--import', 'tsx', path.join(repoRoot, 'bench/framework-floor.ts'), String(floorPort), answersFile];
      const floor = await underTool(false, dir, 'framework floor', floorArgs, floorOrigin);
      try {
        const served = scenarios.filter(([name]) => name.startsWith('GET /products/') || name.startsWith('POST /orders'));
        runs.floor = await count(floor.pid, dir, floorOrigin, credentials, served, false);
      } finally {
        await floor.stop().catch(() => {});
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const previous = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { runs?: Record<string, unknown> }) : {};
  const stamp = { at: new Date().toISOString(), node: process.version, cpu_model: cpus()[0]?.model };
  const results = {
    method:
      `callgrind (valgrind --tool=callgrind --smc-check=all-non-file) on the built starship mock, SQLite temp file, responses validated; ` +
      `per scenario ${WARMUP} warm-up requests, counters zeroed, ${MEASURED} requests over ${CONNECTIONS} loopback connections (autocannon), counters dumped; ` +
      `instructions of the sandbox process ÷ requests, background timers included. "floor": bench/framework-floor.ts (Express 5 + the contract validator's request pass, fixed answers) counted the same way`,
    runs: { ...previous.runs, ...Object.fromEntries(Object.entries(runs).map(([label, scenarios]) => [label, { ...stamp, scenarios }])) },
  };
  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
}

await main();
