/**
 * The Postman collection run as a partner would run it (Postman's own runtime, via Newman) against a real,
 * fresh sandbox on a loopback port: every request, in collection order, with only baseUrl, apiKey and
 * apiSecret set. Ids flow from the requests that create them; every request's tests pass.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TestSandbox } from '@starship/sandbox/test-support/sandbox';
import { bundledSpecPath } from '../../tools/repo.ts';
import { buildPostmanCollection } from './postman.ts';
import type { Json } from '@starship/contract';

interface NewmanExecution {
  item: { name: string };
  request: { method: string; url: { toString(): string } };
  response?: { code: number };
  assertions?: Array<{ assertion: string; error?: { message: string } }>;
}

interface NewmanSummary {
  run: {
    stats: Record<'requests' | 'assertions' | 'testScripts' | 'prerequestScripts', { total: number; failed: number }>;
    failures: Array<{ error: { message: string }; source?: { name?: string } }>;
    executions: NewmanExecution[];
  };
}

// Newman is CommonJS without type declarations; its run() is the documented library entry point.
const newman = createRequire(import.meta.url)('newman') as {
  run(options: Record<string, unknown>, done: (error: Error | null, summary: NewmanSummary) => void): void;
};

test('Newman runs the whole collection against a fresh sandbox: 0 failed requests, 0 failed assertions', { timeout: 120_000 }, async () => {
  const spec = JSON.parse(readFileSync(bundledSpecPath('starship'), 'utf8')) as Json;
  const collection = buildPostmanCollection(spec);
  const sandbox = await TestSandbox.start();
  try {
    const { partner } = await sandbox.partner();
    const summary = await new Promise<NewmanSummary>((resolve, reject) =>
      newman.run(
        {
          collection,
          envVar: [
            { key: 'baseUrl', value: sandbox.baseUrl },
            { key: 'apiKey', value: partner.api_key },
            { key: 'apiSecret', value: partner.api_secret },
          ],
          reporters: [],
          timeoutRequest: 10_000,
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      ),
    );
    const { stats, failures, executions } = summary.run;
    const report = executions.map((e) => `${e.request.method} ${e.request.url.toString()} → ${e.response?.code ?? 'no answer'}${(e.assertions ?? []).filter((a) => a.error).map((a) => `\n    ✗ ${a.assertion}: ${a.error!.message}`).join('')}`);
    assert.deepEqual(failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.message}`), [], report.join('\n'));
    const items = collection.item.flatMap((folder) => folder.item);
    assert.equal(stats.requests.total, items.length, 'every request ran');
    assert.equal(stats.requests.failed, 0);
    assert.equal(stats.testScripts.failed, 0);
    assert.equal(stats.prerequestScripts.failed, 0);
    assert.equal(stats.assertions.failed, 0);
    assert.ok(stats.assertions.total >= 2 * items.length, `${stats.assertions.total} assertions for ${items.length} requests`);
    // The chained ids are the ones the run created, not the spec's examples (which a fresh sandbox does not have).
    const order = executions.find((e) => e.item.name === 'Get an order' || /\/orders\/ord_/.test(e.request.url.toString()));
    assert.ok(order && order.response?.code === 200, report.join('\n'));
    // Nothing was delivered anywhere: the endpoint the collection registers is not subscribed before an order exists.
    assert.deepEqual(await sandbox.admin('GET', `/webhook-deliveries?partner_id=${partner.partner_id}`), []);
    sandbox.assertConforming();
  } finally {
    await sandbox.close();
  }
});
