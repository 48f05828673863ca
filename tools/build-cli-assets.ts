/**
 * The part of `npm run build` that tsc does not do: the files the CLI package reads at run time beside its
 * JavaScript (the guides, the site stylesheet, favicon and served-origin script for `starship docs`, the lint
 * rulesets for `starship lint`), then the docs site itself, rendered by the built CLI into the package so that an installed `starship mock` serves it as shipped.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cliBin, repoRoot } from './repo.ts';

const cli = path.join(repoRoot, 'scripts');
const dist = path.join(cli, 'dist');

cpSync(path.join(cli, 'guides'), path.join(dist, 'guides'), { recursive: true });
for (const asset of ['site.css', 'favicon.svg', 'served-origin.js']) cpSync(path.join(cli, 'docs', asset), path.join(dist, 'docs', asset));
for (const ruleset of ['stability-contract.yaml', 'control-api.yaml']) cpSync(path.join(cli, 'lint', ruleset), path.join(dist, 'lint', ruleset));
rmSync(path.join(dist, 'docs-site'), { recursive: true, force: true });
execFileSync(process.execPath, [cliBin, 'docs', '--out', path.join(dist, 'docs-site')], { stdio: ['ignore', 'ignore', 'inherit'] });
