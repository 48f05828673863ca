/**
 * Against `prism mock` of the bundled spec (an implementation we did not write, with no business logic):
 * every check that needs only the spec passes, and every other one ends as the README's table documents.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { bundledSpecPath } from '../../tools/repo.ts';
import { startPrism, type RunningPrism } from '../../tools/prism.ts';
import { runSuite, type SuiteRun } from './runner.ts';

let prism: RunningPrism;
let run: SuiteRun;

before(async () => {
  prism = await startPrism(bundledSpecPath('starship'));
  // Prism serves the spec's paths at its root; the real API and the sandbox serve them under /api/v1.
  run = await runSuite({ baseUrl: prism.origin, apiKey: 'pk_test_prism', apiSecret: 'sk_test_prism', webhookTimeoutMs: 1_000 });
});
after(() => prism?.stop());

function documentedOutcomes(): Map<string, string> {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('## Against `prism mock`'));
  const rows = new Map<string, string>();
  for (const match of table.matchAll(/^\| `([A-Z]+-[A-Z0-9-]+)` \| (PASS|FAIL|WARN|SKIP) \| .+ \|$/gm)) rows.set(match[1]!, match[2]!);
  return rows;
}

test('every check that needs only the spec passes against prism mock', () => {
  const failing = run.outcomes.filter((o) => o.needs === 'spec' && o.result !== 'PASS').map((o) => `${o.id} ${o.result}: ${o.detail}`);
  assert.deepEqual(failing, []);
});

test('every other check ends as README.md documents for prism mock', () => {
  const documented = documentedOutcomes();
  const others = run.outcomes.filter((o) => o.needs !== 'spec');
  assert.deepEqual([...documented.keys()].sort(), others.map((o) => o.id).sort(), 'the README table lists exactly the checks that need more than the spec');
  const differing = others.filter((o) => documented.get(o.id) !== o.result).map((o) => `${o.id}: documented ${documented.get(o.id)}, got ${o.result} (${o.detail.split('\n')[0]})`);
  assert.deepEqual(differing, []);
});

test('Prism reads the spec\'s input enums as the API does: any case accepted, an unknown value refused', async () => {
  const headers = { 'X-API-Key': 'pk_test_prism', 'X-API-Secret': 'sk_test_prism' };
  for (const query of ['status=pending', 'status=Delivered', 'status=PENDING']) {
    const response = await fetch(`${prism.origin}/orders?${query}`, { headers });
    assert.equal(response.status, 200, `GET /orders?${query}: ${await response.text()}`);
  }
  assert.equal((await fetch(`${prism.origin}/transactions?type=debit`, { headers })).status, 200);
  assert.equal((await fetch(`${prism.origin}/orders?status=shipped`, { headers })).status, 400);
});
