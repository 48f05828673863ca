import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG_SIZE, CATEGORIES, generateCatalog } from './catalog-seed.ts';
import { isSupportedCurrency } from './fx.ts';
import { findDenomination } from './pricing.ts';

test('the catalog is the same on every generation', () => {
  assert.deepEqual(generateCatalog(), generateCatalog());
});

test('about 200 products with unique ids and names across every category', () => {
  const { products } = generateCatalog();
  assert.equal(products.length, CATALOG_SIZE);
  assert.equal(new Set(products.map((p) => p.id)).size, products.length);
  assert.equal(new Set(products.map((p) => p.name)).size, products.length);
  for (const category of CATEGORIES) assert.ok(products.filter((p) => p.category === category.name).length >= 10, category.name);
  assert.ok(new Set(products.map((p) => p.currency)).size >= 8);
});

test("the seeds' products are included as published", () => {
  const { products } = generateCatalog();
  const amazon = products.find((p) => p.id === 1001);
  assert.equal(amazon?.name, 'Amazon Gift Card - USD');
  assert.deepEqual(amazon?.denominations, [{ minMinor: 1000, maxMinor: 50000, discountBp: 250 }]);
  const play = products.find((p) => p.id === 2001);
  assert.equal(play?.name, 'Google Play Gift Card - USD');
  assert.equal(play?.deliveryType, 'CODE_WITH_PIN');
  assert.deepEqual(play?.denominations, [{ minMinor: 500, maxMinor: 10000, discountBp: 180 }]);
});

test('every product is well-formed', () => {
  for (const p of generateCatalog().products) {
    assert.ok(isSupportedCurrency(p.currency), p.name);
    assert.ok(p.denominations.length > 0, p.name);
    for (const d of p.denominations) {
      assert.ok(d.minMinor > 0 && d.minMinor <= d.maxMinor, p.name);
      assert.ok(Number.isInteger(d.discountBp) && d.discountBp >= 0 && d.discountBp < 10_000, p.name);
    }
    for (const text of [p.terms, p.details, p.howToUse, p.validity]) assert.ok(text.length > 0, p.name);
    assert.match(p.imageUrl, /^https:\/\//);
  }
});

test('initial stock: 1001 at 25/50/100 USD, 2001 and a good share of products empty', () => {
  const { products, inventory } = generateCatalog();
  const amazon = inventory.filter((pool) => pool.productId === 1001).map((pool) => [pool.amountMinor, pool.currency]);
  assert.deepEqual(amazon, [[2500, 'USD'], [5000, 'USD'], [10000, 'USD']]);
  assert.ok(!inventory.some((pool) => pool.productId === 2001));
  const stocked = new Set(inventory.map((pool) => pool.productId));
  assert.ok(stocked.size > products.length * 0.4 && stocked.size < products.length * 0.8, `${stocked.size} stocked`);
  for (const pool of inventory) {
    const product = products.find((p) => p.id === pool.productId)!;
    assert.equal(pool.currency, product.currency);
    assert.ok(findDenomination(product.denominations, pool.amountMinor), `${product.name} ${pool.amountMinor}`);
    assert.ok(pool.count > 0);
  }
});
