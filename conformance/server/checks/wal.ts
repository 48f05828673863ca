/** WAL: the wallet is debited by the order total at placement, refunded on cancel, and the ledger adds up. */
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import { expectError, expectStatus, fromMinor, orderBody, pendingOrder, placeOrder, toMinor, walletBalance, type Json } from '../fixtures.ts';
import { expect, type Check } from '../types.ts';

async function transactionsOf(ctx: SuiteContext, orderId: string): Promise<Json[]> {
  const reply = await ctx.api.call('listTransactions', { query: { order_id: orderId } });
  expectStatus(reply, 200, `GET /transactions?order_id=${orderId}`);
  return reply.body;
}

const SIGN: Record<string, number> = { DEBIT: -1, REFUND: 1, CREDIT: 1 };

export const WAL_CHECKS: Check[] = [
  {
    id: 'WAL-DEBIT-AT-PLACEMENT',
    group: 'WAL',
    title: 'Placing an order debits total_amount at once, recorded as a DEBIT transaction',
    level: 'MUST',
    clause: CLAUSES.walletDebit,
    needs: 'server',
    run: async (ctx) => {
      const body = await orderBody(ctx);
      const before = await walletBalance(ctx, body.currency!);
      const placed = await placeOrder(ctx, body);
      expectStatus(placed, 200, 'POST /orders');
      const total = toMinor(placed.body.total_amount);
      const after = await walletBalance(ctx, body.currency!);
      expect(before - after === total, `the ${body.currency} wallet went ${fromMinor(before)} → ${fromMinor(after)} for an order of ${placed.body.total_amount}`);
      const debit = (await transactionsOf(ctx, placed.body.id)).find((t) => t.type === 'DEBIT');
      expect(debit && toMinor(debit.amount) === total, `no DEBIT of ${placed.body.total_amount} for order ${placed.body.id}`);
      expect(toMinor(debit.balance_after) === after, `the DEBIT's balance_after ${debit.balance_after} is not the wallet balance ${fromMinor(after)}`);
    },
  },
  {
    id: 'WAL-REFUND-ON-CANCEL',
    group: 'WAL',
    title: 'Cancelling a PENDING order refunds its total as a REFUND transaction',
    level: 'MUST',
    clause: CLAUSES.adminCancel,
    needs: 'control',
    run: async (ctx) => {
      const order = await pendingOrder(ctx);
      const before = await walletBalance(ctx, order.currency);
      await ctx.requireControl().cancelOrder({ path: { order_id: order.id }, body: { reason: 'conformance refund' } });
      const after = await walletBalance(ctx, order.currency);
      expect(after - before === toMinor(order.total_amount), `cancelling an order of ${order.total_amount} moved the wallet ${fromMinor(before)} → ${fromMinor(after)}`);
      const refund = (await transactionsOf(ctx, order.id)).find((t) => t.type === 'REFUND');
      expect(refund && refund.amount === order.total_amount, `no REFUND of ${order.total_amount} listed for order ${order.id}`);
    },
  },
  {
    id: 'WAL-INSUFFICIENT-FUNDS',
    group: 'WAL',
    title: 'An order the wallet cannot pay → 422 E_INSUFFICIENT_FUNDS, nothing debited',
    level: 'MUST',
    clause: CLAUSES.walletDebit,
    needs: 'control',
    run: async (ctx) => {
      const body = await orderBody(ctx);
      const poor = await ctx.requireControl().createPartner({ body: { name: 'Conformance poor', wallets: [{ currency: body.currency ?? 'USD', balance: '0.01' }] } });
      const credentials = { apiKey: poor.api_key, apiSecret: poor.api_secret };
      expectError(await ctx.api.call('createOrder', { body, credentials }), 422, 'E_INSUFFICIENT_FUNDS', 'POST /orders from a wallet holding 0.01');
      const wallets = await ctx.api.call('listWallets', { credentials });
      expect(wallets.body?.[0]?.balance === '0.01', `the rejected order changed the wallet to ${wallets.body?.[0]?.balance}`);
      const orders = await ctx.api.call('listOrders', { credentials });
      expect(orders.headers.get('x-total-count') === '0', `the rejected order was stored (X-Total-Count ${orders.headers.get('x-total-count')})`);
    },
  },
  {
    id: 'WAL-LEDGER-CHAIN',
    group: 'WAL',
    title: "Consecutive transactions' balance_after differ by their amounts",
    level: 'SHOULD',
    clause: CLAUSES.walletDebit,
    needs: 'server',
    run: async (ctx) => {
      const body = await orderBody(ctx);
      const reply = await ctx.api.call('listTransactions', { query: { currency: body.currency!, limit: 30 } });
      expectStatus(reply, 200, 'GET /transactions');
      const list = reply.body as Json[];
      let pairs = 0;
      for (let i = 0; i + 1 < list.length; i++) {
        const [newer, older] = [list[i]!, list[i + 1]!];
        const sign = SIGN[newer.type];
        if (sign === undefined) continue;
        pairs++;
        const delta = toMinor(newer.balance_after) - toMinor(older.balance_after);
        expect(delta === sign * toMinor(newer.amount), `${newer.id} (${newer.type} ${newer.amount}) moved balance_after ${older.balance_after} → ${newer.balance_after}`);
      }
      return `${pairs} consecutive pairs checked`;
    },
  },
];
