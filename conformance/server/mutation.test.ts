/**
 * Proof of teeth: every deliberately broken sandbox (mutants/catalog.ts) makes at least one check FAIL that
 * PASSes on the same sandbox unbroken. Mutants run in a few lanes at once, each with the whole suite (RATE
 * included) up to the first such FAIL. A lane reuses one :memory: sandbox for the mutants that only sit in
 * front of it (one at a time, each certifying a partner of its own); a mutant that wraps the engine gets a
 * sandbox of its own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSuite, type RunHooks, type SuiteRun } from './runner.ts';
import type { CheckOutcome } from './types.ts';
import { MUTANTS } from '../test-support/mutants/catalog.ts';
import { startMutant, startUpstream, type Mutant, type Upstream } from '../test-support/mutants/harness.ts';

const CONCURRENCY = 4;

async function certify(mutant: Mutant | undefined, upstream: Upstream, stopAfter?: RunHooks['stopAfter']): Promise<SuiteRun> {
  const sandbox = await startMutant(mutant, upstream);
  try {
    return await runSuite(
      {
        baseUrl: `${sandbox.origin}/api/v1`,
        ...sandbox.credentials,
        sandboxUrl: sandbox.origin,
        adminToken: sandbox.adminToken,
        includeRateLimits: true,
        webhookTimeoutMs: 3_000,
      },
      stopAfter ? { stopAfter } : {},
    );
  } finally {
    await sandbox.close();
  }
}

test('every mutant of the sandbox is caught by a FAIL (kill rate 100 %)', { timeout: 240_000 }, async () => {
  const started = Date.now();
  assert.ok(MUTANTS.length >= 15, `only ${MUTANTS.length} mutants`);
  const killers = new Map<string, string[]>();
  const failingOnBaseline: string[] = [];
  const lanes = await Promise.all(Array.from({ length: CONCURRENCY }, () => startUpstream()));
  try {
    const baseline = await certify(undefined, lanes[0]!);
    const passing = new Set(baseline.outcomes.filter((o) => o.result === 'PASS').map((o) => o.id));
    const kills = (o: CheckOutcome) => o.result === 'FAIL' && passing.has(o.id);
    const queue = [...MUTANTS];
    // allSettled: the lanes must not close while another lane is still certifying through them.
    const settled = await Promise.allSettled(
      lanes.map(async (lane) => {
        for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
          const own = mutant.engine ? await startUpstream(mutant.engine) : undefined;
          try {
            killers.set(mutant.name, (await certify(mutant, own ?? lane, kills)).outcomes.filter(kills).map((o) => o.id));
          } finally {
            await own?.close();
          }
        }
      }),
    );
    for (const result of settled) if (result.status === 'rejected') throw result.reason;
    failingOnBaseline.push(...baseline.outcomes.filter((o) => o.result === 'FAIL').map((o) => `${o.id}: ${o.detail.split('\n')[0]}`));
  } finally {
    await Promise.all(lanes.map((lane) => lane.close()));
  }

  const killed = MUTANTS.filter((m) => (killers.get(m.name) ?? []).length > 0);
  const lines = MUTANTS.map((m) => {
    const by = killers.get(m.name) ?? [];
    return `  ${by.length > 0 ? 'KILLED  ' : 'SURVIVED'} ${m.name.padEnd(28)} ${m.breaks}${by.length > 0 ? ` — ${by.join(', ')}` : ''}`;
  });
  const rate = (100 * killed.length) / MUTANTS.length;
  console.log(`mutation test: ${killed.length}/${MUTANTS.length} mutants killed (kill rate ${rate.toFixed(0)} %) in ${((Date.now() - started) / 1000).toFixed(1)} s\n${lines.join('\n')}`);
  assert.equal(rate, 100, `survivors: ${MUTANTS.filter((m) => !killed.includes(m)).map((m) => m.name).join(', ')}${failingOnBaseline.length ? `\nchecks failing on the unbroken sandbox (they cannot kill): ${failingOnBaseline.join('; ')}` : ''}`);
});
