/**
 * First-start seeding and the key check. The catalog (domain/catalog-seed.ts) is written once; its initial
 * inventory is every partner's starting stock (seed-stock.ts), planted when a partner is created.
 * A known value encrypted with the key is stored on first start, so a sandbox reopened with another key
 * fails at startup with a clear message instead of at the first voucher it cannot decrypt.
 */
import { generateCatalog, type Catalog as SeedCatalog } from '../domain/catalog-seed.ts';
import { DecryptionError } from '../domain/voucher-crypto.ts';
import { toProductRow } from './catalog.ts';
import type { EngineContext, Executor } from './context.ts';
import { voucherExpiry } from './inventory.ts';

const KEY_CHECK = 'key_check';
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

/** Plants a partner's initial stock; `ctx` is the partner's (its clock dates the vouchers' expiry). */
export async function plantInitialStock(ctx: EngineContext, exec: Executor, partnerId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.seedStock.plant(exec, partnerId, (productId) => voucherExpiry(ctx.catalog.get(productId), now));
}

/** Partners created before pools were per partner have no seed yet: they get the initial stock now. */
export async function plantMissingStock(ctx: EngineContext, exec: Executor): Promise<void> {
  const unseeded = await exec
    .selectFrom('partners')
    .select('id')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('inventory_seed').select('inventory_seed.partner_id').whereRef('inventory_seed.partner_id', '=', 'partners.id'))))
    .execute();
  for (const { id } of unseeded) await plantInitialStock(await ctx.forPartner(id), exec, id);
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
