import { existsSync } from 'node:fs';
import { lintFiles, lintPackagedSpecs, lintSpecs } from '../lint.ts';

/** Where a project keeps its Redocly config; the repository's names both specs and their rules. */
const PROJECT_CONFIG = 'redocly.yaml';

/**
 * `starship lint [SPEC...]`: the files given, else every api of the Redocly config (--config, or
 * ./redocly.yaml), else, in a project without one, the specs this CLI was built with. Files are linted with
 * that config's rules, or with the packaged stability-contract ruleset when there is no config.
 */
export async function lintCommand(specs: string[], options: { config?: string }): Promise<number> {
  const config = options.config ?? (existsSync(PROJECT_CONFIG) ? PROJECT_CONFIG : undefined);
  const result = specs.length > 0 ? await lintFiles(specs, config) : config !== undefined ? await lintSpecs(config) : await lintPackagedSpecs();
  console.log(result.text);
  return result.errors + result.warnings > 0 ? 1 : 0;
}
