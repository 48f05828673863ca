import { Command } from 'commander';
import { generateCommand } from './commands/generate.ts';
import { lintCommand } from './commands/lint.ts';

process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE ??= 'true';
process.env.REDOCLY_TELEMETRY ??= 'off';

const program = new Command('starship').description('Starship Rewards contract toolchain and partner sandbox');

/** Runs a command handler and turns its result into the exit code; errors print as one line, no stack. */
function run<A extends unknown[]>(handler: (...args: A) => Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await handler(...args);
    } catch (error) {
      console.error(`starship: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 2;
    }
  };
}

program
  .command('generate')
  .description('write generated/ (bundled specs, TypeScript types, handler types) from openapi/')
  .option('--check', 'fail when generated/ is not what the specs produce')
  .action(run(generateCommand));

program
  .command('lint')
  .description("lint both specs: Redocly's recommended rules plus the v1 stability-contract rules")
  .option('--config <file>', 'Redocly config', 'redocly.yaml')
  .action(run(lintCommand));

await program.parseAsync();
