/** money-bounds.test.ts (no amount or balance leaves the contract's range) on PostgreSQL. */
import { onPostgres } from './test-support/postgres-suites.ts';

await onPostgres('money bounds', () => import('./money-bounds.test.ts'));
