import path from 'node:path';
import {
  getLineColLocation,
  getTotals,
  lint,
  lintConfig,
  loadConfig,
  type NormalizedProblem,
} from '@redocly/openapi-core';

export type LintResult = { errors: number; warnings: number; text: string };

/**
 * `file:line:col  severity  rule  message`, file relative to the config's directory. Problems without a
 * position (a file that failed to load) point at line 1.
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
 * Lints every api in the Redocly config (the config itself included) with Redocly's own engine and
 * plugin loading, in process: no child process and no dependence on where `redocly` is on PATH.
 * Returns the counts and a report; the caller decides the exit code.
 */
export async function lintSpecs(configPath = 'redocly.yaml'): Promise<LintResult> {
  const absoluteConfig = path.resolve(configPath);
  const baseDir = path.dirname(absoluteConfig);
  const config = await loadConfig({ configPath: absoluteConfig });
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

  addSection(path.relative(process.cwd(), absoluteConfig) || absoluteConfig, await lintConfig({ config }));

  const apis = Object.entries(config.resolvedConfig.apis ?? {});
  if (apis.length === 0) throw new Error(`${configPath} declares no apis to lint`);
  for (const [alias, api] of apis) {
    const ref = path.resolve(baseDir, api.root);
    addSection(`${alias} (${path.relative(baseDir, ref)})`, await lint({ ref, config: config.forAlias(alias) }));
  }

  const summary = errors + warnings === 0 ? 'No lint problems.' : `${errors} error(s), ${warnings} warning(s).`;
  return { errors, warnings, text: [...sections, summary].join('\n\n') };
}
