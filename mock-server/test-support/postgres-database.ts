/**
 * A fresh, empty PostgreSQL database per test on the server named by STARSHIP_TEST_DATABASE_URL (CI starts
 * one with tools/postgres-cluster.sh), dropped afterwards. Without that variable the PostgreSQL variants of
 * the storage and sandbox tests are not registered.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL_ENV = 'STARSHIP_TEST_DATABASE_URL';

export function testServerUrl(): string | undefined {
  return process.env[TEST_DATABASE_URL_ENV] || undefined;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `starship_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
