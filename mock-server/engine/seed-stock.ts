/**
 * Every partner's voucher pools start with the sandbox's initial stock (domain/catalog-seed.ts), so one
 * partner draining a pool never changes what another partner's orders get. Minting ~3,400 encrypted vouchers
 * per partner at creation would cost ~150 ms each time, so the seed is kept as a count per pool and partner
 * (inventory_seed, written when the partner is created) and its vouchers are minted as units are handed out:
 * the pool behaves exactly as if they had been minted at creation (oldest first: seed units go before pumped
 * ones; they expire with the product's validity counted from the partner's creation).
 *
 * Taking from the seed is a read then a guarded decrement inside the allocating transaction: SQLite runs one
 * writer at a time, and on PostgreSQL the read takes the row FOR UPDATE, so two allocators never take the same
 * units. A spent pool stays spent (seed counts only go down), so it is remembered and skipped.
 */
import type { ExpressionBuilder } from 'kysely';
import { isPostgres } from '../db/postgres.ts';
import type { Database } from '../db/schema.ts';
import type { InventoryPool } from '../domain/catalog-seed.ts';
import type { Executor } from './context.ts';

export interface SeedPool {
  partnerId: string;
  productId: number;
  amountMinor: number;
  currency: string;
}

const poolKey = (pool: Omit<SeedPool, 'partnerId'>) => `${pool.productId}:${pool.amountMinor}:${pool.currency}`;

export class SeedStock {
  readonly #plan: Map<string, InventoryPool>;
  readonly #products: Set<number>;
  readonly #spent = new Set<string>();

  constructor(readonly pools: readonly InventoryPool[]) {
    this.#plan = new Map(pools.map((pool) => [poolKey(pool), pool]));
    this.#products = new Set(pools.map((pool) => pool.productId));
  }

  /** Whether any partner's seed could hold units of this pool (or, without an amount, of this product). */
  seeds(productId: number, amountMinor?: number, currency?: string): boolean {
    if (amountMinor === undefined || currency === undefined) return this.#products.has(productId);
    return this.#plan.has(poolKey({ productId, amountMinor, currency }));
  }

  /** Writes a new partner's seed counts (every pool of the plan, with the expiry its vouchers will carry). */
  async plant(exec: Executor, partnerId: string, expiryOf: (productId: number) => string | null): Promise<void> {
    const rows = this.pools.map((pool) => ({
      partner_id: partnerId,
      product_id: pool.productId,
      amount_minor: pool.amountMinor,
      currency: pool.currency,
      remaining: pool.count,
      expiry: expiryOf(pool.productId),
    }));
    for (let i = 0; i < rows.length; i += 200) await exec.insertInto('inventory_seed').values(rows.slice(i, i + 200)).execute();
  }

  /** Units left in the partner's seed of this pool that are not expired on `today`. */
  async remaining(exec: Executor, pool: SeedPool, today: string): Promise<number> {
    if (!this.seeds(pool.productId, pool.amountMinor, pool.currency) || this.#spent.has(spentKey(pool))) return 0;
    const row = await seedRow(exec, pool, today, false);
    return Number(row?.remaining ?? 0);
  }

  /** Takes up to `count` units out of the partner's seed of this pool; returns how many, and their expiry. */
  async take(exec: Executor, pool: SeedPool, count: number, today: string): Promise<{ taken: number; expiry: string | null }> {
    if (count <= 0 || !this.seeds(pool.productId, pool.amountMinor, pool.currency) || this.#spent.has(spentKey(pool))) return { taken: 0, expiry: null };
    const row = await seedRow(exec, pool, today, true);
    const remaining = Number(row?.remaining ?? 0);
    const taken = Math.min(remaining, count);
    if (taken > 0) {
      await exec
        .updateTable('inventory_seed')
        .set((eb) => ({ remaining: eb('remaining', '-', taken) }))
        .where('partner_id', '=', pool.partnerId)
        .where('product_id', '=', pool.productId)
        .where('amount_minor', '=', pool.amountMinor)
        .where('currency', '=', pool.currency)
        .execute();
    }
    // Only a pool found empty is remembered: this transaction may still roll back.
    if (remaining === 0 && row) this.#spent.add(spentKey(pool));
    return { taken, expiry: row?.expiry ?? null };
  }

  /** Every partner was deleted (resetSandbox). */
  forget(): void {
    this.#spent.clear();
  }
}

function unexpired(today: string) {
  return (eb: ExpressionBuilder<Database, 'inventory_seed'>) => eb.or([eb('inventory_seed.expiry', 'is', null), eb('inventory_seed.expiry', '>=', today)]);
}

/** The partner's seed rows with unexpired units left. */
export function seedLeft(partnerId: string, today: string) {
  return (eb: ExpressionBuilder<Database, 'inventory_seed'>) =>
    eb.and([eb('inventory_seed.partner_id', '=', partnerId), eb('inventory_seed.remaining', '>', 0), unexpired(today)(eb)]);
}

function spentKey(pool: SeedPool): string {
  return `${pool.partnerId}:${poolKey(pool)}`;
}

async function seedRow(exec: Executor, pool: SeedPool, today: string, lock: boolean) {
  return exec
    .selectFrom('inventory_seed')
    .select(['remaining', 'expiry'])
    .where('partner_id', '=', pool.partnerId)
    .where('product_id', '=', pool.productId)
    .where('amount_minor', '=', pool.amountMinor)
    .where('currency', '=', pool.currency)
    .where(unexpired(today))
    .$if(lock && isPostgres(exec), (q) => q.forUpdate())
    .executeTakeFirst();
}
