/**
 * createEngine: the Engine (mock-server/engine.ts) over a Kysely database. Startup migrates the schema,
 * seeds the catalog and its initial stock on first start, checks the encryption key against the database
 * and loads the clock offset. `openEngine` adds opening the database file and loading the key.
 */
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { openDatabase, DEFAULT_DB_FILE } from '../db/connect.ts';
import { ENCRYPTION_KEY_ENV, loadEncryptionKey } from '../db/encryption-key.ts';
import { generateReportSigningKey, loadReportSigningKey, REPORT_SIGNING_KEY_ENV } from '../db/report-signing-key.ts';
import { migrateToLatest } from '../db/migrations.ts';
import { lockForStartup, openPostgres } from '../db/postgres.ts';
import type { Database } from '../db/schema.ts';
import type { Engine } from '../engine.ts';
import { Catalog } from './catalog.ts';
import { Certification } from './certification.ts';
import { VirtualClock } from './clock.ts';
import { EngineContext } from './context.ts';
import { invalid } from './errors.ts';
import { FaultBook } from './faults.ts';
import { IdempotencyStore } from './idempotency.ts';
import { cancelOrder, failOrder, fulfillOrderFromVendor, retryOrder } from './order-actions.ts';
import { getOrder, listOrders, placeOrder, simulateOrder } from './orders.ts';
import { createPartner, findPartnerByApiKey, fundWallet } from './partners.ts';
import { calculateCharges, checkAvailability, getProduct, listCategories, listProducts } from './products.ts';
import { pumpInventory } from './pump.ts';
import { getReconciliation, injectReconciliationDrift } from './reconciliation.ts';
import { RequestLog } from './request-log.ts';
import { resetSandbox } from './reset.ts';
import { checkKey, ensureInitialStock, seedCatalog } from './seed.ts';
import { sharedRateWindows } from './rate-limit-windows.ts';
import { readSettings, requireOperationEnabled, updateSettings } from './settings.ts';
import { listTransactions, listWallets } from './wallets.ts';
import { setWalletThreshold } from './wallet-thresholds.ts';
import { injectWebhookFault, listDeliveries } from './deliveries.ts';
import { WebhookDispatcher } from '../webhook-dispatcher/dispatcher.ts';
import { deleteWebhook, listWebhooks, rotateWebhookSecret, updateWebhook, upsertWebhook } from './webhooks.ts';

export interface EngineOptions {
  db: Kysely<Database>;
  /** 32-byte AES-256-GCM key for secrets at rest (db/encryption-key.ts). */
  encryptionKey: Buffer;
  /** Real time in ms; the virtual clock adds its offset. For tests. */
  realNow?: () => number;
  /** Ed25519 key certification reports are signed with (db/report-signing-key.ts); a fresh one when absent. */
  reportSigningKey?: KeyObject;
}

/** Seconds advanceClock accepts in one call (one year, as the control API's schema). */
export const MAX_ADVANCE_SECONDS = 31_536_000;

export async function createEngine(options: EngineOptions): Promise<Engine & { readonly context: EngineContext }> {
  const { db } = options;
  await migrateToLatest(db);
  await db.transaction().execute(async (trx) => {
    await lockForStartup(trx);
    await seedCatalog(trx);
  });
  const clock = new VirtualClock(options.realNow);
  await clock.load(db);
  const ctx = new EngineContext(db, options.encryptionKey, clock, await Catalog.load(db));
  if (ctx.shared) clock.share(db);
  await db.transaction().execute(async (trx) => {
    await lockForStartup(trx);
    await checkKey(ctx, trx);
    await ensureInitialStock(ctx, trx);
  });
  const idempotency = new IdempotencyStore(ctx);
  const requestLog = new RequestLog(ctx);
  const faults = new FaultBook(ctx);
  let dispatcher = new WebhookDispatcher(ctx);

  const clockView = () => ({ now: clock.nowIso(), offset_seconds: clock.offsetSeconds });

  const engine: Engine & { readonly context: EngineContext } = {
    context: ctx,
    clock,
    shared: ctx.shared,
    ...(ctx.shared ? { sharedRateWindows: sharedRateWindows(ctx) } : {}),

    findPartnerByApiKey: (apiKey) => findPartnerByApiKey(ctx, apiKey),

    claimIdempotencyKey: (scope) => idempotency.claim(scope),
    releaseIdempotencyKey: (scope) => idempotency.release(scope),
    completeIdempotencyKey: async (scope, response) => {
      if (idempotency.isCompleted(scope)) return;
      await idempotency.complete(db, scope, response);
      idempotency.completed(scope);
    },

    listCategories: async (query) => listCategories(ctx, query),
    listProducts: (query) => listProducts(ctx, query),
    getProduct: (productId) => getProduct(ctx, productId),
    checkAvailability: (productId, body) => checkAvailability(ctx, productId, body),
    calculateCharges: (_partnerId, body) => calculateCharges(ctx, body),

    placeOrder: async (partnerId, body, scope) => {
      const order = await placeOrder(ctx, idempotency, partnerId, body, scope);
      // Committed: the stored record answers the key from now on.
      if (scope) idempotency.completed(scope);
      return order;
    },
    listOrders: (partnerId, query) => listOrders(ctx, partnerId, query),
    getOrder: (partnerId, orderId) => getOrder(ctx, partnerId, orderId),
    simulateOrder: (partnerId, body) => simulateOrder(ctx, partnerId, body),

    listWallets: (partnerId, query) => listWallets(db, partnerId, query),
    listTransactions: (partnerId, query) => listTransactions(db, partnerId, query),

    upsertWebhook: (partnerId, body) => upsertWebhook(ctx, partnerId, body),
    listWebhooks: (partnerId, query) => listWebhooks(ctx, partnerId, query),
    updateWebhook: (partnerId, webhookId, body) => updateWebhook(ctx, partnerId, webhookId, body),
    deleteWebhook: (partnerId, webhookId) => deleteWebhook(ctx, partnerId, webhookId),
    rotateWebhookSecret: (partnerId, webhookId) => rotateWebhookSecret(ctx, partnerId, webhookId),
    getReconciliation: (partnerId, date) => getReconciliation(ctx, partnerId, date),

    createPartner: (body) => createPartner(ctx, body),
    fundWallet: (partnerId, body) => fundWallet(ctx, partnerId, body),
    pumpInventory: (body) => pumpInventory(ctx, body),
    retryOrder: (orderId) => retryOrder(ctx, orderId),
    fulfillOrderFromVendor: (orderId, body) => fulfillOrderFromVendor(ctx, orderId, body),
    cancelOrder: (orderId, body) => cancelOrder(ctx, orderId, body),
    failOrder: (orderId, body) => failOrder(ctx, orderId, body),
    getClock: async () => clockView(),
    advanceClock: async (seconds) => {
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_ADVANCE_SECONDS) {
        throw invalid(`seconds must be an integer between 1 and ${MAX_ADVANCE_SECONDS}`);
      }
      await clock.advance(db, seconds);
      // Retries the jump made due are attempted now, not at the next poll.
      ctx.outbox.notify();
      return clockView();
    },
    getSettings: () => readSettings(db),
    requireOperationEnabled: (operationId) => requireOperationEnabled(db, operationId),
    updateSettings: (patch) => updateSettings(ctx, patch),
    resetSandbox: async () => {
      // Buffered entries belong to requests before the reset: written first, so the reset wipes them too.
      await requestLog.flush();
      try {
        await resetSandbox(ctx);
      } finally {
        faults.forget();
      }
    },

    injectFault: (body) => faults.inject(body),
    takeFault: (operationId, path, partnerId) => faults.take(operationId, path, partnerId),
    logRequest: (entry) => requestLog.append(entry),
    listRequests: (query) => requestLog.list(query),

    startWebhookDelivery: (deliveryOptions = {}) => {
      if (dispatcher.running) return;
      dispatcher = new WebhookDispatcher(ctx, deliveryOptions);
      dispatcher.start();
    },
    listWebhookDeliveries: (query) => listDeliveries(ctx, query),
    replayWebhookDelivery: (deliveryId) => dispatcher.replay(deliveryId),
    injectWebhookFault: (body) => injectWebhookFault(ctx, body),
    injectReconciliationDrift: (body) => injectReconciliationDrift(ctx, body),
    setWalletThreshold: (partnerId, currency, body) => setWalletThreshold(ctx, partnerId, currency, body),

    createCertificationSession: (body) => certification.create(body),
    gradeCertificationSession: (sessionId, body) => certification.grade(sessionId, body),
    getReportSigningKey: async () => certification.signingKeyInfo(),
    certificationWitness: (apiKey) => certification.witness(apiKey),

    close: async () => {
      try {
        await certification.close();
        await dispatcher.stop();
        await requestLog.flush();
      } finally {
        await db.destroy();
      }
    },
  };
  const certification = new Certification(engine, options.reportSigningKey ?? generateReportSigningKey());
  return engine;
}

export interface OpenEngineOptions {
  /** SQLite file, or `:memory:` (the embedded default). */
  file?: string;
  /** A PostgreSQL URL instead of a file: several instances share its state. */
  databaseUrl?: string;
  /** Pool connections on PostgreSQL (db/postgres.ts's default when absent). */
  poolSize?: number;
  env?: NodeJS.ProcessEnv;
  realNow?: () => number;
}

/**
 * Opens (or creates) the sandbox database — a SQLite file, `:memory:`, or a PostgreSQL URL — with its key,
 * and starts the engine on it. Instances sharing PostgreSQL must share the key, so it comes from
 * STARSHIP_ENCRYPTION_KEY there (a key file beside the database only exists for SQLite).
 */
export async function openEngine(options: OpenEngineOptions = {}) {
  const env = options.env ?? process.env;
  const file = options.file ?? DEFAULT_DB_FILE;
  if (options.databaseUrl && !env[ENCRYPTION_KEY_ENV]) {
    throw new Error(`${ENCRYPTION_KEY_ENV} must be set with a database URL: every instance on that database needs the same key`);
  }
  // The database first: opening a file creates its directory, where the key file lives.
  const db = options.databaseUrl ? openPostgres({ url: options.databaseUrl, ...(options.poolSize ? { poolSize: options.poolSize } : {}) }) : openDatabase({ file });
  try {
    const encryptionKey = loadEncryptionKey({ file, env });
    // Instances sharing PostgreSQL share a report key only through the environment; alone, each makes its own.
    const reportSigningKey = options.databaseUrl && !env[REPORT_SIGNING_KEY_ENV] ? generateReportSigningKey() : loadReportSigningKey({ file, env });
    return await createEngine({ db, encryptionKey, reportSigningKey, ...(options.realNow ? { realNow: options.realNow } : {}) });
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
