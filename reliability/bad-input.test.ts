/**
 * ≥10,000 generated bad requests across every partner and control operation, plus header injection on raw
 * sockets, against the sandbox as a child process (bad-input.ts). Seeded: RELIABILITY_SEED replays a run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { targets } from './bad-input-cases.ts';
import { runBadInput, type BadInputFigures } from './bad-input.ts';
import { SandboxClient } from './http.ts';
import { spawnSandbox, type SandboxProcess } from './sandbox-process.ts';
import { BAD_INPUT } from './settings.ts';

let sandbox: SandboxProcess;
let dir: string;
let figures: BadInputFigures;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'starship-bad-input-'));
  sandbox = await spawnSandbox({ db: path.join(dir, 'sandbox.db') });
  const client = new SandboxClient(sandbox.origin, sandbox.adminToken);
  figures = await runBadInput({ client, ...BAD_INPUT, serverLog: () => sandbox.output().stderr });
  client.agent.destroy();
});
after(async () => {
  await sandbox?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('at least 10,000 generated requests reached every partner and control operation, header injection on top', () => {
  assert.ok(figures.generated >= BAD_INPUT.total, `${figures.generated} generated`);
  assert.equal(figures.operations, targets().length);
  assert.ok(figures.header_injection >= BAD_INPUT.injections);
  for (const [kind, counts] of Object.entries(figures.by_kind)) assert.ok(counts.sent > 0, `no ${kind} requests were sent`);
});

test('no 5xx, every error in the envelope with a well-formed code, contract breaches rejected, no server error logged', () => {
  assert.equal(figures.status_5xx, 0);
  assert.deepEqual(figures.violations, []);
});

test('the sandbox answered health probes throughout and after', () => {
  assert.ok(figures.health.probes > 0);
  assert.equal(figures.health.failures, 0);
});

test('every error code is one the spec documents for the operation (or, off every operation, for the API)', () => {
  assert.deepEqual(figures.undocumented_examples, []);
});
