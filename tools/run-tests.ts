/**
 * `npm test` (after `npm run build`): Node 20's test runner does not expand globs, so collect every
 * `*.test.ts` beside the code (or the paths given; a folder in SKIP only when given) and hand them to one
 * `node --test` run. Tests import the
 * packages' TypeScript sources (the `starship-source` export condition); processes they start as users would
 * (`starship mock`, the example integrations) run the built packages.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo.ts';

// install-test/ runs on its own (`npm run test:install`): it installs from the npm registry.
const SKIP = new Set(['node_modules', '.git', 'generated', '.sandbox', 'artifacts', 'dist', 'install-test']);

function findTests(dir: string): string[] {
  if (statSync(dir).isFile()) return dir.endsWith('.test.ts') ? [dir] : [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name) || entry.name.startsWith('.')) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const roots = process.argv.slice(2);
const files = (roots.length ? roots.map((r) => path.resolve(r)) : [repoRoot]).flatMap(findTests).sort();
if (files.length === 0) {
  console.error('no *.test.ts files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--conditions=starship-source', '--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  cwd: repoRoot,
});
process.exit(result.status ?? 1);
