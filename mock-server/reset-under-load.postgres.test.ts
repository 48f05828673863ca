/** reset-under-load.test.ts (resetSandbox while orders run) on PostgreSQL. */
import { onPostgres } from './test-support/postgres-suites.ts';

await onPostgres('reset under load', () => import('./reset-under-load.test.ts'));
