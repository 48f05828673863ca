import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConfig,
  getLineColLocation,
  getTotals,
  lint,
  lintConfig,
  loadConfig,
  type Config,
  type NormalizedProblem,
} from '@redocly/openapi-core';

export type LintResult = { errors: number; warnings: number; text: string };

/**
 * The stability contract's ruleset (Redocly recommended + our plugin's rules) and the control API's
 * exceptions to it. They ship with the CLI beside this module, so an installed `starship lint` carries them;
 * the repository's redocly.yaml extends the same files.
 */
export const STABILITY_CONTRACT_RULESET = fileURLToPath(new URL('./lint/stability-contract.yaml', import.meta.url));
export const CONTROL_API_RULESET = fileURLToPath(new URL('./lint/control-api.yaml', import.meta.url));

/** One document to lint, and the api alias in the config whose rules apply to it (the root rules when none). */
interface LintTarget {
  title: string;
  ref: string;
  alias?: string;
}

/**
 * `file:line:col  severity  rule  message`, file relative to `baseDir`. Problems without a position (a file
 * that failed to load) point at line 1.
 */
function formatProblem(problem: NormalizedProblem, baseDir: string): string {
  const where = problem.location[0];
  const position = where ? getLineColLocation(where) : undefined;
  const file = position ? path.relative(baseDir, position.source.absoluteRef) || position.source.absoluteRef : '?';
  const line = position?.start.line ?? 1;
  const col = position?.start.col ?? 1;
  const severity = problem.severity === 'error' ? 'error' : 'warning';
  return `${file}:${line}:${col}  ${severity}  ${problem.ruleId}  ${problem.message}`;
}

function byPosition(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * Lints each target with Redocly's own engine and plugin loading, in process: no child process and no
 * dependence on where `redocly` is on PATH. `configTitle` adds a section for the config file itself.
 */
async function lintTargets(config: Config, targets: LintTarget[], baseDir: string, configTitle?: string): Promise<LintResult> {
  const sections: string[] = [];
  let errors = 0;
  let warnings = 0;

  const addSection = (title: string, problems: NormalizedProblem[]) => {
    const shown = problems.filter((p) => !p.ignored);
    const totals = getTotals(shown);
    errors += totals.errors;
    warnings += totals.warnings;
    const lines = [...new Set(shown.map((p) => formatProblem(p, baseDir)))].sort(byPosition);
    sections.push([`${title}: ${totals.errors} error(s), ${totals.warnings} warning(s)`, ...lines.map((l) => `  ${l}`)].join('\n'));
  };

  if (configTitle !== undefined) addSection(configTitle, await lintConfig({ config }));
  for (const target of targets) addSection(target.title, await lint({ ref: target.ref, config: config.forAlias(target.alias) }));

  const summary = errors + warnings === 0 ? 'No lint problems.' : `${errors} error(s), ${warnings} warning(s).`;
  return { errors, warnings, text: [...sections, summary].join('\n\n') };
}

function requireFile(file: string, what: string): string {
  const absolute = path.resolve(file);
  if (!existsSync(absolute)) throw new Error(`${what} ${file}: no such file`);
  return absolute;
}

/** Every api in the Redocly config (the config itself included), each with its own rules. */
export async function lintSpecs(configPath = 'redocly.yaml'): Promise<LintResult> {
  const absoluteConfig = requireFile(configPath, 'config');
  const baseDir = path.dirname(absoluteConfig);
  const config = await loadConfig({ configPath: absoluteConfig });
  const apis = Object.entries(config.resolvedConfig.apis ?? {});
  if (apis.length === 0) throw new Error(`${configPath} declares no apis to lint`);
  const targets = apis.map(([alias, api]) => {
    const ref = path.resolve(baseDir, api.root);
    return { title: `${alias} (${path.relative(baseDir, ref)})`, ref, alias };
  });
  return lintTargets(config, targets, baseDir, path.relative(process.cwd(), absoluteConfig) || absoluteConfig);
}

/**
 * The given spec files, with the config's rules (an api's own rules when the file is that api's root), or,
 * without a config, with the packaged stability-contract ruleset.
 */
export async function lintFiles(files: string[], configPath?: string): Promise<LintResult> {
  const refs = files.map((file) => requireFile(file, 'spec'));
  const absoluteConfig = configPath === undefined ? STABILITY_CONTRACT_RULESET : requireFile(configPath, 'config');
  const config = await loadConfig({ configPath: absoluteConfig });
  const configDir = path.dirname(absoluteConfig);
  const aliasOf = new Map(Object.entries(config.resolvedConfig.apis ?? {}).map(([alias, api]) => [path.resolve(configDir, api.root), alias]));
  const targets = refs.map((ref, index) => {
    const alias = aliasOf.get(ref);
    return { title: alias ? `${files[index]} (${alias})` : files[index]!, ref, ...(alias ? { alias } : {}) };
  });
  return lintTargets(config, targets, process.cwd());
}

/** The bundled specs this CLI was built with (@starship/spec), the control API with its exceptions. */
export async function lintPackagedSpecs(): Promise<LintResult> {
  const require = createRequire(import.meta.url);
  const starship = require.resolve('@starship/spec/starship.bundled.json');
  const sandbox = require.resolve('@starship/spec/sandbox.bundled.json');
  const config = await createConfig(
    {
      extends: [STABILITY_CONTRACT_RULESET],
      apis: { 'starship@v1': { root: starship }, 'sandbox@v1': { root: sandbox, extends: [CONTROL_API_RULESET] } },
    },
    // A name for this in-memory config beside the rulesets (it must not be one of them: it extends them).
    { configPath: path.join(path.dirname(STABILITY_CONTRACT_RULESET), 'packaged-specs.yaml') },
  );
  return lintTargets(
    config,
    [
      { title: 'starship@v1 (the packaged partner API)', ref: starship, alias: 'starship@v1' },
      { title: 'sandbox@v1 (the packaged control API)', ref: sandbox, alias: 'sandbox@v1' },
    ],
    process.cwd(),
  );
}
