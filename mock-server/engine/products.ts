/**
 * Catalog reads and quotes: categories, products, availability and charges, with a live delivery_time computed
 * from the calling partner's own pools (on its clock: `ctx` is the partner's).
 */
import type { CatalogProduct } from '../domain/catalog-seed.ts';
import { parseEnum, type DeliveryTime } from '../domain/enums.ts';
import { formatMinor, numberToMinor } from '../domain/money.ts';
import { isBulk } from '../domain/order-rules.ts';
import { findDenomination } from '../domain/pricing.ts';
import type { ListResult, PageQuery, ProductQuery, S } from '../engine.ts';
import type { EngineContext } from './context.ts';
import { invalid } from './errors.ts';
import { availableCount, productInStock, productsInStock, type PoolKey } from './inventory.ts';
import { describeDenominations, MAX_QUANTITY, resolveLine, type OrderLine } from './order-line.ts';
import { pageOf } from './pagination.ts';

const SORT_FIELDS = {
  id: (p: CatalogProduct) => p.id,
  name: (p: CatalogProduct) => p.name,
  category: (p: CatalogProduct) => p.category,
  sub_category: (p: CatalogProduct) => p.subCategory,
} as const;

export function listCategories(ctx: EngineContext, query: PageQuery): ListResult<S['Category']> {
  const { limit, offset } = pageOf(query);
  const all = ctx.catalog.categories;
  return ctx.catalog.page(`categories ${offset} ${limit}`, Math.min(limit, all.length) + 1, () => ({
    items: all.slice(offset, offset + limit),
    total: all.length,
  }));
}

export async function listProducts(ctx: EngineContext, partnerId: string, query: ProductQuery): Promise<ListResult<S['Product']>> {
  const { limit, offset } = pageOf(query);
  const sort = query.sort ?? { field: 'id', direction: 'DESC' };
  const key = Object.hasOwn(SORT_FIELDS, sort.field) ? SORT_FIELDS[sort.field as keyof typeof SORT_FIELDS] : undefined;
  const direction = parseEnum(String(sort.direction ?? 'DESC'), ['ASC', 'DESC'] as const);
  const problems: string[] = [];
  if (!key) problems.push(`sort.field must be one of ${Object.keys(SORT_FIELDS).join(', ')}`);
  if (!direction) problems.push('sort.direction must be ASC or DESC');
  if (!key || !direction) throw invalid(...problems);

  const currency = query.currency?.toUpperCase();
  const country = query.country?.toUpperCase();
  const listingKey = JSON.stringify([query.category ?? null, currency ?? null, country ?? null, sort.field, direction]);
  const matching = ctx.catalog.listing(listingKey, () => {
    const selected = [...ctx.catalog.all()].filter(
      (p) => (query.category === undefined || p.category === query.category) && (!currency || p.currency === currency) && (!country || p.country === country),
    );
    const sign = direction === 'ASC' ? 1 : -1;
    return selected.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return (x < y ? -1 : x > y ? 1 : a.id - b.id) * sign;
    });
  });
  const page = matching.slice(offset, offset + limit);
  const today = ctx.clock.today();
  const inStock = await ctx.stock.inStock(
    `${partnerId} ${today}`,
    page.map((p) => p.id),
    (ids) => productsInStock(ctx.db, partnerId, ids, today),
  );
  const deliveryTimes = page.map((p) => (inStock.has(p.id) ? 'INSTANT' : 'DELAYED'));
  return ctx.catalog.page(`products ${listingKey} ${offset} ${limit} ${deliveryTimes.map((d) => d[0]).join('')}`, page.length + 1, () => ({
    items: page.map((p, i) => ctx.catalog.view(p, deliveryTimes[i]!, false)),
    total: matching.length,
  }));
}

export async function getProduct(ctx: EngineContext, partnerId: string, productId: number): Promise<S['Product']> {
  const product = ctx.catalog.get(productId);
  const today = ctx.clock.today();
  const inStock = await ctx.stock.inStock(`${partnerId} ${today}`, [product.id], async (ids) =>
    (await productInStock(ctx.db, ctx.seedStock, partnerId, ids[0]!, today)) ? new Set(ids) : new Set<number>(),
  );
  return ctx.catalog.view(product, inStock.has(product.id) ? 'INSTANT' : 'DELAYED', true);
}

/** INSTANT when every unit of a non-bulk order could come from the cache right now. */
export async function poolDeliveryTime(ctx: EngineContext, pool: PoolKey, quantity: number): Promise<DeliveryTime> {
  if (isBulk(quantity)) return 'DELAYED';
  const available = await availableCount(ctx.db, ctx.seedStock, pool, ctx.clock.today(), quantity);
  return available >= quantity ? 'INSTANT' : 'DELAYED';
}

export async function checkAvailability(ctx: EngineContext, partnerId: string, productId: number, body: S['AvailabilityRequest']): Promise<S['Availability']> {
  const product = ctx.catalog.get(productId);
  const base = { product_id: product.id, denomination: body.denomination, quantity: body.quantity };
  const amountMinor = numberToMinor(body.denomination);
  let reason: string | undefined;
  if (amountMinor === undefined) reason = 'denomination must be a positive amount with at most two decimals';
  else if (!findDenomination(product.denominations, amountMinor)) {
    reason = `denomination ${formatMinor(amountMinor)} is not offered; denominations: ${describeDenominations(product)}`;
  } else if (body.quantity > MAX_QUANTITY) reason = `quantity is above the per-order maximum of ${MAX_QUANTITY}`;
  if (reason !== undefined || amountMinor === undefined) return { ...base, is_available: false, delivery_time: 'DELAYED', reason: reason ?? null };
  const deliveryTime = await poolDeliveryTime(ctx, { partnerId, productId: product.id, amountMinor, currency: product.currency }, body.quantity);
  return { ...base, is_available: true, delivery_time: deliveryTime, reason: null };
}

export async function calculateCharges(ctx: EngineContext, partnerId: string, body: S['ChargesRequest']): Promise<S['Charges']> {
  const line = resolveLine(ctx.catalog, body);
  const deliveryTime = await poolDeliveryTime(ctx, poolOf(partnerId, line), line.quantity);
  return renderCharges(line, deliveryTime);
}

export function poolOf(partnerId: string, line: OrderLine): PoolKey {
  return { partnerId, productId: line.product.id, amountMinor: line.amountMinor, currency: line.product.currency };
}

function renderCharges(line: OrderLine, deliveryTime: DeliveryTime): S['Charges'] {
  const q = line.quote;
  return {
    product_id: line.product.id,
    quantity: q.quantity,
    currency: q.productCurrency,
    unit_price: formatMinor(q.unitMinor),
    subtotal: formatMinor(q.subtotalMinor),
    discount: { percent: q.discountBp / 100, amount: formatMinor(q.discountMinor) },
    fees: q.fees.map((f) => ({ type: f.type, amount: formatMinor(f.amountMinor), description: f.description })),
    fx: { from_currency: q.fx.from, to_currency: q.fx.to, rate: q.fx.decimal },
    total: formatMinor(q.totalMinor),
    settlement_currency: q.settlementCurrency,
    delivery_time: deliveryTime,
  };
}
