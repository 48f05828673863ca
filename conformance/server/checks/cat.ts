/** CAT: categories, products, product details, availability and charges, and the live delivery_time. */
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import { expectStatus, orderTarget, pump, randomAmount } from '../fixtures.ts';
import { expect, type Check } from '../types.ts';

async function availability(ctx: SuiteContext, amount: string) {
  const target = await orderTarget(ctx);
  const reply = await ctx.api.call('checkProductAvailability', { pathParams: { product_id: target.productId }, body: { denomination: Number(amount), quantity: 1 } });
  expectStatus(reply, 200, `POST /products/${target.productId}/availability`);
  return reply.body;
}

export const CAT_CHECKS: Check[] = [
  {
    id: 'CAT-CATEGORIES',
    group: 'CAT',
    title: 'GET /categories lists categories with id and name',
    level: 'MUST',
    clause: CLAUSES.catalog,
    needs: 'spec',
    run: async (ctx) => {
      const reply = await ctx.api.call('listCategories');
      expectStatus(reply, 200, 'GET /categories');
      expect(Array.isArray(reply.body) && reply.body.length > 0, 'GET /categories returned no categories');
      expect(reply.body.every((c: any) => Number.isInteger(c?.id) && typeof c?.name === 'string'), 'a category lacks an integer id or a name');
    },
  },
  {
    id: 'CAT-PRODUCT-DETAIL',
    group: 'CAT',
    title: 'GET /products/{product_id} returns the product listed under that id',
    level: 'MUST',
    clause: CLAUSES.catalog,
    needs: 'server',
    run: async (ctx) => {
      const list = await ctx.api.call('listProducts', { query: { limit: 5, page: 2 } });
      expectStatus(list, 200, 'GET /products');
      const listed = Array.isArray(list.body) ? list.body[0] : undefined;
      expect(listed, 'GET /products?page=2&limit=5 returned no product');
      const detail = await ctx.api.call('getProduct', { pathParams: { product_id: listed.id } });
      expectStatus(detail, 200, `GET /products/${listed.id}`);
      expect(detail.body?.id === listed.id && detail.body?.name === listed.name, `GET /products/${listed.id} returned product ${detail.body?.id} (${detail.body?.name})`);
    },
  },
  {
    id: 'CAT-CATEGORY-FILTER',
    group: 'CAT',
    title: 'GET /products?category=… returns only that category',
    level: 'SHOULD',
    clause: CLAUSES.categoryFilter,
    needs: 'server',
    run: async (ctx) => {
      const categories = await ctx.api.call('listCategories');
      expectStatus(categories, 200, 'GET /categories');
      const name = categories.body?.[1]?.name ?? categories.body?.[0]?.name;
      const reply = await ctx.api.call('listProducts', { query: { category: name, limit: 50 } });
      expectStatus(reply, 200, `GET /products?category=${name}`);
      const other = (reply.body as any[]).find((p) => p?.category !== name);
      expect(!other, `GET /products?category=${name} returned product ${other?.id} in ${JSON.stringify(other?.category)}`);
    },
  },
  {
    id: 'CAT-AVAILABILITY',
    group: 'CAT',
    title: 'POST /products/{product_id}/availability answers is_available and delivery_time',
    level: 'MUST',
    clause: CLAUSES.availability,
    needs: 'spec',
    run: async (ctx) => {
      const body = await availability(ctx, randomAmount(await orderTarget(ctx)));
      expect(typeof body?.is_available === 'boolean', `is_available is ${JSON.stringify(body?.is_available)}`);
      expect(['INSTANT', 'DELAYED'].includes(body?.delivery_time), `delivery_time is ${JSON.stringify(body?.delivery_time)}`);
    },
  },
  {
    id: 'CAT-CHARGES',
    group: 'CAT',
    title: 'POST /charges quotes a total as a decimal string',
    level: 'MUST',
    clause: CLAUSES.catalog,
    needs: 'spec',
    run: async (ctx) => {
      const target = await orderTarget(ctx);
      const reply = await ctx.api.call('calculateCharges', { body: { product_id: target.productId, amount: randomAmount(target), quantity: 2 } });
      expectStatus(reply, 200, 'POST /charges');
      expect(typeof reply.body?.total === 'string' && /^\d+(\.\d{1,2})?$/.test(reply.body.total), `total is ${JSON.stringify(reply.body?.total)}, not a decimal string`);
    },
  },
  {
    id: 'CAT-DELIVERY-TIME-LIVE',
    group: 'CAT',
    title: 'delivery_time is live: DELAYED on an empty pool, INSTANT once it is pumped',
    level: 'MUST',
    clause: CLAUSES.deliveryTimeLive,
    needs: 'control',
    run: async (ctx) => {
      ctx.requireControl();
      const target = await orderTarget(ctx);
      const amount = randomAmount(target);
      const before = await availability(ctx, amount);
      expect(before?.delivery_time === 'DELAYED', `an unstocked amount ${amount} shows delivery_time ${before?.delivery_time}`);
      await pump(ctx, amount, 1);
      const after = await availability(ctx, amount);
      expect(after?.delivery_time === 'INSTANT', `after a pump of ${amount}, availability shows delivery_time ${after?.delivery_time}`);
      const charges = await ctx.api.call('calculateCharges', { body: { product_id: target.productId, amount, quantity: 1 } });
      expect(charges.body?.delivery_time === 'INSTANT', `after a pump of ${amount}, POST /charges shows delivery_time ${charges.body?.delivery_time}`);
    },
  },
];
