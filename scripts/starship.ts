import { Command } from 'commander';
import { docsCommand } from './commands/docs.ts';
import { generateCommand } from './commands/generate.ts';
import { lintCommand } from './commands/lint.ts';
import { mockCommand } from './commands/mock.ts';

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

program
  .command('docs')
  .description('build the static docs site: guides, API references, Postman collection (no network needed to view)')
  .option('--out <dir>', 'output directory (default: docs-site/)')
  .action(run(docsCommand));

program
  .command('mock')
  .description('serve the stateful sandbox: the partner API at /api/v1 and the control API at /sandbox/v1')
  .option('--port <port>', 'port to listen on', '4010')
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--db <file>', 'SQLite file, or :memory: for a throwaway sandbox', '.sandbox/starship.db')
  .option('--admin-token <token>', 'bearer token for the control API (random and printed when omitted)')
  .option('--trust-proxy', 'take the client IP from X-Forwarded-For (only behind a proxy you control)')
  .option('--no-validate-responses', 'skip checking each response against the spec (on by default; a mismatch is a 500)')
  .action(run(mockCommand));

await program.parseAsync();
