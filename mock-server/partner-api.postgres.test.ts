/** partner-api.test.ts (every partner operation through HTTP) on PostgreSQL. */
import { onPostgres } from './test-support/postgres-suites.ts';

await onPostgres('every partner operation', () => import('./partner-api.test.ts'));
