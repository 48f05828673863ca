/**
 * `npm run bench:install` (also the last step of `npm run bench`): what a partner and a CI job download, and how fast the installed sandbox starts,
 * written to bench/install-results.json. The packages are packed and installed as the install tests do
 * (tools/install-test/install.ts): the SDK alone, as a partner installs it, and the CLI, as CI installs it; then
 * `starship mock` from that install is started RUNS times on SQLite in memory, on a new file (migrations and
 * seed) and on a file it already set up (a restart), in turns, each timed from spawn to its banner, which it
 * prints once listening.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { directoryBytes, installedPackages, installProject, offerLocalPrebuilds, packWorkspaces, startInstalledSandbox, type InstalledPackage } from '../tools/install-test/install.ts';
import { repoRoot } from '../tools/repo.ts';

const RUNS = 7;
const RESULTS = path.join(repoRoot, 'bench/install-results.json');

const mb = (bytes: number) => Math.round((bytes / 1e6) * 100) / 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function summary(samples: number[]) {
  const ms = samples.map((value) => Math.round(value));
  return { medianMs: Math.round(median(samples)), minMs: Math.min(...ms), maxMs: Math.max(...ms), runsMs: ms };
}

/** A package's own files (its nested node_modules counted as packages of their own). */
function ownBytes(projectDir: string, pkg: InstalledPackage): number {
  const dir = path.join(projectDir, pkg.location);
  const nested = path.join(dir, 'node_modules');
  return directoryBytes(dir) - (existsSync(nested) ? directoryBytes(nested) : 0);
}

function footprint(projectDir: string) {
  const packages = installedPackages(projectDir);
  const largest = packages
    .map((pkg) => ({ name: pkg.name, version: pkg.version, mb: mb(ownBytes(projectDir, pkg)) }))
    .sort((a, b) => b.mb - a.mb)
    .slice(0, 12);
  // Type packages installed for run time, and which packages ask for them (never ours: the install test checks).
  const typePackages = packages
    .filter((pkg) => pkg.name.startsWith('@types/'))
    .map((pkg) => ({ name: pkg.name, requiredBy: [...new Set(packages.filter((other) => other.dependsOn.includes(pkg.name)).map((other) => other.name))].sort() }));
  return {
    packages: packages.length,
    megabytes: mb(directoryBytes(path.join(projectDir, 'node_modules'))),
    largest,
    typePackages,
    names: packages.map((p) => `${p.name}@${p.version}`).sort(),
  };
}

async function timeStart(projectDir: string, db: string): Promise<number> {
  const sandbox = await startInstalledSandbox(projectDir, ['--port', '0', '--db', db]);
  await sandbox.stop();
  return sandbox.startMs;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'starship-measure-install-'));
try {
  const loadBefore = os.loadavg()[0]!;
  const { tarballs, packed } = await packWorkspaces(path.join(work, 'tarballs'));
  const sdkDir = path.join(work, 'sdk');
  const cliDir = path.join(work, 'cli');
  mkdirSync(cliDir, { recursive: true });
  const prebuild = await offerLocalPrebuilds(cliDir, path.join(work, 'prebuilds'));
  let started = performance.now();
  await installProject(sdkDir, { '@starship/sdk': tarballs['@starship/sdk']!, '@starship/spec': tarballs['@starship/spec']! });
  const sdkInstallMs = performance.now() - started;
  started = performance.now();
  await installProject(cliDir, tarballs);
  const cliInstallMs = performance.now() - started;

  const dbDir = path.join(work, 'db');
  mkdirSync(dbDir);
  const existing = path.join(dbDir, 'existing.db');
  await timeStart(cliDir, existing);
  // In turns, so that the machine's drifting load weighs on the three alike.
  const memory: number[] = [];
  const freshFile: number[] = [];
  const existingFile: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    memory.push(await timeStart(cliDir, ':memory:'));
    freshFile.push(await timeStart(cliDir, path.join(dbDir, `fresh-${run}.db`)));
    existingFile.push(await timeStart(cliDir, existing));
  }

  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverage: { before: loadBefore, after: os.loadavg()[0] } },
    method:
      'npm pack of every workspace; npm install --omit=dev of the tarballs into fresh projects under the system temp directory (third-party packages from the registry through the npm cache); megabytes are the apparent size of node_modules; start-up is spawn of node_modules/.bin/starship mock --port 0 to its printed banner (printed once it listens)',
    tarballs: Object.fromEntries(packed.map((p) => [p.name, { packedKb: Math.round(p.size / 1000), unpackedKb: Math.round(p.unpackedSize / 1000), files: p.entryCount }])),
    sdk: { target: '< 5 MB and ≤ 5 packages', installSeconds: Math.round(sdkInstallMs / 100) / 10, ...footprint(sdkDir) },
    cli: { installSeconds: Math.round(cliInstallMs / 100) / 10, betterSqlite3: prebuild, ...footprint(cliDir) },
    startup: { runs: RUNS, sqliteMemory: summary(memory), sqliteNewFile: summary(freshFile), sqliteExistingFile: summary(existingFile) },
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`SDK alone: ${results.sdk.packages} packages, ${results.sdk.megabytes} MB; CLI: ${results.cli.packages} packages, ${results.cli.megabytes} MB`);
  console.log(`start-up (median of ${RUNS}): :memory: ${results.startup.sqliteMemory.medianMs} ms, new file ${results.startup.sqliteNewFile.medianMs} ms, existing file ${results.startup.sqliteExistingFile.medianMs} ms`);
  console.log(`written to ${path.relative(process.cwd(), RESULTS)}; machine load ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
