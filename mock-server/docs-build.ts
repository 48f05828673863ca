/**
 * Builds the docs site the sandbox serves at /docs (`starship docs --out DIR`) in a child process. Redocly's
 * bundler and Redoc's renderer hold about 44 MiB of resident memory once imported, and an imported module
 * stays for the life of the process: built next door, they never weigh on the sandbox.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { repoRoot } from '../scripts/spec-documents.ts';

export async function buildDocsSiteApart(outDir: string): Promise<void> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/starship.js'), 'docs', '--out', outDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`building the docs site into ${outDir} failed (${signal ?? `exit ${code}`}):\n${errors.trim()}`);
}
