/**
 * The docs site `starship mock` serves at /docs: `npm run build` renders it into the CLI package
 * (`dist/docs-site/`), so an installed CLI serves it as shipped. When it is missing (a build that skipped it),
 * it is rendered there first by `starship docs` in a child process: Redocly's bundler and Redoc's renderer
 * hold about 44 MiB of resident memory once imported, and an imported module stays for the life of the
 * process, so built next door they never weigh on the sandbox.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packagedDocsDir = fileURLToPath(new URL('./docs-site/', import.meta.url));

/** The built CLI beside this module (the package's bin). */
const CLI_ENTRY = fileURLToPath(new URL('./starship.js', import.meta.url));

export async function ensureDocsSite(dir = packagedDocsDir): Promise<string> {
  if (existsSync(path.join(dir, 'index.html'))) return dir;
  const child = spawn(process.execPath, [CLI_ENTRY, 'docs', '--out', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`building the docs site into ${dir} failed (${signal ?? `exit ${code}`}):\n${errors.trim()}`);
  return dir;
}
