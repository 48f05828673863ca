import { lintSpecs } from '../lint.ts';

export async function lintCommand(options: { config: string }): Promise<number> {
  const result = await lintSpecs(options.config);
  console.log(result.text);
  return result.errors + result.warnings > 0 ? 1 : 0;
}
