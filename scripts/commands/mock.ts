import type { Command } from 'commander';
import { isPostgresUrl } from '@starship/sandbox/db/postgres';
import { MAX_CATALOG_SIZE, MIN_CATALOG_SIZE } from '@starship/sandbox/domain/catalog-seed';
import { startSandbox } from '@starship/sandbox/server';
import { ensureDocsSite } from '../docs-site.ts';

export const DATABASE_URL_ENV = 'STARSHIP_DATABASE_URL';
export const CATALOG_SIZE_ENV = 'STARSHIP_CATALOG_SIZE';

export interface MockOptions {
  port: string;
  host: string;
  db?: string;
  databaseUrl?: string;
  adminToken?: string;
  trustProxy?: boolean;
  /** Commander's `--no-validate-responses` sets this false. */
  validateResponses?: boolean;
  hosted?: boolean;
  /** Repeated flags, or one comma-separated STARSHIP_ALLOW_WEBHOOK_HOSTS. */
  allowWebhookHost?: string[] | string;
  maxWebhookEndpoints?: string;
  catalogSize?: string;
}

/** --catalog-size, or STARSHIP_CATALOG_SIZE when it is not given; undefined for the default catalog. */
export function catalogSizeOf(options: Pick<MockOptions, 'catalogSize'>, env: NodeJS.ProcessEnv = process.env): number | undefined {
  return wholeNumber(options.catalogSize ?? (env[CATALOG_SIZE_ENV] || undefined), '--catalog-size', MIN_CATALOG_SIZE, MAX_CATALOG_SIZE);
}

/**
 * The switches' variables. Commander's own env support takes any value of a boolean's variable for true
 * (STARSHIP_HOSTED=0 would host), so these are read here: 1/true/yes/on or 0/false/no/off, a flag on the
 * command line winning.
 */
export const SWITCH_ENV = { hosted: 'STARSHIP_HOSTED', trustProxy: 'STARSHIP_TRUST_PROXY', validateResponses: 'STARSHIP_VALIDATE_RESPONSES' } as const;

export function envSwitch(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^(?:1|true|yes|on)$/i.test(value)) return true;
  if (/^(?:0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be 1 or 0 (true/false, yes/no, on/off), got ${value}`);
}

/** A numeric option as typed: decimal digits only (no 1e4, no 2.5, no sign), within its bounds. */
function wholeNumber(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || number < min || number > max) {
    throw new Error(max === Number.MAX_SAFE_INTEGER ? `${name} must be a whole number of at least ${min}, got ${value}` : `${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return number;
}

function hostList(value: string[] | string | undefined): string[] {
  const items = typeof value === 'string' ? [value] : (value ?? []);
  return items.flatMap((item) => item.split(',')).map((host) => host.trim()).filter(Boolean);
}

/** Where the sandbox keeps its state: --db, --database-url, or STARSHIP_DATABASE_URL when neither is given. */
export function storageOf(options: Pick<MockOptions, 'db' | 'databaseUrl'>, env: NodeJS.ProcessEnv = process.env): { db?: string; databaseUrl?: string } {
  if (options.db !== undefined && options.databaseUrl !== undefined) throw new Error('--db and --database-url are exclusive: give one');
  const databaseUrl = options.databaseUrl ?? (options.db === undefined ? env[DATABASE_URL_ENV] || undefined : undefined);
  if (databaseUrl === undefined) return options.db === undefined ? {} : { db: options.db };
  if (!isPostgresUrl(databaseUrl)) throw new Error('--database-url must be a postgres:// or postgresql:// URL');
  return { databaseUrl };
}

/** A switch as given: the flag when on the command line, else its variable, else `fallback`. */
function switchOf(options: MockOptions, key: keyof typeof SWITCH_ENV, onCommandLine: boolean, fallback: boolean, env: NodeJS.ProcessEnv): boolean {
  if (onCommandLine) return options[key] ?? fallback;
  return envSwitch(env, SWITCH_ENV[key]) ?? fallback;
}

/** `starship mock`: serves the sandbox until SIGINT/SIGTERM. */
export async function mockCommand(options: MockOptions, command?: Command, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65535) throw new Error(`--port must be 0-65535, got ${options.port}`);
  const given = (key: string) => command?.getOptionValueSource(key) === 'cli';
  const maxWebhookEndpoints = wholeNumber(options.maxWebhookEndpoints, '--max-webhook-endpoints', 1);
  const allowWebhookHosts = hostList(options.allowWebhookHost);
  const catalogSize = catalogSizeOf(options, env);
  const sandbox = await startSandbox({
    port,
    host: options.host,
    ...storageOf(options, env),
    trustProxy: switchOf(options, 'trustProxy', given('trustProxy'), false, env),
    validateResponses: switchOf(options, 'validateResponses', given('validateResponses'), true, env),
    hosted: switchOf(options, 'hosted', given('hosted'), false, env),
    docsDir: await ensureDocsSite(),
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    ...(allowWebhookHosts.length ? { allowWebhookHosts } : {}),
    ...(maxWebhookEndpoints !== undefined ? { maxWebhookEndpoints } : {}),
    ...(catalogSize === undefined ? {} : { catalogSize }),
  });
  await sandbox.closed;
  return 0;
}
