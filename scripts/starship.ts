#!/usr/bin/env node
import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import { withCredentialOptions } from './commands/partner-credentials.ts';

process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE ??= 'true';
process.env.REDOCLY_TELEMETRY ??= 'off';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new Command('starship').description('Starship Rewards contract toolchain and partner sandbox').version(version);
// Commander's own usage errors (unknown option or command, missing argument) exit 1 by default, the code a
// failed check or a breaking change exits with; every usage error exits 2 (help and --version still exit 0).
// Set before the commands are added, so every subcommand inherits it.
program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

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
  .description("lint specs: Redocly's recommended rules plus the v1 stability-contract rules (exit 1 on any problem)")
  .argument('[spec...]', 'spec files to lint (default: every api in the Redocly config, or the packaged specs when there is no config)')
  .option('--config <file>', 'Redocly config (default: ./redocly.yaml when present, else the packaged stability-contract ruleset)')
  .action(run(() => import('./commands/lint.ts'), (m) => m.lintCommand));

program
  .command('docs')
  .description('build the static docs site: guides, API references, Postman collection (no network needed to view)')
  .option('--out <dir>', 'output directory (default: docs-site/)')
  .action(run(() => import('./commands/docs.ts'), (m) => m.docsCommand));

program
  .command('mock')
  .description('serve the stateful sandbox: the partner API at /api/v1 and the control API at /sandbox/v1 (every option also from its STARSHIP_* variable)')
  .addOption(new Option('--port <port>', 'port to listen on').env('STARSHIP_PORT').default('4010'))
  .addOption(new Option('--host <host>', 'address to bind').env('STARSHIP_HOST').default('127.0.0.1'))
  .addOption(new Option('--db <file>', 'SQLite file, or :memory: for a throwaway sandbox (default .sandbox/starship.db)').env('STARSHIP_DB'))
  .option('--database-url <url>', 'PostgreSQL URL shared by several instances (or STARSHIP_DATABASE_URL; needs STARSHIP_ENCRYPTION_KEY)')
  .addOption(new Option('--admin-token <token>', 'bearer token for the control API (random and printed when omitted; required with --hosted)').env('STARSHIP_ADMIN_TOKEN'))
  .option('--trust-proxy', 'take the client IP from X-Forwarded-For (only behind a proxy you control; or STARSHIP_TRUST_PROXY=1)')
  .option('--no-validate-responses', 'skip checking each response against the spec (on by default, a mismatch is a 500; or STARSHIP_VALIDATE_RESPONSES=0)')
  .option('--hosted', 'host for many partners: no demo partner, no secret printed, webhook URLs to internal addresses refused (or STARSHIP_HOSTED=1)')
  .addOption(
    new Option('--allow-webhook-host <host...>', 'a host webhook URLs may name even when hosted (repeatable; STARSHIP_ALLOW_WEBHOOK_HOSTS, comma-separated)').env(
      'STARSHIP_ALLOW_WEBHOOK_HOSTS',
    ),
  )
  .addOption(new Option('--max-webhook-endpoints <count>', 'webhook endpoints one partner may register (default 10)').env('STARSHIP_MAX_WEBHOOK_ENDPOINTS'))
  .option('--catalog-size <n>', 'products a new database\'s catalog is seeded with, 2-100000 (or STARSHIP_CATALOG_SIZE; default 200)')
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

withCredentialOptions(
  program
    .command('listen')
    .description('forward your sandbox events to a local URL as signed webhook deliveries (a session secret is printed at start)')
    .option('--forward-to <url>', 'where to POST each event, e.g. http://127.0.0.1:3000/webhooks')
    .option('--events <types>', 'only these event types, comma-separated (e.g. order.delivered,order.failed)')
    .option('--after <sequence>', 'first send the events after this sequence number (0: every event kept)')
    .option('--print-secret', 'print the webhook signing secret of your listen sessions and exit'),
).action(run(() => import('./commands/listen.ts'), (m) => (options) => m.listenCommand(options)));

withCredentialOptions(
  program
    .command('trigger')
    .description('have the sandbox create what emits a webhook event (order.delivered, order.pending, …) for you')
    .argument('<event-type>', 'a webhook event type of the spec, e.g. order.delivered'),
).action(run(() => import('./commands/trigger.ts'), (m) => m.triggerCommand));

withCredentialOptions(
  program
    .command('logs')
    .description('your request log on the sandbox, with the verdict of every check (signature, idempotency, rate limit, …)')
    .option('--follow', 'keep printing new requests as they arrive')
    .option('--limit <n>', 'how many of the latest requests to print first (default 50)')
    .option('--operation <operationId>', 'only requests to this operation, e.g. createOrder'),
).action(run(() => import('./commands/logs.ts'), (m) => (options) => m.logsCommand(options)));

const conformance = program.command('conformance').description('certify a server or a partner integration against the contract');

conformance
  .command('server')
  .description('run the server conformance suite against a base URL (exit 0 only when no MUST check fails)')
  .requiredOption('--base-url <url>', 'API root including /api/v1, e.g. http://127.0.0.1:4010/api/v1')
  .requiredOption('--api-key <key>', 'partner API key')
  .requiredOption('--api-secret <secret>', 'partner API secret (also the signing key)')
  .option('--sandbox-url <url>', 'sandbox origin whose control API (/sandbox/v1) drives operator state; without it those checks SKIP')
  .option('--admin-token <token>', 'bearer token for the control API')
  .option('--json <file>', 'write the JSON report')
  .option('--junit <file>', 'write JUnit XML')
  .option('--html <file>', 'write a self-contained HTML report')
  .option('--include-rate-limits', 'also run the RATE checks that exhaust a rate-limit window (destructive)')
  .option('--only <ids>', 'comma-separated check ids or groups to run (e.g. AUTH,SIGN-STALE)')
  .option('--webhook-timeout <ms>', 'how long to wait for a webhook delivery (default 8000)')
  .action(run(() => import('./commands/conformance-server.ts'), (m) => m.conformanceServerCommand));

withCredentialOptions(
  conformance
    .command('partner')
    .description(
      "certify a partner integration: run its test against a certification session and grade what it did (exit 0 only when no MUST check fails). With your sandbox credentials the session runs on that sandbox (no admin token); with --sandbox-url and --admin-token an operator's; with neither, a local practice run",
    )
    .requiredOption('--run <command>', "the partner's certification command (shell), run with the session's STARSHIP_BASE_URL, STARSHIP_API_KEY, STARSHIP_API_SECRET and the STARSHIP_CERT_* variables"),
)
  .option('--sandbox-url <url>', "an operator's run: the sandbox origin whose control API runs the session (with --admin-token)")
  .option('--admin-token <token>', 'bearer token for that sandbox\'s control API')
  .option('--json <file>', 'write the signed JSON report')
  .option('--junit <file>', 'write JUnit XML')
  .option('--html <file>', 'write a self-contained HTML report')
  .option('--timeout <seconds>', 'stop the command after this long (default 120)')
  .option('--pending-seconds <seconds>', 'how long the DELAYED order stays PENDING (default 3)')
  .option('--ip-allowlist <cidrs>', "comma-separated networks the command calls from (default loopback; for a remote --sandbox-url)")
  .option('--webhook-host <host>', 'address the command binds its webhook receiver to, reachable by the sandbox (default 127.0.0.1)')
  .action(run(() => import('./commands/conformance-partner.ts'), (m) => m.conformancePartnerCommand));

conformance
  .command('verify-report')
  .description('check that a signed certification report was not edited since the sandbox signed it (exit 1 when it was)')
  .argument('<file>', 'the JSON report written by conformance partner --json')
  .option('--public-key <file>', "the sandbox's Ed25519 public key (PEM): the one written beside a practice run's report, or saved from getReportSigningKey")
  .option('--sandbox-url <url>', 'fetch the public key from this sandbox (GET /sandbox/v1/certification/signing-key, no credentials needed)')
  .action(run(() => import('./commands/verify-report.ts'), (m) => m.verifyReportCommand));

await program.parseAsync();
