/**
 * Which products are in stock, remembered between writes: a catalog read asks the database once per product
 * after the inventory was written (a pump, an allocation, a partner's seed planted or drawn from, a reset: the
 * write count of db/connect.ts over STOCK_TABLES), not on every request. Answers are per scope — a partner's
 * pools on a day of that partner's clock (vouchers expire by date) — and kept only for a database this process
 * alone writes (SQLite): on PostgreSQL another instance may allocate or pump at any moment, and nothing here
 * would learn of it, so every question goes to the database.
 */
import type { Database } from '../db/schema.ts';

/** The tables whose rows decide whether a product is in stock. */
export const STOCK_TABLES: readonly (keyof Database)[] = ['inventory_vouchers', 'inventory_seed'];

/** Scopes (partner and day) kept at once; past it, all are forgotten (refilling costs one query per read). */
const MAX_SCOPES = 1024;

export type StockLookup = (productIds: readonly number[]) => Promise<ReadonlySet<number>>;

export class StockAnswers {
  #count = -1;
  readonly #scopes = new Map<string, Map<number, boolean>>();

  constructor(private readonly writeCount: (() => number) | undefined) {}

  /** The ids in stock among `productIds` in `scope`, from the answers still valid and `lookup` for the rest. */
  async inStock(scope: string, productIds: readonly number[], lookup: StockLookup): Promise<ReadonlySet<number>> {
    const count = this.writeCount?.();
    if (count === undefined) return lookup(productIds);
    if (count !== this.#count || (!this.#scopes.has(scope) && this.#scopes.size >= MAX_SCOPES)) {
      this.#scopes.clear();
      this.#count = count;
    }
    let known = this.#scopes.get(scope);
    if (!known) this.#scopes.set(scope, (known = new Map()));
    const inStock = new Set<number>();
    const missing: number[] = [];
    for (const id of productIds) {
      const answer = known.get(id);
      if (answer === undefined) missing.push(id);
      else if (answer) inStock.add(id);
    }
    if (missing.length === 0) return inStock;
    const found = await lookup(missing);
    // Kept only if nothing was written while the database answered (the answer may predate the write).
    const keep = this.writeCount!() === count && this.#count === count && this.#scopes.get(scope) === known;
    for (const id of missing) {
      const has = found.has(id);
      if (has) inStock.add(id);
      if (keep) known.set(id, has);
    }
    return inStock;
  }
}
