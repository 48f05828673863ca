/**
 * The sandbox as its users run it: `starship mock` (the built CLI) in a child process on a SQLite file, on a
 * free loopback port, its stdout and stderr captured whole (the log scans read them). A child process also
 * gives the load generator and the server a CPU each.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { cliBin, repoRoot } from '../tools/repo.ts';

export interface SandboxProcess {
  origin: string;
  adminToken: string;
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr. */
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code or signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const LISTENING = /listening on (http:\/\/[^\s]+)/;

/** `db` a SQLite file, or `databaseUrl` a PostgreSQL database (STARSHIP_ENCRYPTION_KEY then comes through `env`). */
export async function spawnSandbox(
  options: ({ db: string } | { databaseUrl: string }) & { env?: Record<string, string>; args?: string[]; nodeArgs?: string[]; adminToken?: string },
): Promise<SandboxProcess> {
  const adminToken = options.adminToken ?? `adm_${randomBytes(16).toString('hex')}`;
  const storage = 'db' in options ? ['--db', options.db] : ['--database-url', options.databaseUrl];
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), cliBin, 'mock', ...storage, '--port', '0', '--admin-token', adminToken, ...(options.args ?? [])],
    { cwd: repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start within 60 s:\n${stdout}\n${stderr}`)), 60_000);
    const check = () => {
      const match = LISTENING.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited during start-up (${code ?? signal}):\n${stdout}\n${stderr}`));
    });
  });
  return {
    origin,
    adminToken,
    child,
    output: () => ({ stdout, stderr }),
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
