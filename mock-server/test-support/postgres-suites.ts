/**
 * Runs a sandbox test file again on PostgreSQL (one process per test file, so the import registers its tests
 * afresh with every TestSandbox on a fresh test database). Without STARSHIP_TEST_DATABASE_URL the run is a
 * single skipped test saying why; CI always sets it (.ci/run).
 */
import { test } from 'node:test';
import { TEST_DATABASE_URL_ENV, testServerUrl } from './postgres-database.ts';
import { SANDBOX_BACKEND_ENV } from './sandbox.ts';

export async function onPostgres(name: string, load: () => Promise<unknown>): Promise<void> {
  if (!testServerUrl()) {
    test(`${name} on PostgreSQL`, { skip: `${TEST_DATABASE_URL_ENV} is not set (tools/postgres-cluster.sh start prints one)` }, () => {});
    return;
  }
  process.env[SANDBOX_BACKEND_ENV] = 'postgres';
  await load();
}
