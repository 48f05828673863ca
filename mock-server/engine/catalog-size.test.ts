import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openEngine } from './index.ts';
import { newPartner } from '../test-support/engine.ts';

test('a database seeded with a larger catalog serves and lists all of it, seeds partners from all of it, and keeps its size', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'starship-catalog-size-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'starship.db');
  const engine = await openEngine({ file, env: {}, catalogSize: 1000 });
  try {
    const partner = (await newPartner(engine)).partner_id;
    const all = await engine.listProducts(partner, { limit: 10_000 });
    assert.equal(all.total, 1000);
    assert.equal(all.items.length, 1000);
    assert.equal(new Set(all.items.map((p) => p.name)).size, 1000, 'every product has its own name');
    assert.equal((await engine.listCategories({})).items.reduce((n, c) => n + c.product_count, 0), 1000);
    assert.equal((await engine.getProduct(partner, 1001)).name, 'Amazon Gift Card - USD', 'the published products stay');
    const instant = all.items.filter((p) => p.delivery_time === 'INSTANT').length;
    assert.ok(instant > 300, `${instant} products start in stock for a partner`);
    await engine.resetSandbox();
    const after = await engine.listProducts((await newPartner(engine)).partner_id, { limit: 10_000 });
    assert.equal(after.items.filter((p) => p.delivery_time === 'INSTANT').length, instant, 'a partner after a reset is seeded from the whole catalog');
  } finally {
    await engine.close();
  }
  await assert.rejects(openEngine({ file, env: {}, catalogSize: 200 }), /catalog has 1000 products; a catalog size is chosen when a database is created/);
  const reopened = await openEngine({ file, env: {} });
  t.after(() => reopened.close());
  assert.equal((await reopened.listProducts((await newPartner(reopened)).partner_id, {})).total, 1000);
});
