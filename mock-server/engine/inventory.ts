/**
 * The voucher cache: pools of pre-bought vouchers per partner and (product, amount, currency), encrypted at
 * rest. Every partner has its own pools: pumped vouchers carry their partner, and the initial stock is a count
 * per partner and pool (seed-stock.ts) whose vouchers are minted as they are handed out; a pool's stock is both.
 * Allocation is a single guarded UPDATE … WHERE status = 'AVAILABLE' … RETURNING over the next N units of
 * the pool, so a unit can only ever move AVAILABLE → DELIVERED once: SQLite serializes writers, and on
 * PostgreSQL the inner select takes its rows FOR UPDATE SKIP LOCKED, so concurrent allocators take disjoint
 * units (without it, a waiter re-checks the rows another took and comes back short). order_items.voucher_id
 * is UNIQUE as a second guard.
 * Expired units (expiry before today on the partner's clock) stay in the table but are never allocated.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import { isPostgres } from '../db/postgres.ts';
import { prepare, type PreparedQuery } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import type { CatalogProduct } from '../domain/catalog-seed.ts';
import type { VoucherStatus } from '../domain/enums.ts';
import type { UnitSource } from '../domain/order-rules.ts';
import { generateVoucher, type VoucherSecret } from '../domain/voucher-codes.ts';
import type { S } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { seedLeft, type SeedStock } from './seed-stock.ts';

export interface PoolKey {
  partnerId: string;
  productId: number;
  amountMinor: number;
  currency: string;
}

export interface StoredVoucher {
  id: string;
  secret_enc: string;
  expiry: string | null;
}

export interface MintedVoucher {
  row: Database['inventory_vouchers'];
  voucher: S['Voucher'];
}

/** Rows per multi-row INSERT, well under SQLite's bound-parameter limit. */
const INSERT_CHUNK = 500;

/**
 * Statuses and LIMIT are written as SQL literals in the pool queries: a bound parameter compared with the
 * partial index's column makes SQLite re-prepare the statement on every execution (3× slower) and keeps
 * PostgreSQL's generic plans off the partial index; a bound LIMIT defeats SQLite's ORDER BY … LIMIT shortcut.
 */
const AVAILABLE = sql.lit<VoucherStatus>('AVAILABLE');
const DELIVERED = sql.lit<VoucherStatus>('DELIVERED');

function unexpired(today: string) {
  return (eb: ExpressionBuilder<Database, 'inventory_vouchers'>) =>
    eb.or([eb('inventory_vouchers.expiry', 'is', null), eb('inventory_vouchers.expiry', '>=', today)]);
}

type InStockAmongArgs = { partnerId: string; today: string } & Record<`id${number}`, number>;

/**
 * Prepared (db/prepared.ts) per number of ids, which is padded to a power of two (repeating an id changes
 * nothing in an IN list), so a handful of statements serve every page size: listing products runs this on
 * every page, and building it through Kysely's builder cost more than SQLite's answer.
 */
const inStockAmong = new Map<number, PreparedQuery<InStockAmongArgs, { id: number }>>();

function inStockAmongQuery(count: number): PreparedQuery<InStockAmongArgs, { id: number }> {
  let query = inStockAmong.get(count);
  if (!query) {
    query = prepare<InStockAmongArgs, { id: number }>((db, p) =>
      db
        .selectFrom('products')
        .select('products.id')
        .where('products.id', 'in', Array.from({ length: count }, (_, i) => p[`id${i}`]!))
        .where((eb) =>
          eb.or([
            eb.exists(
              eb
                .selectFrom('inventory_vouchers')
                .select(sql<number>`1`.as('one'))
                .where('inventory_vouchers.partner_id', '=', p.partnerId)
                .where('inventory_vouchers.status', '=', AVAILABLE)
                .whereRef('inventory_vouchers.product_id', '=', 'products.id')
                .where(unexpired(p.today)),
            ),
            eb.exists(
              eb
                .selectFrom('inventory_seed')
                .select(sql<number>`1`.as('one'))
                .where(seedLeft(p.partnerId, p.today))
                .whereRef('inventory_seed.product_id', '=', 'products.id'),
            ),
          ]),
        ),
    );
    inStockAmong.set(count, query);
  }
  return query;
}

/** Which of these products have at least one allocatable unit (any denomination) in the partner's pools. */
export async function productsInStock(exec: Executor, partnerId: string, productIds: readonly number[], today: string): Promise<Set<number>> {
  if (productIds.length === 0) return new Set();
  const count = 2 ** Math.ceil(Math.log2(productIds.length));
  const args: InStockAmongArgs = { partnerId, today };
  for (let i = 0; i < count; i++) args[`id${i}`] = productIds[i] ?? productIds[0]!;
  const { rows } = await inStockAmongQuery(count).execute(exec, args);
  return new Set(rows.map((r) => r.id));
}

/**
 * Prepared (db/prepared.ts): getProduct runs this on every call, and building and compiling it through
 * Kysely's builder cost more than SQLite's answer from the partial index.
 */
const inStock = prepare<{ partnerId: string; productId: number; today: string }, { one: number }>((db, p) =>
  db
    .selectFrom('inventory_vouchers')
    .select(sql<number>`1`.as('one'))
    .where('inventory_vouchers.partner_id', '=', p.partnerId)
    .where('inventory_vouchers.status', '=', AVAILABLE)
    .where('inventory_vouchers.product_id', '=', p.productId)
    .where(unexpired(p.today))
    .limit(sql.lit(1)),
);

const seededInStock = prepare<{ partnerId: string; productId: number; today: string }, { one: number }>((db, p) =>
  db
    .selectFrom('inventory_seed')
    .select(sql<number>`1`.as('one'))
    .where(seedLeft(p.partnerId, p.today))
    .where('inventory_seed.product_id', '=', p.productId)
    .limit(sql.lit(1)),
);

/** Whether this product has at least one allocatable unit (any denomination) in the partner's pools. */
export async function productInStock(exec: Executor, seeds: SeedStock, partnerId: string, productId: number, today: string): Promise<boolean> {
  const { rows } = await inStock.execute(exec, { partnerId, productId, today });
  if (rows.length > 0) return true;
  if (!seeds.seeds(productId)) return false;
  return (await seededInStock.execute(exec, { partnerId, productId, today })).rows.length > 0;
}

/** Allocatable units in a pool (its seed and its vouchers); with `cap`, counting stops there (enough to answer "at least cap?"). */
export async function availableCount(exec: Executor, seeds: SeedStock, pool: PoolKey, today: string, cap?: number): Promise<number> {
  const seeded = await seeds.remaining(exec, pool, today);
  if (cap !== undefined && seeded >= cap) return cap;
  let units = poolQuery(exec, pool, today).select(sql<number>`1`.as('one'));
  if (cap !== undefined) units = units.limit(sql.lit(cap - seeded));
  const row = await exec.selectFrom(units.as('units')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return seeded + Number(row.n);
}

/** Takes up to `count` pumped units out of the pool (oldest first) and marks them DELIVERED. */
export async function allocate(exec: Executor, pool: PoolKey, count: number, today: string, nowIso: string): Promise<StoredVoucher[]> {
  if (count <= 0) return [];
  let query = allocations.get(count);
  if (!query) allocations.set(count, (query = allocation(count)));
  const { rows } = await query.execute(exec, { ...pool, today, nowIso });
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Prepared per unit count (a literal LIMIT, see above): placing an order allocates on every request. */
const allocations = new Map<number, ReturnType<typeof allocation>>();
function allocation(count: number) {
  return prepare<PoolKey & { today: string; nowIso: string }, StoredVoucher>((db, p) => {
    const next = poolQuery(db, p, p.today).select('inventory_vouchers.id').orderBy('inventory_vouchers.id').limit(sql.lit(count));
    if (!isPostgres(db)) {
      return db
        .updateTable('inventory_vouchers')
        .set({ status: DELIVERED, delivered_at: p.nowIso })
        .where('id', 'in', next)
        .where('status', '=', AVAILABLE)
        .returning(['id', 'secret_enc', 'expiry']);
    }
    // Concurrent allocators on PostgreSQL take disjoint units (FOR UPDATE SKIP LOCKED) instead of queueing on
    // (and then losing) the same rows. The pick is a materialised CTE, run once: as an IN subquery the planner
    // may run it again for each row it updates, and SKIP LOCKED then passes over the rows this statement has
    // just taken and picks fresh ones, until the whole pool is allocated to one order.
    return db
      .with((cte) => cte('picked').materialized(), () => next.forUpdate().skipLocked())
      .updateTable('inventory_vouchers')
      .set({ status: DELIVERED, delivered_at: p.nowIso })
      .where('id', 'in', (eb) => eb.selectFrom('picked').select('picked.id'))
      .where('status', '=', AVAILABLE)
      .returning(['inventory_vouchers.id', 'inventory_vouchers.secret_enc', 'inventory_vouchers.expiry']);
  });
}

function poolQuery(exec: Executor, pool: PoolKey, today: string) {
  return exec
    .selectFrom('inventory_vouchers')
    .where('inventory_vouchers.partner_id', '=', pool.partnerId)
    .where('inventory_vouchers.status', '=', AVAILABLE)
    .where('inventory_vouchers.product_id', '=', pool.productId)
    .where('inventory_vouchers.amount_minor', '=', pool.amountMinor)
    .where('inventory_vouchers.currency', '=', pool.currency)
    .where(unexpired(today));
}

/** Expiry of a voucher issued now: the product's validity in months, or none. */
export function voucherExpiry(product: CatalogProduct, now: Date): string | null {
  if (product.validityMonths === null) return null;
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + product.validityMonths, now.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

/** New vouchers for a product: AVAILABLE for the cache, or DELIVERED straight from a vendor. */
export function mintVouchers(
  ctx: EngineContext,
  product: CatalogProduct,
  amountMinor: number,
  count: number,
  options: { partnerId: string; status: VoucherStatus; source: UnitSource; expiry: string | null },
): MintedVoucher[] {
  const nowIso = ctx.clock.nowIso();
  const minted: MintedVoucher[] = [];
  for (let i = 0; i < count; i++) {
    const id = ctx.newId('voucher');
    const secret = generateVoucher(product.name, product.deliveryType);
    minted.push({
      row: {
        id,
        partner_id: options.partnerId,
        product_id: product.id,
        amount_minor: amountMinor,
        currency: product.currency,
        status: options.status,
        secret_enc: ctx.encrypt(JSON.stringify(secret), voucherContext(id)),
        expiry: options.expiry,
        source: options.source,
        created_at: nowIso,
        delivered_at: options.status === 'DELIVERED' ? nowIso : null,
      },
      voucher: { ...secret, expiry: options.expiry },
    });
  }
  return minted;
}

export async function insertVouchers(exec: Executor, rows: readonly Database['inventory_vouchers'][]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await exec.insertInto('inventory_vouchers').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }
}

export function openVoucher(ctx: EngineContext, stored: StoredVoucher): S['Voucher'] {
  const secret = JSON.parse(ctx.decrypt(stored.secret_enc, voucherContext(stored.id))) as VoucherSecret;
  return { code: secret.code, pin: secret.pin, url: secret.url, expiry: stored.expiry };
}

function voucherContext(id: string): string {
  return `voucher:${id}`;
}
