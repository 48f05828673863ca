/** test-helpers.test.ts (every test helper through HTTP) on PostgreSQL. */
import { onPostgres } from './test-support/postgres-suites.ts';

await onPostgres('every test helper', () => import('./test-helpers.test.ts'));
