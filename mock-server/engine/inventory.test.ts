import assert from 'node:assert/strict';
import { productInStock, productsInStock } from './inventory.ts';
import { backendTest, newPartner } from '../test-support/engine.ts';

backendTest('productsInStock answers as productInStock does, for every list length (padded statements included)', async (_t, engine) => {
  const { db, catalog, clock, seedStock } = engine.context;
  const today = clock.today();
  const { partner_id: pid } = await newPartner(engine);
  // Stock of both kinds: the partner's seed, and pumped vouchers of a product the seed leaves out.
  await engine.pumpInventory({ partner_id: pid, product_id: 2001, amount: '10.00', currency: 'USD', count: 1 });
  const ids = [...catalog.all()].map((product) => product.id);
  const stocked = new Set<number>();
  for (const id of ids) if (await productInStock(db, seedStock, pid, id, today)) stocked.add(id);
  assert.ok(stocked.size > 0 && stocked.size < ids.length, 'the seed has products with and without stock');
  assert.ok(stocked.has(2001), 'pumped stock counts');

  // Interleaved, so each list mixes both kinds; lengths on and around the padding boundaries.
  const mixed = [...ids.filter((id) => stocked.has(id)).slice(0, 40), ...ids.filter((id) => !stocked.has(id)).slice(0, 40)];
  mixed.sort((a, b) => (a % 7) - (b % 7) || a - b);
  for (const length of [0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 33, 64, 65, 79]) {
    for (const [from, among] of [['head', mixed.slice(0, length)], ['tail', mixed.slice(mixed.length - length)]] as const) {
      const expected = among.filter((id) => stocked.has(id)).sort((a, b) => a - b);
      assert.deepEqual([...(await productsInStock(db, pid, among, today))].sort((a, b) => a - b), expected, `${length} ids from the ${from}`);
    }
  }
  assert.deepEqual([...(await productsInStock(db, pid, ids, today))].sort((a, b) => a - b), [...stocked].sort((a, b) => a - b), 'the whole catalog');
});
