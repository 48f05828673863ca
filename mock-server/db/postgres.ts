/**
 * Opens a shared PostgreSQL database for several sandbox instances (`starship mock --database-url`): Kysely
 * over a pg pool. BIGINT (money in minor units, counts) is parsed to a JS number, as better-sqlite3 returns
 * it: sandbox amounts stay far below 2^53.
 */
import type pg from 'pg';
import { Kysely, PostgresAdapter, PostgresDialect, sql } from 'kysely';
import type { Database } from './schema.ts';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function typeParsers(driver: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
      return driver.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
}

export interface OpenPostgresOptions {
  url: string;
  /** Connections per instance. */
  poolSize?: number;
}

/** The pg driver is imported on first connection: a sandbox on SQLite never loads it. */
export function openPostgres(options: OpenPostgresOptions): Kysely<Database> {
  const pool = async () => {
    const { default: driver } = await import('pg');
    const created = new driver.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types: typeParsers(driver) });
    // An idle client's error (server restart, terminated backend) must not crash the sandbox; the pool drops it.
    created.on('error', () => {});
    return created;
  };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//.test(value);
}

/** Whether this Kysely instance (or transaction) talks to PostgreSQL rather than the embedded SQLite. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An arbitrary advisory-lock id: the sandbox's first-start seeding. */
const STARTUP_LOCK = 0x5354_4152;

/**
 * Within a transaction, waits until no other instance is seeding the same PostgreSQL database (instances
 * started together would otherwise each find it empty and insert the catalog twice). SQLite serialises writers.
 */
export async function lockForStartup(trx: Kysely<any>): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(${STARTUP_LOCK})`.execute(trx);
}
