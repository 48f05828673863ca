/**
 * pumpInventory: loads generated vouchers into a partner's (product, amount, currency) pool, like the 30-minute
 * production pump — one partner's, or every existing partner's (`count` each). With DISABLE_AUTO_ORDER_RETRY
 * off, each pumped partner's open orders of that product and denomination are then retried from its cache,
 * oldest first, until the pool runs dry (for an ALLOW_AUTO_VENDOR_FULFILL product the misses go to its vendor,
 * so every open order is served). One transaction, retried orders' webhook events included.
 */
import { isCalendarDate } from '@starship/contract/formats';
import { formatMinor, MoneyFormatError, toMinor } from '../domain/money.ts';
import { findDenomination } from '../domain/pricing.ts';
import type { C } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { invalid } from './errors.ts';
import { progressOrder } from './fulfillment.ts';
import { availableCount, insertVouchers, mintVouchers, voucherExpiry, type PoolKey } from './inventory.ts';
import { describeDenominations } from './order-line.ts';
import { requirePartner } from './partners.ts';
import { recordOrderChange } from './outbox.ts';
import { readSettings } from './settings.ts';

export const MAX_PUMP = 10_000;

export async function pumpInventory(ctx: EngineContext, body: C['PumpInventoryRequest']): Promise<C['PumpInventoryResult']> {
  const product = ctx.catalog.get(body.product_id);
  const problems: string[] = [];
  let amountMinor = 0;
  try {
    amountMinor = toMinor(body.amount);
    if (!findDenomination(product.denominations, amountMinor)) {
      problems.push(`amount ${formatMinor(amountMinor)} is not a denomination of product ${product.id} (${describeDenominations(product)})`);
    }
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    problems.push(`amount must be a decimal string with at most two fraction digits (got "${body.amount}")`);
  }
  const currency = body.currency.toUpperCase();
  if (currency !== product.currency) problems.push(`currency must be the product's currency, ${product.currency}`);
  if (!Number.isInteger(body.count) || body.count < 1 || body.count > MAX_PUMP) problems.push(`count must be an integer between 1 and ${MAX_PUMP}`);
  if (body.expiry && !isCalendarDate(body.expiry)) problems.push('expiry must be a calendar date (YYYY-MM-DD)');
  if (problems.length) throw invalid(...problems);

  if (body.partner_id) await requirePartner(ctx, body.partner_id);
  const partnerIds = body.partner_id ? [body.partner_id] : (await ctx.db.selectFrom('partners').select('id').orderBy('id').execute()).map((p) => p.id);
  const partners = await Promise.all(partnerIds.map((id) => ctx.forPartner(id)));
  return ctx.db.transaction().execute(async (trx) => {
    const settings = await readSettings(trx);
    const retried: string[] = [];
    let available = 0;
    for (const [i, partnerId] of partnerIds.entries()) {
      const pctx = partners[i]!;
      const pool: PoolKey = { partnerId, productId: product.id, amountMinor, currency };
      const expiry = body.expiry === undefined ? voucherExpiry(product, pctx.clock.now()) : body.expiry;
      const minted = mintVouchers(pctx, product, amountMinor, body.count, { partnerId, status: 'AVAILABLE', source: 'CACHE', expiry });
      await insertVouchers(trx, minted.map((m) => m.row));
      if (!settings.disable_auto_order_retry) retried.push(...(await retryOpenOrders(pctx, trx, pool, settings.allow_auto_vendor_fulfill.includes(product.id))));
      available += await availableCount(trx, pctx.seedStock, pool, pctx.clock.today());
    }
    return {
      partner_id: body.partner_id ?? null,
      partners: partnerIds.length,
      product_id: product.id,
      amount: formatMinor(amountMinor),
      currency,
      added: body.count * partnerIds.length,
      available,
      retried_order_ids: retried,
    };
  });
}

/** The partner's open orders of the pool, oldest first, from its cache until it runs dry (for an auto-vendor product, every one). */
async function retryOpenOrders(ctx: EngineContext, trx: Executor, pool: PoolKey, vendorFallback: boolean): Promise<string[]> {
  const retried: string[] = [];
  const open = await trx
    .selectFrom('orders')
    .selectAll()
    .where('partner_id', '=', pool.partnerId)
    .where('status', 'in', ['PENDING', 'PARTIALLY_DELIVERED'])
    .where('product_id', '=', pool.productId)
    .where('amount_minor', '=', pool.amountMinor)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const order of open) {
    if (!vendorFallback && (await availableCount(trx, ctx.seedStock, pool, ctx.clock.today(), 1)) === 0) break;
    const progress = await progressOrder(ctx, trx, order);
    await recordOrderChange(ctx, trx, order, progress.order);
    if (progress.delivered > 0) retried.push(order.id);
  }
  return retried;
}
