/** SIGKILL under a load of signed orders, restart on the same file (crash.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCrash } from './crash.ts';
import { CRASH } from './settings.ts';

test('after SIGKILL mid-load: acknowledged orders kept with their status, nothing half-written, one order per key, events in the outbox', async () => {
  const figures = await runCrash(CRASH);
  assert.deepEqual(figures.violations, []);
  assert.ok(figures.acknowledged_2xx >= CRASH.runs * CRASH.killAfterOk);
  assert.equal(figures.orders_after_restart, figures.acknowledged_2xx + figures.retried_after_restart);
  assert.ok(figures.outbox_checked, 'the database has no webhook outbox to check');
});
