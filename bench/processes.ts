/** Child processes for the benchmark targets, started on free loopback ports and stopped afterwards. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cliBin, repoRoot } from '../tools/repo.ts';

export interface Target {
  name: string;
  origin: string;
  pid: number;
  stop: () => Promise<void>;
}

/** Starts `command` and resolves once its output matches `ready` (killed if it has not within `timeoutMs`). */
export async function startProcess(name: string, command: string, args: readonly string[], ready: RegExp, origin: string, timeoutMs = 60_000): Promise<Target> {
  const child: ChildProcess = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    origin,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A repository TypeScript script (workspace packages resolved to their sources). */
export const tsxNode = (script: string, ...args: string[]) =>
  [process.execPath, ['--conditions=starship-source', '--import', 'tsx', path.join(repoRoot, script), ...args]] as const;

/** The built `starship` CLI, as users run it. */
export const cliNode = (...args: string[]) => [process.execPath, [cliBin, ...args]] as const;

/** Resident set size of a process, from /proc (Linux). */
export function residentMemoryBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kib * 1024;
}
