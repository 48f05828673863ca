/** 500 racing requests on one Idempotency-Key; 2,000 orders against a pool of 1,000 vouchers (concurrency.ts). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runIdempotencyRace, runVoucherPool } from './concurrency.ts';
import { spawnSandbox, type SandboxProcess } from './sandbox-process.ts';
import { CONCURRENCY } from './settings.ts';

let sandbox: SandboxProcess;
let dir: string;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'starship-concurrency-'));
  sandbox = await spawnSandbox({ db: path.join(dir, 'sandbox.db') });
});
after(async () => {
  await sandbox?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('500 concurrent POST /orders with one Idempotency-Key: one order, one debit, the rest replays or 409', async () => {
  const figures = await runIdempotencyRace(sandbox.origin, sandbox.adminToken, CONCURRENCY.idempotencyRequests);
  assert.deepEqual(figures.violations, []);
  assert.equal(figures.requests, CONCURRENCY.idempotencyRequests);
  assert.equal(figures.originals, 1);
  assert.equal(figures.replays + figures.in_use_409, CONCURRENCY.idempotencyRequests - 1);
  assert.equal(figures.orders, 1);
  assert.equal(figures.debits, 1);
});

test('2,000 concurrent orders against 1,000 vouchers: exactly 1,000 delivered, no code twice, wallets equal ledgers', async () => {
  const figures = await runVoucherPool(sandbox.origin, sandbox.adminToken, { orders: CONCURRENCY.poolOrders, pool: CONCURRENCY.pool, partners: CONCURRENCY.partners });
  assert.deepEqual(figures.violations, []);
  assert.deepEqual(figures.statuses, { 200: CONCURRENCY.poolOrders });
  assert.equal(figures.units_delivered, CONCURRENCY.pool);
  assert.equal(figures.distinct_voucher_codes, CONCURRENCY.pool);
  assert.equal(figures.units_pending, CONCURRENCY.poolOrders - CONCURRENCY.pool);
  assert.equal(figures.inventory_left, false);
});
