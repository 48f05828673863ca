/**
 * ORD: both fulfillment paths of POST /orders (cache hit → DELIVERED with vouchers; miss → PENDING until an
 * operator acts), the operator actions (retry after a pump, vendor fallback, cancel), partial and bulk
 * orders, and GET /orders agreeing with what was placed.
 */
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import { deliveredOrder, expectStatus, orderBody, pendingOrder, placeOrder, pump, randomAmount, orderTarget, type Json } from '../fixtures.ts';
import { expect, type Check } from '../types.ts';

const hasVoucher = (item: Json) => item?.voucher != null && (typeof item.voucher.code === 'string' || typeof item.voucher.url === 'string');

async function getOrder(ctx: SuiteContext, id: string): Promise<Json> {
  const reply = await ctx.api.call('getOrder', { pathParams: { order_id: id } });
  expectStatus(reply, 200, `GET /orders/${id}`);
  return reply.body;
}


export const ORD_CHECKS: Check[] = [
  {
    id: 'ORD-GET-MATCHES',
    group: 'ORD',
    title: 'GET /orders/{order_id} returns the order as placed',
    level: 'MUST',
    clause: CLAUSES.getOrder,
    needs: 'server',
    run: async (ctx) => {
      const placed = await placeOrder(ctx, await orderBody(ctx));
      expectStatus(placed, 200, 'POST /orders');
      const order = await getOrder(ctx, placed.body.id);
      for (const field of ['id', 'product_id', 'amount', 'quantity', 'currency', 'total_amount'] as const) {
        expect(order[field] === placed.body[field], `GET /orders/${placed.body.id}: ${field} is ${JSON.stringify(order[field])}, placed ${JSON.stringify(placed.body[field])}`);
      }
    },
  },
  {
    id: 'ORD-LIST-CONTAINS',
    group: 'ORD',
    title: 'A new order is listed first by GET /orders (newest first)',
    level: 'SHOULD',
    clause: CLAUSES.getOrder,
    needs: 'server',
    run: async (ctx) => {
      const placed = await placeOrder(ctx, await orderBody(ctx));
      expectStatus(placed, 200, 'POST /orders');
      const list = await ctx.api.call('listOrders', { query: { limit: 5 } });
      expectStatus(list, 200, 'GET /orders');
      expect((list.body as Json[]).some((o) => o?.id === placed.body.id), `order ${placed.body.id} is not on the first page of GET /orders`);
    },
  },
  {
    id: 'ORD-DELIVERED-FROM-CACHE',
    group: 'ORD',
    title: 'A cache hit is DELIVERED / INVENTORY_FULFILLED with vouchers in the response',
    level: 'MUST',
    clause: CLAUSES.cacheHit,
    needs: 'control',
    run: async (ctx) => {
      const order = await deliveredOrder(ctx);
      expect(order.status === 'DELIVERED' && order.sub_status === 'INVENTORY_FULFILLED', `a pumped order is ${order.status} / ${order.sub_status}`);
      expect(order.fulfilled_from_cache === order.quantity && order.pending_items === 0, `fulfilled_from_cache ${order.fulfilled_from_cache}, pending_items ${order.pending_items} for quantity ${order.quantity}`);
      expect(order.items?.length === order.quantity && order.items.every(hasVoucher), 'not every item carries a voucher');
    },
  },
  {
    id: 'ORD-GET-VOUCHERS',
    group: 'ORD',
    title: 'GET /orders/{order_id} returns the delivered vouchers',
    level: 'MUST',
    clause: CLAUSES.cacheHit,
    needs: 'control',
    run: async (ctx) => {
      const placed = await deliveredOrder(ctx);
      const order = await getOrder(ctx, placed.id);
      expect(order.status === 'DELIVERED', `GET shows ${order.status}`);
      const codes = (items: Json[]) => JSON.stringify(items.map((i) => i.voucher));
      expect(codes(order.items) === codes(placed.items), 'GET /orders/{order_id} returns other vouchers than POST /orders did');
    },
  },
  {
    id: 'ORD-PENDING-ON-MISS',
    group: 'ORD',
    title: 'A cache miss is PENDING / VENDOR_ORDER_PENDING, without vouchers, and stays PENDING',
    level: 'MUST',
    clause: CLAUSES.cacheMiss,
    needs: 'control',
    run: async (ctx) => {
      const order = await pendingOrder(ctx);
      expect(order.sub_status === 'VENDOR_ORDER_PENDING', `sub_status is ${order.sub_status}`);
      expect(order.pending_items === order.quantity && !order.items.some(hasVoucher), 'a PENDING order carries vouchers or miscounts pending_items');
      const later = await getOrder(ctx, order.id);
      expect(later.status === 'PENDING', `without operator action the order became ${later.status}`);
    },
  },
  {
    id: 'ORD-RETRY-AFTER-PUMP',
    group: 'ORD',
    title: 'After a pump, an operator retry fulfills a PENDING order from the cache',
    level: 'MUST',
    clause: CLAUSES.operatorRetry,
    needs: 'control',
    run: async (ctx) => {
      const order = await pendingOrder(ctx);
      await pump(ctx, order.amount, 1);
      await ctx.requireControl().retryOrder({ path: { order_id: order.id } });
      const after = await getOrder(ctx, order.id);
      expect(after.status === 'DELIVERED' && after.items.every(hasVoucher), `after pump + retry the order is ${after.status} / ${after.sub_status}`);
    },
  },
  {
    id: 'ORD-VENDOR-FALLBACK',
    group: 'ORD',
    title: 'Operator vendor fallback → DELIVERED / VENDOR_VOUCHER_FETCHED',
    level: 'SHOULD',
    clause: CLAUSES.vendorFallback,
    needs: 'control',
    run: async (ctx) => {
      const order = await pendingOrder(ctx);
      await ctx.requireControl().fulfillOrderFromVendor({ path: { order_id: order.id }, body: {} });
      const after = await getOrder(ctx, order.id);
      expect(after.status === 'DELIVERED' && after.sub_status === 'VENDOR_VOUCHER_FETCHED' && after.items.every(hasVoucher), `after vendor fallback the order is ${after.status} / ${after.sub_status}`);
    },
  },
  {
    id: 'ORD-CANCEL',
    group: 'ORD',
    title: 'Operator cancel → CANCELLED',
    level: 'MUST',
    clause: CLAUSES.adminCancel,
    needs: 'control',
    run: async (ctx) => {
      const order = await pendingOrder(ctx);
      await ctx.requireControl().cancelOrder({ path: { order_id: order.id }, body: { reason: 'conformance' } });
      const after = await getOrder(ctx, order.id);
      expect(after.status === 'CANCELLED', `after cancel the order is ${after.status}`);
    },
  },
  {
    id: 'ORD-PARTIAL',
    group: 'ORD',
    title: 'A cache holding some units → PARTIALLY_DELIVERED',
    level: 'SHOULD',
    clause: CLAUSES.partialDelivery,
    needs: 'control',
    run: async (ctx) => {
      const amount = randomAmount(await orderTarget(ctx));
      await pump(ctx, amount, 1);
      const reply = await placeOrder(ctx, await orderBody(ctx, { amount, quantity: 2 }));
      expectStatus(reply, 200, 'POST /orders');
      const order = reply.body;
      expect(order.status === 'PARTIALLY_DELIVERED' && order.pending_items === 1 && order.fulfilled_from_cache === 1, `1 of 2 units cached gave ${order.status}, pending_items ${order.pending_items}, fulfilled_from_cache ${order.fulfilled_from_cache}`);
      await ctx.requireControl().cancelOrder({ path: { order_id: order.id }, body: { reason: 'conformance cleanup' } });
    },
  },
  {
    id: 'ORD-BULK-ASYNC',
    group: 'ORD',
    title: 'quantity > 50 → 200 PENDING with no items yet',
    level: 'MUST',
    clause: CLAUSES.bulkAsync,
    needs: 'control',
    run: async (ctx) => {
      const target = await orderTarget(ctx);
      const reply = await placeOrder(ctx, await orderBody(ctx, { amount: (target.minMinor / 100).toFixed(2), quantity: 51 }));
      expectStatus(reply, 200, 'POST /orders with quantity 51');
      const order = reply.body;
      expect(order.status === 'PENDING' && order.items?.length === 0 && order.pending_items === 0 && order.fulfilled_from_cache === 0, `a bulk order is ${order.status} with ${order.items?.length} items`);
      await ctx.requireControl().cancelOrder({ path: { order_id: order.id }, body: { reason: 'conformance cleanup' } });
    },
  },
];
