/**
 * The whole suite, RATE included, against our sandbox on loopback with the control API: nothing fails,
 * warns or skips, and it finishes in under 30 s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_TOKEN, TestSandbox } from '@starship/sandbox/test-support/sandbox';
import { runSuite } from './runner.ts';

test('the sandbox passes every check in under 30 s', { timeout: 120_000 }, async () => {
  const sandbox = await TestSandbox.start();
  try {
    const { partner } = await sandbox.partner();
    const run = await runSuite({
      baseUrl: sandbox.baseUrl,
      apiKey: partner.api_key,
      apiSecret: partner.api_secret,
      sandboxUrl: sandbox.sandbox.origin,
      adminToken: ADMIN_TOKEN,
      includeRateLimits: true,
    });
    console.log(`conformance server against the sandbox: ${run.outcomes.length} checks, ${run.exchanges} responses and ${run.webhooks} webhooks audited in ${(run.durationMs / 1000).toFixed(1)} s`);
    const notPassing = run.outcomes.filter((o) => o.result !== 'PASS').map((o) => `${o.result} ${o.id}: ${o.detail}`);
    assert.deepEqual(notPassing, []);
    assert.ok(run.durationMs < 30_000, `the suite took ${run.durationMs} ms`);
  } finally {
    await sandbox.close();
  }
});
