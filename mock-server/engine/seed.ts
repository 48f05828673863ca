/**
 * First-start seeding and the key check. The catalog (domain/catalog-seed.ts) is written once; its initial
 * inventory is minted once the key is known (recorded by a settings marker, so a crash between the two
 * steps is repaired on the next start); `restockInitialInventory` is also what a reset uses to put the
 * cache back.
 * A known value encrypted with the key is stored on first start, so a sandbox reopened with another key
 * fails at startup with a clear message instead of at the first voucher it cannot decrypt.
 */
import { generateCatalog, type Catalog as SeedCatalog } from '../domain/catalog-seed.ts';
import { DecryptionError } from '../domain/voucher-crypto.ts';
import { toProductRow, type Catalog } from './catalog.ts';
import type { EngineContext, Executor } from './context.ts';
import { insertVouchers, mintVouchers, voucherExpiry } from './inventory.ts';

const KEY_CHECK = 'key_check';
const INITIAL_STOCK = 'initial_stock_at';
const KEY_CHECK_PLAINTEXT = 'starship-sandbox';

/** Writes the catalog into an empty database; a no-op once seeded. */
export async function seedCatalog(exec: Executor, seed: () => SeedCatalog = generateCatalog): Promise<boolean> {
  const existing = await exec.selectFrom('products').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  const { categories, products: all } = seed();
  for (const category of categories) {
    const products = all.filter((p) => p.category === category.name);
    await exec
      .insertInto('categories')
      .values({
        id: category.id,
        name: category.name,
        sub_categories_json: JSON.stringify([...new Set(products.map((p) => p.subCategory))].sort()),
        product_count: products.length,
      })
      .execute();
  }
  const rows = all.map(toProductRow);
  for (let i = 0; i < rows.length; i += 100) await exec.insertInto('products').values(rows.slice(i, i + 100)).execute();
  return true;
}

/** Mints the initial stock the first time the engine starts on this database. */
export async function ensureInitialStock(ctx: EngineContext, exec: Executor): Promise<void> {
  const marker = await exec.selectFrom('settings').select('key').where('key', '=', INITIAL_STOCK).executeTakeFirst();
  if (marker) return;
  await restockInitialInventory(ctx, exec, ctx.catalog);
  await exec.insertInto('settings').values({ key: INITIAL_STOCK, value_json: JSON.stringify(ctx.clock.nowIso()) }).execute();
}

export async function restockInitialInventory(ctx: EngineContext, exec: Executor, catalog: Catalog, seed: SeedCatalog = generateCatalog()): Promise<void> {
  const now = ctx.clock.now();
  for (const pool of seed.inventory) {
    const product = catalog.get(pool.productId);
    const minted = mintVouchers(ctx, product, pool.amountMinor, pool.count, { status: 'AVAILABLE', source: 'CACHE', expiry: voucherExpiry(product, now) });
    await insertVouchers(exec, minted.map((m) => m.row));
  }
}

/** Stores the key check on first start; afterwards verifies the key against it. */
export async function checkKey(ctx: EngineContext, exec: Executor): Promise<void> {
  const row = await exec.selectFrom('settings').select('value_json').where('key', '=', KEY_CHECK).executeTakeFirst();
  if (!row) {
    await exec.insertInto('settings').values({ key: KEY_CHECK, value_json: JSON.stringify(ctx.encrypt(KEY_CHECK_PLAINTEXT, KEY_CHECK)) }).execute();
    return;
  }
  try {
    ctx.decrypt(JSON.parse(row.value_json) as string, KEY_CHECK);
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    throw new Error(
      'The encryption key does not match the one this database was created with. Use the original key file (or STARSHIP_ENCRYPTION_KEY), or start from a new database.',
      { cause: error },
    );
  }
}
