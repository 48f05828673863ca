/** protocol.test.ts (idempotency, signatures, rate limits, the request log) on PostgreSQL: state those keep in the database there. */
import { onPostgres } from './test-support/postgres-suites.ts';

await onPostgres('the partner API protocol', () => import('./protocol.test.ts'));
