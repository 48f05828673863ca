/**
 * createEngine: the Engine (mock-server/engine.ts) over a Kysely database. Startup migrates the schema,
 * seeds the catalog on first start, checks the encryption key against the database, plants the initial stock
 * of partners that have none yet and loads the clock offsets. `openEngine` adds opening the database file and
 * loading the key. Work on one partner's objects runs with that partner's context (its test clock).
 */
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { openDatabase, DEFAULT_DB_FILE } from '../db/connect.ts';
import { generateCatalog } from '../domain/catalog-seed.ts';
import { ENCRYPTION_KEY_ENV, loadEncryptionKey } from '../db/encryption-key.ts';
import { generateReportSigningKey, loadReportSigningKey, REPORT_SIGNING_KEY_ENV } from '../db/report-signing-key.ts';
import { migrateToLatest, pendingMigrations } from '../db/migrations.ts';
import { SignatureUses } from './signature-uses.ts';
import { lockForStartup, openPostgres } from '../db/postgres.ts';
import type { Database } from '../db/schema.ts';
import type { C, Engine } from '../engine.ts';
import { Catalog } from './catalog.ts';
import { Certification } from './certification.ts';
import { VirtualClock } from './clock.ts';
import { EngineContext } from './context.ts';
import { invalid } from './errors.ts';
import { eventsAfter, holdEventStream, latestEventSeq } from './event-stream.ts';
import { FaultBook } from './faults.ts';
import { IdempotencyStore } from './idempotency.ts';
import { cancelOrder, deliverOrder, failOrder, fulfillOrderFromVendor, retryOrder } from './order-actions.ts';
import { getOrder, listOrders, placeOrder, simulateOrder } from './orders.ts';
import { advancePartnerClock, createPartner, findPartnerByApiKey, fundWallet, requirePartner } from './partners.ts';
import { calculateCharges, checkAvailability, getProduct, listCategories, listProducts } from './products.ts';
import { pumpInventory } from './pump.ts';
import { getReconciliation, injectReconciliationDrift } from './reconciliation.ts';
import { RequestLog } from './request-log.ts';
import { resetSandbox } from './reset.ts';
import { checkKey, plantMissingStock, seedCatalog } from './seed.ts';
import { SeedStock } from './seed-stock.ts';
import { triggerEvent } from './trigger.ts';
import { sharedRateWindows } from './rate-limit-windows.ts';
import { readSettings, requireOperationEnabled, updateSettings } from './settings.ts';
import { listTransactions, listWallets } from './wallets.ts';
import { setWalletThreshold } from './wallet-thresholds.ts';
import { injectWebhookFault, listDeliveries } from './deliveries.ts';
import type { WebhookHosting } from '../domain/webhook-url-policy.ts';
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
  /** Reports say they come from a practice sandbox (`starship conformance partner` run locally). */
  practice?: boolean;
  /** Hosted mode's webhook URL guard and the per-partner endpoint cap; local defaults when absent. */
  webhooks?: WebhookHosting;
  /**
   * Products a new database's catalog is seeded with (domain/catalog-seed.ts; 200 when absent). A database
   * seeded with another size refuses to start with it, rather than serving a catalog other than the one asked for.
   */
  catalogSize?: number;
}

/** Seconds advanceClock accepts in one call (one year, as the control API's schema). */
export const MAX_ADVANCE_SECONDS = 31_536_000;

export async function createEngine(options: EngineOptions): Promise<Engine & { readonly context: EngineContext }> {
  const { db } = options;
  await migrateToLatest(db);
  await db.transaction().execute(async (trx) => {
    await lockForStartup(trx);
    await seedCatalog(trx, () => generateCatalog(options.catalogSize));
  });
  const clock = new VirtualClock(options.realNow);
  await clock.load(db);
  const catalog = await Catalog.load(db);
  if (options.catalogSize !== undefined && catalog.size !== options.catalogSize) {
    throw new Error(`This database's catalog has ${catalog.size} products; a catalog size is chosen when a database is created (use a new database for ${options.catalogSize}).`);
  }
  // Every partner's pools are seeded from the catalog's own plan, generated at the catalog's size.
  const ctx = new EngineContext({
    db,
    key: options.encryptionKey,
    sandboxClock: clock,
    catalog,
    seedStock: new SeedStock(generateCatalog(catalog.size).inventory),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  });
  if (ctx.shared) clock.share(db);
  await ctx.partnerClocks.load(db);
  await db.transaction().execute(async (trx) => {
    await lockForStartup(trx);
    await checkKey(ctx, trx);
    await plantMissingStock(ctx, trx);
  });
  const idempotency = new IdempotencyStore(ctx);
  const requestLog = new RequestLog(ctx);
  const faults = new FaultBook(ctx);
  const signatureUses = new SignatureUses(ctx);
  let dispatcher = new WebhookDispatcher(ctx);

  const clockView = async (partnerId?: string): Promise<C['Clock']> => {
    if (partnerId === undefined) return { now: clock.nowIso(), offset_seconds: clock.offsetSeconds, partner_id: null };
    const time = (await ctx.forPartner(partnerId)).clock;
    return { now: time.nowIso(), offset_seconds: time.offsetSeconds, partner_id: partnerId };
  };
  const partner = (partnerId: string) => ctx.forPartner(partnerId);

  const engine: Engine & { readonly context: EngineContext } = {
    context: ctx,
    clock,
    shared: ctx.shared,
    ...(ctx.shared ? { sharedRateWindows: sharedRateWindows(ctx) } : {}),

    findPartnerByApiKey: (apiKey) => findPartnerByApiKey(ctx, apiKey),

    claimIdempotencyKey: async (scope) => idempotency.claim(scope, (await partner(scope.partnerId)).clock),
    releaseIdempotencyKey: (scope) => idempotency.release(scope),
    completeIdempotencyKey: async (scope, response) => {
      if (idempotency.isCompleted(scope)) return;
      await idempotency.complete(db, scope, response, (await partner(scope.partnerId)).clock);
      idempotency.completed(scope);
    },

    listCategories: async (query) => listCategories(ctx, query),
    listProducts: async (partnerId, query) => listProducts(await partner(partnerId), partnerId, query),
    getProduct: async (partnerId, productId) => getProduct(await partner(partnerId), partnerId, productId),
    checkAvailability: async (partnerId, productId, body) => checkAvailability(await partner(partnerId), partnerId, productId, body),
    calculateCharges: async (partnerId, body) => calculateCharges(await partner(partnerId), partnerId, body),

    placeOrder: async (partnerId, body, scope) => {
      const order = await placeOrder(await partner(partnerId), idempotency, partnerId, body, scope);
      // Committed: the stored record answers the key from now on.
      if (scope) idempotency.completed(scope);
      return order;
    },
    listOrders: (partnerId, query) => listOrders(ctx, partnerId, query),
    getOrder: (partnerId, orderId) => getOrder(ctx, partnerId, orderId),
    simulateOrder: async (partnerId, body) => simulateOrder(await partner(partnerId), partnerId, body),

    listWallets: (partnerId, query) => listWallets(db, partnerId, query),
    listTransactions: (partnerId, query) => listTransactions(db, partnerId, query),

    upsertWebhook: async (partnerId, body) => upsertWebhook(await partner(partnerId), partnerId, body),
    listWebhooks: (partnerId, query) => listWebhooks(ctx, partnerId, query),
    updateWebhook: async (partnerId, webhookId, body) => updateWebhook(await partner(partnerId), partnerId, webhookId, body),
    deleteWebhook: (partnerId, webhookId) => deleteWebhook(ctx, partnerId, webhookId),
    rotateWebhookSecret: async (partnerId, webhookId) => rotateWebhookSecret(await partner(partnerId), partnerId, webhookId),
    getReconciliation: async (partnerId, date) => getReconciliation(await partner(partnerId), partnerId, date),

    createPartner: (body) => createPartner(ctx, body),
    fundWallet: async (partnerId, body) => fundWallet(await partner(partnerId), partnerId, body),
    pumpInventory: (body) => pumpInventory(ctx, body),
    retryOrder: (orderId) => retryOrder(ctx, orderId),
    fulfillOrderFromVendor: (orderId, body) => fulfillOrderFromVendor(ctx, orderId, body),
    cancelOrder: (orderId, body, scope) => cancelOrder(ctx, orderId, body, scope),
    failOrder: (orderId, body, scope) => failOrder(ctx, orderId, body, scope),
    deliverOrder: (orderId, body, scope) => deliverOrder(ctx, orderId, body, scope),
    getClock: async (partnerId) => {
      if (partnerId !== undefined) await requirePartner(ctx, partnerId);
      return clockView(partnerId);
    },
    advanceClock: async (seconds, partnerId) => {
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_ADVANCE_SECONDS) {
        throw invalid(`seconds must be an integer between 1 and ${MAX_ADVANCE_SECONDS}`);
      }
      if (partnerId === undefined) {
        await clock.advance(db, seconds);
        // Retries the jump made due are attempted now, not at the next poll.
        ctx.outbox.notify();
      } else {
        await advancePartnerClock(ctx, partnerId, seconds);
      }
      return clockView(partnerId);
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
    tailRequests: (partnerId, query) => requestLog.tail(partnerId, query),

    startWebhookDelivery: (deliveryOptions = {}) => {
      if (dispatcher.running) return;
      dispatcher = new WebhookDispatcher(ctx, deliveryOptions);
      dispatcher.start();
    },
    listWebhookDeliveries: (query) => listDeliveries(ctx, query),
    replayWebhookDelivery: (deliveryId, scope = {}) => dispatcher.replay(deliveryId, scope.partnerId),
    injectWebhookFault: (body) => injectWebhookFault(ctx, body),
    injectReconciliationDrift: (body) => injectReconciliationDrift(ctx, body),
    setWalletThreshold: (partnerId, currency, body) => setWalletThreshold(ctx, partnerId, currency, body),

    triggerEvent: (partnerId, eventType) => triggerEvent(ctx, idempotency, partnerId, eventType),
    latestEventSeq: (partnerId) => latestEventSeq(ctx, partnerId),
    eventsAfter: (partnerId, after, limit, types) => eventsAfter(ctx, partnerId, after, limit, types),
    holdEventStream: (partnerId, untilMs) => holdEventStream(ctx, partnerId, untilMs),
    onEvents: (listener) => ctx.outbox.on(listener),

    createCertificationSession: (body, owner) => certification.create(body, owner),
    gradeCertificationSession: (sessionId, body, owner) => certification.grade(sessionId, body, owner),
    getReportSigningKey: async () => certification.signingKeyInfo(),
    certificationWitness: (apiKey) => certification.witness(apiKey),

    pendingMigrations: () => pendingMigrations(db),
    enterPartnerRequest: () => ctx.resetGate.enter(),
    recordSignatureUse: (input) => signatureUses.record(input),
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
  const certification = new Certification(engine, options.reportSigningKey ?? generateReportSigningKey(), { practice: options.practice ?? false });
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
  practice?: boolean;
  webhooks?: WebhookHosting;
  catalogSize?: number;
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
    return await createEngine({
      db,
      encryptionKey,
      reportSigningKey,
      ...(options.realNow ? { realNow: options.realNow } : {}),
      ...(options.practice ? { practice: true } : {}),
      ...(options.webhooks ? { webhooks: options.webhooks } : {}),
      ...(options.catalogSize !== undefined ? { catalogSize: options.catalogSize } : {}),
    });
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
