/**
 * Shared by the engine's tests: engines on a temp-dir SQLite file, on :memory: and — when
 * STARSHIP_TEST_DATABASE_URL names a PostgreSQL server — on a fresh PostgreSQL database; and the ledger invariant.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { sql } from 'kysely';
import type { C } from '../engine.ts';
import { ENCRYPTION_KEY_ENV } from '../db/encryption-key.ts';
import { createTestDatabase, testServerUrl } from './postgres-database.ts';
import { generateKey } from '../domain/voucher-crypto.ts';
import { openEngine } from '../engine/index.ts';

export type TestEngine = Awaited<ReturnType<typeof openEngine>>;
export type Backend = 'file' | 'memory' | 'postgres';
export const BACKENDS: readonly Backend[] = testServerUrl() ? ['file', 'memory', 'postgres'] : ['file', 'memory'];

/** A fresh engine; a file backend lives in its own temp dir, a postgres one in its own database, removed after the test. */
export async function startEngine(t: TestContext, backend: Backend, realNow?: () => number): Promise<TestEngine> {
  const location: { file?: string; databaseUrl?: string; env: NodeJS.ProcessEnv } = { file: ':memory:', env: {} };
  if (backend === 'file') {
    const dir = mkdtempSync(join(tmpdir(), 'starship-engine-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    location.file = join(dir, 'starship.db');
  } else if (backend === 'postgres') {
    const database = await createTestDatabase(testServerUrl()!);
    t.after(() => database.drop());
    location.databaseUrl = database.url;
    location.env = { [ENCRYPTION_KEY_ENV]: generateKey().toString('hex') };
  }
  const engine = await openEngine({ ...location, ...(realNow ? { realNow } : {}) });
  t.after(() => engine.close());
  return engine;
}

/** Registers `name` once per backend. */
export function backendTest(name: string, fn: (t: TestContext, engine: TestEngine) => Promise<void>, options: { realNow?: () => number } = {}): void {
  for (const backend of BACKENDS) {
    test(`${name} [${backend}]`, async (t) => {
      const engine = await startEngine(t, backend, options.realNow);
      await fn(t, engine);
      await assertLedgerMatchesBalances(engine);
    });
  }
}

export async function newPartner(engine: TestEngine, wallets = [{ currency: 'USD', balance: '1000.00' }]) {
  return engine.createPartner({ name: 'Test Partner', wallets });
}

/** Every wallet's balance equals the sum of its ledger, and its last ledger row's balance_after. */
export async function assertLedgerMatchesBalances(engine: TestEngine): Promise<void> {
  const { db } = engine.context;
  const sums = await db
    .selectFrom('ledger_transactions')
    .select(['partner_id', 'currency', sql<number>`sum(delta_minor)`.as('sum')])
    .groupBy(['partner_id', 'currency'])
    .execute();
  const wallets = await db.selectFrom('wallets').selectAll().execute();
  for (const wallet of wallets) {
    const sum = sums.find((s) => s.partner_id === wallet.partner_id && s.currency === wallet.currency);
    assert.equal(Number(sum?.sum ?? 0), Number(wallet.balance_minor), `ledger of ${wallet.partner_id} ${wallet.currency}`);
    const last = await db
      .selectFrom('ledger_transactions')
      .select('balance_after_minor')
      .where('partner_id', '=', wallet.partner_id)
      .where('currency', '=', wallet.currency)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (last) assert.equal(Number(last.balance_after_minor), Number(wallet.balance_minor));
  }
  assert.equal(sums.length <= wallets.length, true, 'no ledger rows without a wallet');
}

export async function balanceOf(engine: TestEngine, partnerId: string, currency = 'USD'): Promise<string | undefined> {
  const { items } = await engine.listWallets(partnerId, {});
  return items.find((w) => w.currency === currency)?.balance;
}

/** Asserts the promise rejects with this ApiError code (and status). */
export async function rejectsWith(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    const e = error as { status?: number; code?: string };
    assert.equal(e.code, code);
    assert.equal(e.status, status);
    return true;
  });
}

/** A partner-API request-log entry as the HTTP layer records it. */
export function logEntry(n: number, partnerId: string | null, operationId: string | null, at: string): C['RequestLogEntry'] {
  return {
    id: `req_01KP5M2W6R74S2EBKC5APW9T${String(n).padStart(2, '0')}`,
    at,
    partner_id: partnerId,
    method: 'GET',
    path: '/api/v1/products',
    operation_id: operationId,
    status: 200,
    error_code: null,
    trace_id: `trace-${n}`,
    duration_ms: 3,
    verdicts: {
      auth: { result: 'PASS', reason: null },
      ip: { result: 'PASS', client_ip: '127.0.0.1', reason: null },
      rate_limit: { result: 'PASS', class: 'PRODUCT_LIST', limit: 100, remaining: 99 },
      signature: { result: 'NOT_APPLICABLE', canonical_string: null, reason: null },
      idempotency: { key: null, result: 'NOT_APPLICABLE' },
    },
  };
}
