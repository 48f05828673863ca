/**
 * Schema migrations, provided in code (no migration folder to ship) and run by Kysely's Migrator at
 * startup. Only the schema builder is used, so the same migrations run on PostgreSQL. Money columns are
 * BIGINT; add a migration for every change, never edit one that has shipped.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('partners')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('api_key', 'text', (c) => c.notNull().unique())
      .addColumn('api_secret_enc', 'text', (c) => c.notNull())
      .addColumn('ip_allowlist_json', 'text', (c) => c.notNull())
      .addColumn('rate_limit_overrides_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('wallets')
      .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('balance_minor', 'bigint', (c) => c.notNull().check(sql`balance_minor >= 0`))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('wallets_pk', ['partner_id', 'currency'])
      .execute();

    await db.schema
      .createTable('categories')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('sub_categories_json', 'text', (c) => c.notNull())
      .addColumn('product_count', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('products')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('sub_category', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('country_id', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('currency_id', 'integer', (c) => c.notNull())
      .addColumn('image_url', 'text', (c) => c.notNull())
      .addColumn('delivery_type', 'text', (c) => c.notNull())
      .addColumn('validity', 'text', (c) => c.notNull())
      .addColumn('validity_months', 'integer')
      .addColumn('terms', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('how_to_use', 'text', (c) => c.notNull())
      .addColumn('denominations_json', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('products_category_idx').on('products').columns(['category', 'id']).execute();

    await db.schema
      .createTable('inventory_vouchers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('expiry', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    // The cache: a partial index over AVAILABLE units only, so it stays as small as the cache however many
    // vouchers have been delivered, and answers both "any unit of product P?" and "the next N units of
    // (P, amount, currency) in id order" as range scans. Queries name the status as a literal to match it.
    await db.schema
      .createIndex('inventory_vouchers_available_idx')
      .on('inventory_vouchers')
      .columns(['product_id', 'amount_minor', 'currency', 'id'])
      .where(sql.ref('status'), '=', sql.lit('AVAILABLE'))
      .execute();

    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
      .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('total_minor', 'bigint', (c) => c.notNull())
      .addColumn('refunded_minor', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('sub_status', 'text', (c) => c.notNull())
      .addColumn('delivery_time', 'text', (c) => c.notNull())
      .addColumn('reference', 'text')
      .addColumn('customer_info_json', 'text')
      .addColumn('timeline_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('orders_partner_created_idx').on('orders').columns(['partner_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('orders_open_pool_idx').on('orders').columns(['status', 'product_id', 'amount_minor', 'created_at']).execute();

    await db.schema
      .createTable('order_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('product_id', 'integer', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('voucher_id', 'text', (c) => c.references('inventory_vouchers.id'))
      .addColumn('source', 'text')
      .addColumn('delivered_at', 'text')
      .execute();
    await db.schema.createIndex('order_items_order_idx').on('order_items').columns(['order_id', 'position']).unique().execute();
    await db.schema.createIndex('order_items_voucher_idx').on('order_items').column('voucher_id').unique().execute();

    await db.schema
      .createTable('ledger_transactions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('delta_minor', 'bigint', (c) => c.notNull())
      .addColumn('balance_after_minor', 'bigint', (c) => c.notNull())
      .addColumn('order_id', 'text', (c) => c.references('orders.id'))
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ledger_partner_created_idx').on('ledger_transactions').columns(['partner_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('ledger_order_idx').on('ledger_transactions').column('order_id').execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('response_enc', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['partner_id', 'key'])
      .execute();
    await db.schema.createIndex('idempotency_keys_expiry_idx').on('idempotency_keys').column('expires_at').execute();

    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('events_json', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('previous_secret_enc', 'text')
      .addColumn('previous_secret_expires_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('webhook_endpoints_partner_url_uq', ['partner_id', 'url'])
      .execute();
    await db.schema.createIndex('webhook_endpoints_partner_idx').on('webhook_endpoints').columns(['partner_id', 'created_at', 'id']).execute();

    await db.schema
      .createTable('request_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text')
      .addColumn('operation_id', 'text')
      .addColumn('trace_id', 'text', (c) => c.notNull())
      .addColumn('entry_json', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('request_log_at_idx').on('request_log').columns(['at', 'id']).execute();
    await db.schema.createIndex('request_log_partner_idx').on('request_log').columns(['partner_id', 'at', 'id']).execute();
    await db.schema.createIndex('request_log_trace_idx').on('request_log').column('trace_id').execute();

    await db.schema
      .createTable('faults')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('operation_id', 'text')
      .addColumn('path', 'text')
      .addColumn('partner_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('remaining', 'integer', (c) => c.notNull())
      .addColumn('retry_after', 'integer')
      .addColumn('delay_ms', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('faults_armed_idx').on('faults').columns(['remaining', 'id']).execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value_json', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('clock')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('offset_seconds', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/**
 * Webhook delivery (issue 4): the outbox of events (written in the transaction of the state change that caused
 * them), one delivery per subscribed endpoint with its claim (claim_token + claimed_until, a lease on the
 * sandbox clock), every attempt, delivery faults, reconciliation drifts and per-wallet low-balance thresholds.
 */
const webhookDelivery: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('webhook_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text')
      .addColumn('payload_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_events_subject_idx').on('webhook_events').columns(['subject_id', 'id']).execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id'))
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('webhook_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempt_count', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text')
      .addColumn('held', 'integer', (c) => c.notNull())
      .addColumn('claim_token', 'text')
      .addColumn('claimed_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('webhook_deliveries_event_endpoint_uq', ['event_id', 'webhook_id'])
      .execute();
    await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('webhook_deliveries_created_idx').on('webhook_deliveries').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('webhook_deliveries_webhook_idx').on('webhook_deliveries').columns(['webhook_id', 'created_at']).execute();

    await db.schema
      .createTable('webhook_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('latency_ms', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('fault', 'text')
      .execute();
    await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').columns(['delivery_id', 'id']).execute();

    await db.schema
      .createTable('webhook_faults')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text')
      .addColumn('webhook_id', 'text')
      .addColumn('event_type', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('remaining', 'integer', (c) => c.notNull())
      .addColumn('delay_seconds', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_faults_armed_idx').on('webhook_faults').columns(['remaining', 'id']).execute();

    await db.schema
      .createTable('reconciliation_drifts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('vendor', 'text', (c) => c.notNull())
      .addColumn('product_id', 'integer', (c) => c.notNull())
      .addColumn('our_allocation', 'text', (c) => c.notNull())
      .addColumn('vendor_record', 'text', (c) => c.notNull())
      .addColumn('resolution', 'text', (c) => c.notNull())
      .addColumn('detected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('reconciliation_drifts_partner_date_idx').on('reconciliation_drifts').columns(['partner_id', 'date', 'id']).execute();

    await db.schema.alterTable('wallets').addColumn('low_balance_threshold_minor', 'bigint').execute();
  },
};

/**
 * State several instances on one PostgreSQL share (issue 10) that a lone process keeps in memory: the
 * rate-limit windows per (API key, endpoint class). Created on SQLite too, where it stays empty.
 */
const sharedState: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('rate_limit_windows')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('burst_start', 'bigint', (c) => c.notNull())
      .addColumn('burst_count', 'integer', (c) => c.notNull())
      .execute();
  },
};

/**
 * The sandbox as partners use it (issue 17): each partner owns its voucher pools (vouchers carry their
 * partner; the initial stock is a per-partner count in inventory_seed, minted as it is handed out), its test
 * clock (an offset on top of the sandbox-wide one) and a sequence for its events (the event stream's cursor,
 * advanced under the partner row's lock so events commit in sequence order). A delivery's due time is also kept
 * as a number on the sandbox-wide clock (due_ms), so one claim query serves partners whose clocks differ.
 * The shared cache of earlier versions is dropped: its units belonged to nobody.
 */
const partnerSandboxes: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('partners').addColumn('clock_offset_seconds', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('partners').addColumn('event_seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('partners').addColumn('stream_lease_until_ms', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

    await db.schema.alterTable('inventory_vouchers').addColumn('partner_id', 'text').execute();
    await db.deleteFrom('inventory_vouchers').where('status', '=', 'AVAILABLE').execute();
    await db.schema.dropIndex('inventory_vouchers_available_idx').execute();
    await db.schema
      .createIndex('inventory_vouchers_pool_idx')
      .on('inventory_vouchers')
      .columns(['partner_id', 'product_id', 'amount_minor', 'currency', 'id'])
      .where(sql.ref('status'), '=', sql.lit('AVAILABLE'))
      .execute();

    await db.schema
      .createTable('inventory_seed')
      .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
      .addColumn('product_id', 'integer', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('remaining', 'integer', (c) => c.notNull().check(sql`remaining >= 0`))
      .addColumn('expiry', 'text')
      .addPrimaryKeyConstraint('inventory_seed_pk', ['partner_id', 'product_id', 'amount_minor', 'currency'])
      .execute();

    await db.schema.alterTable('webhook_events').addColumn('seq', 'bigint').execute();
    await db.schema.createIndex('webhook_events_partner_seq_idx').on('webhook_events').columns(['partner_id', 'seq']).execute();

    await db.schema.alterTable('webhook_deliveries').addColumn('due_ms', 'bigint').execute();
    const open = await db.selectFrom('webhook_deliveries').select(['id', 'next_attempt_at']).where('next_attempt_at', 'is not', null).execute();
    for (const row of open) {
      await db.updateTable('webhook_deliveries').set({ due_ms: Date.parse(row.next_attempt_at) }).where('id', '=', row.id).execute();
    }
    await db.schema.dropIndex('webhook_deliveries_due_idx').execute();
    await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'due_ms']).execute();
    await db.schema.createIndex('webhook_deliveries_partner_idx').on('webhook_deliveries').columns(['partner_id', 'created_at', 'id']).execute();
    // A partner's request log in arrival order (testHelperListRequests, `starship logs --follow`).
    await db.schema.createIndex('request_log_partner_id_idx').on('request_log').columns(['partner_id', 'id']).execute();
  },
};

/**
 * Request signatures used within their window (issue 18: one signed POST /orders sent with three
 * Idempotency-Keys made three orders). In the database on both backends, so every instance sharing
 * PostgreSQL sees each use, and a restart forgets none. No foreign key: a use outlives nothing it refers to
 * and is purged once its window is over.
 */
const signatureUses: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('signature_uses')
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('expires_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('signature_uses_pk', ['partner_id', 'digest'])
      .execute();
    await db.schema.createIndex('signature_uses_expiry_idx').on('signature_uses').column('expires_ms').execute();
  },
};

/**
 * GET /orders filtered by status (and a date range), the way a partner's back office pages through its
 * orders: partner, status and creation time in one index, so a page and its total count read only the
 * matching index entries, in order, however many orders the database holds (issue 20's 1M-order curve).
 */
const orderListing: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('orders_partner_status_created_idx').on('orders').columns(['partner_id', 'status', 'created_at', 'id']).execute();
  },
};

export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_webhook_delivery': webhookDelivery,
  '0003_shared_state': sharedState,
  '0004_partner_sandboxes': partnerSandboxes,
  '0005_signature_uses': signatureUses,
  '0006_order_listing': orderListing,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The migrations this build knows that the database has not run (none once startup migrated it). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrations = await new Migrator({ db, provider }).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
