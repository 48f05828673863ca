import { isPostgresUrl } from '@starship/sandbox/db/postgres';
import { startSandbox } from '@starship/sandbox/server';
import { ensureDocsSite } from '../docs-site.ts';

export const DATABASE_URL_ENV = 'STARSHIP_DATABASE_URL';

export interface MockOptions {
  port: string;
  host: string;
  db?: string;
  databaseUrl?: string;
  adminToken?: string;
  trustProxy?: boolean;
  /** Commander's `--no-validate-responses` sets this false. */
  validateResponses?: boolean;
}

/** Where the sandbox keeps its state: --db, --database-url, or STARSHIP_DATABASE_URL when neither is given. */
export function storageOf(options: Pick<MockOptions, 'db' | 'databaseUrl'>, env: NodeJS.ProcessEnv = process.env): { db?: string; databaseUrl?: string } {
  if (options.db !== undefined && options.databaseUrl !== undefined) throw new Error('--db and --database-url are exclusive: give one');
  const databaseUrl = options.databaseUrl ?? (options.db === undefined ? env[DATABASE_URL_ENV] || undefined : undefined);
  if (databaseUrl === undefined) return options.db === undefined ? {} : { db: options.db };
  if (!isPostgresUrl(databaseUrl)) throw new Error('--database-url must be a postgres:// or postgresql:// URL');
  return { databaseUrl };
}

/** `starship mock`: serves the sandbox until SIGINT/SIGTERM. */
export async function mockCommand(options: MockOptions): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${options.port}`);
  const sandbox = await startSandbox({
    port,
    host: options.host,
    ...storageOf(options),
    trustProxy: options.trustProxy ?? false,
    validateResponses: options.validateResponses ?? true,
    docsDir: await ensureDocsSite(),
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  });
  await sandbox.closed;
  return 0;
}
