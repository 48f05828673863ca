/**
 * The packages as a user gets them: `npm pack` of every workspace, then fresh projects under the system's
 * temporary directory that `npm install --omit=dev` those tarballs (third-party packages from the registry,
 * through the user's npm cache), where nothing resolves into this repository's node_modules. Used by the
 * install tests and by the install measurement (tools/measure-install.ts).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../repo.ts';

const run = promisify(execFile);

/** Package name → absolute path of its tarball. */
export type Tarballs = Record<string, string>;

export interface PackedFile {
  name: string;
  filename: string;
  /** Bytes of the .tgz and of its contents. */
  size: number;
  unpackedSize: number;
  entryCount: number;
}

/**
 * The environment for npm and for the installed programs: this process's, minus what `npm run` adds
 * (`npm_*`: a workspace, a prefix, the repository's config) and what would let Node resolve or load modules
 * from elsewhere (NODE_PATH, NODE_OPTIONS such as `--import tsx`).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE_PATH' && key !== 'NODE_OPTIONS' && key !== 'INIT_CWD'),
  );
  return { ...env, NO_UPDATE_NOTIFIER: '1', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', REDOCLY_TELEMETRY: 'off', ...extra };
}

/** `npm pack` of every workspace package (built beforehand by `npm run build`) into `dir`. */
export async function packWorkspaces(dir: string): Promise<{ tarballs: Tarballs; packed: PackedFile[] }> {
  mkdirSync(dir, { recursive: true });
  const { stdout } = await run('npm', ['pack', '--workspaces', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: repoRoot,
    env: userEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  const packed = JSON.parse(stdout) as PackedFile[];
  const tarballs = Object.fromEntries(packed.map((p) => [p.name, path.join(dir, p.filename)]));
  return { tarballs, packed };
}

/** A directory with no node_modules in it or above it: what Node resolves there is what was installed there. */
export function assertIsolated(dir: string): void {
  for (let current = path.dirname(path.resolve(dir)); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'node_modules'))) throw new Error(`${current}/node_modules would be visible from ${dir}`);
    if (path.dirname(current) === current) return;
  }
}

/**
 * better-sqlite3 fetches a prebuilt binary from GitHub at install time, and compiles SQLite from source (minutes
 * on two cores) when it cannot. When this repository's own install holds the binary of the same version for
 * this Node, it is offered to the package's installer (prebuild-install) as a local prebuild, the way that
 * installer documents for offline machines: better-sqlite3 still comes from the registry and runs its own
 * install script; only the download is replaced. Without a matching binary the install compiles, as a
 * user's would. Returns the note for the test's output.
 */
export async function offerLocalPrebuilds(projectDir: string, prebuildsDir: string): Promise<string> {
  const installed = path.join(repoRoot, 'node_modules/better-sqlite3');
  const binary = path.join(installed, 'build/Release/better_sqlite3.node');
  if (!existsSync(binary)) return 'better-sqlite3: no local binary, compiled from source';
  const { version } = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const stage = path.join(prebuildsDir, 'stage');
  mkdirSync(path.join(stage, 'build/Release'), { recursive: true });
  writeFileSync(path.join(stage, 'build/Release/better_sqlite3.node'), readFileSync(binary));
  await run('tar', ['-czf', path.join(prebuildsDir, name), '-C', stage, 'build']);
  // prebuild-install reads `.prebuild-installrc` from the installing package's directory upwards.
  writeFileSync(path.join(projectDir, '.prebuild-installrc'), `${JSON.stringify({ 'local-prebuilds': prebuildsDir })}\n`);
  return `better-sqlite3 ${version}: local prebuild ${name}`;
}

/** Writes a project with these dependencies (name → tarball path or version) and installs it without dev dependencies. */
export async function installProject(dir: string, dependencies: Record<string, string>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const deps = Object.fromEntries(Object.entries(dependencies).map(([name, spec]) => [name, spec.endsWith('.tgz') ? `file:${spec}` : spec]));
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: path.basename(dir), private: true, type: 'module', dependencies: deps }, null, 2)}\n`);
  await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: userEnv(), maxBuffer: 64 * 1024 * 1024 });
}

export interface InstalledPackage {
  name: string;
  version: string;
  /** Relative to the project, e.g. `node_modules/@starship/sdk`. */
  location: string;
  /** Names this package depends on (dependencies, optional and peer). */
  dependsOn: string[];
}

/** Every package npm installed in the project, from its hidden lockfile (`node_modules/.package-lock.json`). */
export function installedPackages(dir: string): InstalledPackage[] {
  const lock = JSON.parse(readFileSync(path.join(dir, 'node_modules/.package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; link?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([location, entry]) => location.startsWith('node_modules/') && !entry.link && existsSync(path.join(dir, location)))
    .map(([location, entry]) => ({
      name: location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length),
      version: entry.version ?? '',
      location,
      dependsOn: Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies }),
    }));
}

/** Apparent size in bytes of everything under `dir` (files, not blocks). */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

export interface InstalledSandbox {
  origin: string;
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  adminToken: string;
  docsUrl: string | undefined;
  /** Milliseconds from spawn to the banner, which the sandbox prints once it listens. */
  startMs: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

const BANNER = {
  origin: /listening on (http:\/\/\S+)/,
  baseUrl: /partner API:\s+(\S+)/,
  docsUrl: /docs:\s+(\S+)/,
  apiKey: /API key:\s+(\S+)/,
  apiSecret: /API secret:\s+(\S+)/,
  adminToken: /admin token:\s+(\S+)/,
};

/** `starship mock ARGS` from an installed CLI (`node_modules/.bin/starship`, what `npx starship` runs), ready once it printed its credentials. */
export async function startInstalledSandbox(projectDir: string, args: readonly string[]): Promise<InstalledSandbox> {
  const started = performance.now();
  const child = spawn(path.join(projectDir, 'node_modules/.bin/starship'), ['mock', ...args], { cwd: projectDir, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const startMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`starship mock did not start within 60 s:\n${stdout}\n${stderr}`)), 60_000);
    const check = () => {
      if (!BANNER.adminToken.test(stdout)) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve(performance.now() - started);
    };
    child.stdout!.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`starship mock exited during start-up (${child.exitCode ?? child.signalCode}):\n${stdout}\n${stderr}`));
    });
  });
  const field = (name: keyof typeof BANNER) => BANNER[name].exec(stdout)?.[1];
  const required = (name: keyof typeof BANNER) => {
    const value = field(name);
    if (value === undefined) throw new Error(`the start-up banner has no ${name}:\n${stdout}`);
    return value;
  };
  return {
    origin: required('origin'),
    baseUrl: required('baseUrl'),
    apiKey: required('apiKey'),
    apiSecret: required('apiSecret'),
    adminToken: required('adminToken'),
    docsUrl: field('docsUrl'),
    startMs,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program installed in the project (`node_modules/.bin/NAME`, or `node` itself) and captures it, whatever its exit code. */
export function runInProject(projectDir: string, command: string, args: readonly string[], extraEnv: Record<string, string> = {}): Promise<CommandResult> {
  const file = command === 'node' ? process.execPath : path.join(projectDir, 'node_modules/.bin', command);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: projectDir, env: userEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
