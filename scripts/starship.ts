import { Command } from 'commander';

process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE ??= 'true';
process.env.REDOCLY_TELEMETRY ??= 'off';

const program = new Command('starship').description('Starship Rewards contract toolchain and partner sandbox');

/**
 * A command's action: its module is imported only when that command runs (the sandbox, Redocly and the diff
 * engine are heavy to load), its handler's result is the exit code, and errors print as one line, no stack.
 */
function run<M, A extends unknown[]>(load: () => Promise<M>, handler: (module: M) => (...args: A) => Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await handler(await load())(...args);
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
  .action(run(() => import('./commands/generate.ts'), (m) => m.generateCommand));

program
  .command('lint')
  .description("lint both specs: Redocly's recommended rules plus the v1 stability-contract rules")
  .option('--config <file>', 'Redocly config', 'redocly.yaml')
  .action(run(() => import('./commands/lint.ts'), (m) => m.lintCommand));

program
  .command('docs')
  .description('build the static docs site: guides, API references, Postman collection (no network needed to view)')
  .option('--out <dir>', 'output directory (default: docs-site/)')
  .action(run(() => import('./commands/docs.ts'), (m) => m.docsCommand));

program
  .command('mock')
  .description('serve the stateful sandbox: the partner API at /api/v1 and the control API at /sandbox/v1')
  .option('--port <port>', 'port to listen on', '4010')
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--db <file>', 'SQLite file, or :memory: for a throwaway sandbox', '.sandbox/starship.db')
  .option('--admin-token <token>', 'bearer token for the control API (random and printed when omitted)')
  .option('--trust-proxy', 'take the client IP from X-Forwarded-For (only behind a proxy you control)')
  .option('--no-validate-responses', 'skip checking each response against the spec (on by default; a mismatch is a 500)')
  .action(run(() => import('./commands/mock.ts'), (m) => m.mockCommand));

program
  .command('diff')
  .description('compare two versions of the spec against the v1 stability contract (BASE/REVISION: a file or REF:path)')
  .argument('<base>', 'the published spec: a file, or REF:path read from git')
  .argument('<revision>', 'the changed spec: a file, or REF:path read from git')
  .option('--format <format>', 'text, json, markdown, junit or github', 'text')
  .option('--fail-on <severity>', 'exit 1 on changes at or above: breaking, warning or never', 'breaking')
  .option('--ignore <file>', 'accepted changes with a reason and an expiry date (default: openapi/diff-ignore.yaml when present)')
  .action(run(() => import('./commands/diff.ts'), (m) => m.diffCommand));

await program.parseAsync();
