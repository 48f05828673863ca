/**
 * Runs the sandbox: opens the database, creates the engine, makes sure the demo partner exists, serves the
 * app and prints where and with which credentials (once, to stdout; the operational log never sees them).
 * Hosted (DESIGN "Hosted mode"): no demo partner, the admin token must be given and nothing secret is
 * printed, webhook URLs are guarded.
 * Delivers webhooks in the background from start to close. Closes cleanly on SIGINT/SIGTERM: stops accepting,
 * lets in-flight requests finish, stops webhook delivery (unfinished attempts are given back, to be sent again
 * on the next start), closes the database.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { DEFAULT_DB_FILE } from './db/connect.ts';
import { ensureDemoPartner, type DemoCredentials } from './demo-partner.ts';
import { webhookHosting } from './domain/webhook-url-policy.ts';
import { openEngine } from './engine/index.ts';
import type { Engine } from './engine.ts';
import { answerClientErrors } from './http/client-error.ts';
import { EventStreams } from './http/event-stream.ts';
import { createLogger } from './http/logger.ts';

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** SQLite file, or `:memory:`. */
  db?: string;
  /** A PostgreSQL URL instead of `db`: any number of instances share its state (needs STARSHIP_ENCRYPTION_KEY). */
  databaseUrl?: string;
  /** Pool connections per instance on PostgreSQL. */
  poolSize?: number;
  /** Where STARSHIP_ENCRYPTION_KEY and the other keys are read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Random (and printed) when absent. */
  adminToken?: string;
  trustProxy?: boolean;
  validateResponses?: boolean;
  logger?: Logger;
  /** Where the start-up banner goes; defaults to stdout. */
  print?: (line: string) => void;
  /** Close on SIGINT/SIGTERM (off for embedded use, e.g. tests). */
  handleSignals?: boolean;
  /** A built docs site (`starship docs`) to serve at /docs; none when absent. */
  docsDir?: string;
  /** Certification reports say they come from a practice sandbox (`starship conformance partner` run locally). */
  practice?: boolean;
  /** Hosted for many partners: no demo partner, no secret printed, webhook URLs to internal addresses refused. */
  hosted?: boolean;
  /** Hosts (names or IP literals) webhook URLs may name even when hosted. */
  allowWebhookHosts?: readonly string[];
  /** Webhook endpoints per partner (domain/webhook-url-policy.ts's default when absent). */
  maxWebhookEndpoints?: number;
  /** Products a new database's catalog is seeded with (200 when absent). */
  catalogSize?: number;
}

export interface RunningSandbox {
  /** The partner API root, e.g. `http://127.0.0.1:4010/api/v1`. */
  baseUrl: string;
  /** The origin; the control API is under `/sandbox/v1`. */
  origin: string;
  adminToken: string;
  /** Absent when hosted. */
  demoPartner?: DemoCredentials;
  engine: Engine;
  close(): Promise<void>;
  /** Settles once the sandbox has closed (after close() or a signal). */
  closed: Promise<void>;
}

/** How long in-flight requests get to finish on shutdown before their connections are cut. */
const DRAIN_MS = 5_000;
const KEEP_ALIVE_MS = 65_000;

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function originOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const {
    port = 4010,
    host = '127.0.0.1',
    db: file = DEFAULT_DB_FILE,
    adminToken = `adm_${randomBytes(24).toString('base64url')}`,
    trustProxy = false,
    validateResponses = true,
    logger = createLogger(),
    print = (line: string) => console.log(line),
    handleSignals = true,
    docsDir,
  } = options;

  const { databaseUrl, poolSize, catalogSize, hosted = false } = options;
  if (hosted && options.adminToken === undefined) throw new Error('a hosted sandbox needs its admin token given (--admin-token or STARSHIP_ADMIN_TOKEN): none is printed');
  const env = options.env ?? process.env;
  const practice = options.practice ? { practice: true } : {};
  const webhooks = webhookHosting({
    hosted,
    ...(options.allowWebhookHosts ? { allowHosts: options.allowWebhookHosts } : {}),
    ...(options.maxWebhookEndpoints !== undefined ? { maxEndpointsPerPartner: options.maxWebhookEndpoints } : {}),
  });
  const sized = catalogSize === undefined ? {} : { catalogSize };
  const engine = await openEngine(
    databaseUrl ? { databaseUrl, env, webhooks, ...sized, ...(poolSize ? { poolSize } : {}), ...practice } : { file, env, webhooks, ...sized, ...practice },
  );
  try {
    const demoPartner = hosted ? undefined : await ensureDemoPartner(engine, databaseUrl ? undefined : file);
    // Deliveries left pending by a previous run (or a crash) resume now; engine.close() stops the loop.
    engine.startWebhookDelivery({ onError: (error) => logger.error({ err: error }, 'webhook delivery failed') });
    const eventStreams = new EventStreams();
    const running = createServer(createApp({ engine, adminToken, trustProxy, validateResponses, logger, eventStreams, ...(docsDir ? { docsDir } : {}) }));
    answerClientErrors(running);
    // Longer than clients keep idle sockets (undici: 4 s), so a client never reuses one the server is closing.
    running.keepAliveTimeout = KEEP_ALIVE_MS;
    const address = await listen(running, port, host);
    const origin = originOf(host, address.port);

    let closing: Promise<void> | undefined;
    let settle: () => void = () => {};
    const closed = new Promise<void>((resolve) => (settle = resolve));
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'sandbox shutting down');
      void close();
    };
    const close = () => {
      closing ??= (async () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        const drained = new Promise<void>((resolve) => running.close(() => resolve()));
        // Event streams never finish on their own; their clients reconnect to another instance or later.
        eventStreams.close();
        running.closeIdleConnections();
        const cut = setTimeout(() => running.closeAllConnections(), DRAIN_MS);
        await drained;
        clearTimeout(cut);
        await engine.close();
        logger.info('sandbox closed');
        settle();
      })();
      return closing;
    };
    if (handleSignals) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }

    const baseUrl = `${origin}/api/v1`;
    print(`Starship sandbox listening on ${origin}`);
    print(`  partner API:  ${baseUrl}`);
    print(`  control API:  ${origin}/sandbox/v1`);
    print(`  database:     ${databaseUrl ? maskPassword(databaseUrl) : file}`);
    if (docsDir) print(`  docs:         ${origin}/docs/`);
    if (demoPartner) {
      print(`  API key:      ${demoPartner.apiKey}`);
      print(`  API secret:   ${demoPartner.apiSecret}`);
      print(`  admin token:  ${adminToken}`);
    } else {
      print('  hosted:       no demo partner; create partners with the control API (admin token as given)');
    }
    logger.info({ origin, hosted, database: databaseUrl ? 'postgresql' : file === ':memory:' ? 'memory' : 'sqlite' }, 'sandbox listening');
    return { baseUrl, origin, adminToken, engine, close, closed, ...(demoPartner ? { demoPartner } : {}) };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/** The URL as printed: a password is never shown. */
export function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}
