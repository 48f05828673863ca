import assert from 'node:assert/strict';
import { backendTest, newPartner, rejectsWith } from '../test-support/engine.ts';

backendTest('categories and products: filters, sorting, pagination, seeded values', async (_t, engine) => {
  const { partner_id: pid } = await newPartner(engine);
  const categories = await engine.listCategories({});
  assert.deepEqual(categories.items.map((c) => c.name), ['Gift Cards', 'Mobile Top-up', 'Gaming', 'Entertainment', 'Food & Dining', 'Travel']);
  assert.equal(categories.items.reduce((n, c) => n + c.product_count, 0), 200);
  assert.ok(categories.items[0]!.sub_categories.includes('E-commerce'));

  const first = await engine.listProducts(pid, {});
  assert.equal(first.total, 200);
  assert.equal(first.items.length, 50);
  assert.equal(first.items[0]!.id, 2001, 'default sort is id DESC');
  assert.equal(first.items[0]!.terms, undefined, 'lists leave out the long texts');

  const giftCards = await engine.listProducts(pid, { category: 'Gift Cards', currency: 'usd', country: 'us', sort: { field: 'name', direction: 'asc' as 'ASC' }, limit: 500 });
  const names = giftCards.items.map((p) => p.name);
  assert.deepEqual(names, [...names].sort());
  assert.ok(giftCards.items.every((p) => p.category === 'Gift Cards' && p.currency === 'USD' && p.country === 'US'));
  assert.ok(names.includes('Amazon Gift Card - USD') && names.includes('Google Play Gift Card - USD'));

  const page = await engine.listProducts(pid, { page: 4, limit: 60 });
  assert.deepEqual([page.items.length, page.total], [20, 200]);
  await rejectsWith(engine.listProducts(pid, { sort: { field: 'price', direction: 'ASC' } }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.listProducts(pid, { limit: 0 }), 400, 'E_VALIDATION_FAILURE');

  const amazon = await engine.getProduct(pid, 1001);
  assert.deepEqual(
    { ...amazon, terms: undefined, details: undefined, how_to_use: undefined },
    {
      id: 1001,
      name: 'Amazon Gift Card - USD',
      category: 'Gift Cards',
      sub_category: 'E-commerce',
      country_id: 1,
      currency_id: 1,
      country: 'US',
      currency: 'USD',
      image_url: 'https://cdn.starship.com/products/amazon-gc.jpg',
      delivery_type: 'CODE',
      delivery_time: 'INSTANT',
      validity: '12 months from issue',
      available_denominations: [{ min_value: 10, max_value: 500, discount: 2.5 }],
      terms: undefined,
      details: undefined,
      how_to_use: undefined,
    },
  );
  assert.match(amazon.how_to_use ?? '', /^1\. Add items to your Amazon cart/);
  assert.equal((await engine.getProduct(pid, 2001)).delivery_time, 'DELAYED');
  await rejectsWith(engine.getProduct(pid, 77), 404, 'E_NOT_FOUND');
});

backendTest('delivery_time is live from the inventory', async (_t, engine) => {
  const partner = await newPartner(engine);
  const pid = partner.partner_id;
  assert.equal((await engine.getProduct(pid, 2001)).delivery_time, 'DELAYED');
  assert.deepEqual(await engine.checkAvailability(pid, 2001, { denomination: 10, quantity: 1 }), {
    product_id: 2001,
    denomination: 10,
    quantity: 1,
    is_available: true,
    delivery_time: 'DELAYED',
    reason: null,
  });
  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 2 });
  assert.equal((await engine.getProduct(pid, 2001)).delivery_time, 'INSTANT');
  const listed = await engine.listProducts(pid, { limit: 1 });
  assert.equal(listed.items[0]?.delivery_time, 'INSTANT');
  assert.equal((await engine.checkAvailability(pid, 2001, { denomination: 10, quantity: 2 })).delivery_time, 'INSTANT');
  assert.equal((await engine.checkAvailability(pid, 2001, { denomination: 10, quantity: 3 })).delivery_time, 'DELAYED');
  assert.equal((await engine.checkAvailability(pid, 2001, { denomination: 15, quantity: 1 })).delivery_time, 'DELAYED', 'per denomination');
  assert.equal((await engine.calculateCharges(partner.partner_id, { product_id: 2001, amount: '10', quantity: 2 })).delivery_time, 'INSTANT');

  await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 2 });
  assert.equal((await engine.getProduct(pid, 2001)).delivery_time, 'DELAYED');
});

backendTest('availability explains what cannot be ordered', async (_t, engine) => {
  const { partner_id: pid } = await newPartner(engine);
  const cases: Array<[number, number, RegExp]> = [
    [5, 1, /denomination 5\.00 is not offered; denominations: 10\.00–500\.00 USD/],
    [10.005, 1, /at most two decimals/],
    [10, 1001, /per-order maximum of 1000/],
  ];
  for (const [denomination, quantity, reason] of cases) {
    const availability = await engine.checkAvailability(pid, 1001, { denomination, quantity });
    assert.equal(availability.is_available, false);
    assert.match(availability.reason ?? '', reason);
  }
  assert.equal((await engine.checkAvailability(pid, 1001, { denomination: 25, quantity: 51 })).delivery_time, 'DELAYED', 'bulk is never instant');
  await rejectsWith(engine.checkAvailability(pid, 31337, { denomination: 10, quantity: 1 }), 404, 'E_NOT_FOUND');
});

backendTest('charges follow the spec formula', async (_t, engine) => {
  const partner = await newPartner(engine);
  assert.deepEqual(await engine.calculateCharges(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 2 }), {
    product_id: 1001,
    quantity: 2,
    currency: 'USD',
    unit_price: '25.00',
    subtotal: '50.00',
    discount: { percent: 2.5, amount: '1.25' },
    fees: [],
    fx: { from_currency: 'USD', to_currency: 'USD', rate: '1' },
    total: '48.75',
    settlement_currency: 'USD',
    delivery_time: 'INSTANT',
  });
  await rejectsWith(engine.calculateCharges(partner.partner_id, { product_id: 1001, amount: '1.00', quantity: 1 }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.calculateCharges(partner.partner_id, { product_id: 1001, amount: '10.00', quantity: 1, currency: 'BTC' }), 400, 'E_VALIDATION_FAILURE');
});
