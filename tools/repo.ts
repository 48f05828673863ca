/**
 * Where things are in this repository, for tests, benchmarks and tools. Code a user installs never imports
 * this: it finds its data through its package dependencies.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The built `starship` CLI, as `npm install` would run it (`npm run build` writes it). */
export const cliBin = path.join(repoRoot, 'scripts/dist/starship.js');

export function bundledSpecPath(name: 'starship' | 'sandbox'): string {
  return path.join(repoRoot, 'generated', `${name}.bundled.json`);
}
