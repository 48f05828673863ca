/**
 * The catalog, held in memory: it is generated once from a fixed seed (domain/catalog-seed.ts), stored in
 * the database on first start and never changes afterwards (a reset keeps it), so its ~200 products are
 * a bounded, read-only map rather than a per-request query. Only delivery_time is live (inventory.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { CatalogProduct } from '../domain/catalog-seed.ts';
import type { DeliveryTime, DeliveryType } from '../domain/enums.ts';
import { minorToNumber } from '../domain/money.ts';
import type { S } from '../engine.ts';
import { notFound } from './errors.ts';

interface StoredDenomination {
  min_minor: number;
  max_minor: number;
  discount_bp: number;
}

export class Catalog {
  private constructor(
    private readonly byId: Map<number, CatalogProduct>,
    readonly categories: readonly S['Category'][],
  ) {}

  static async load(db: Kysely<Database>): Promise<Catalog> {
    const rows = await db.selectFrom('products').selectAll().orderBy('id').execute();
    const products = rows.map(fromRow);
    const categoryRows = await db.selectFrom('categories').selectAll().orderBy('id').execute();
    const categories = categoryRows.map((c) => ({
      id: c.id,
      name: c.name,
      sub_categories: JSON.parse(c.sub_categories_json) as string[],
      product_count: c.product_count,
    }));
    return new Catalog(new Map(products.map((p) => [p.id, p])), categories);
  }

  get size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<CatalogProduct> {
    return this.byId.values();
  }

  find(productId: number): CatalogProduct | undefined {
    return this.byId.get(productId);
  }

  get(productId: number): CatalogProduct {
    const product = this.byId.get(productId);
    if (!product) throw notFound(`Product ${productId} not found.`);
    return product;
  }
}

export function toProductRow(p: CatalogProduct): Database['products'] {
  const denominations: StoredDenomination[] = p.denominations.map((d) => ({ min_minor: d.minMinor, max_minor: d.maxMinor, discount_bp: d.discountBp }));
  return {
    id: p.id,
    name: p.name,
    category: p.category,
    sub_category: p.subCategory,
    country: p.country,
    country_id: p.countryId,
    currency: p.currency,
    currency_id: p.currencyId,
    image_url: p.imageUrl,
    delivery_type: p.deliveryType,
    validity: p.validity,
    validity_months: p.validityMonths,
    terms: p.terms,
    details: p.details,
    how_to_use: p.howToUse,
    denominations_json: JSON.stringify(denominations),
  };
}

function fromRow(row: Database['products']): CatalogProduct {
  const denominations = (JSON.parse(row.denominations_json) as StoredDenomination[]).map((d) => ({
    minMinor: d.min_minor,
    maxMinor: d.max_minor,
    discountBp: d.discount_bp,
  }));
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    subCategory: row.sub_category,
    country: row.country,
    countryId: row.country_id,
    currency: row.currency,
    currencyId: row.currency_id,
    imageUrl: row.image_url,
    deliveryType: row.delivery_type as DeliveryType,
    validity: row.validity,
    validityMonths: row.validity_months,
    terms: row.terms,
    details: row.details,
    howToUse: row.how_to_use,
    denominations,
  };
}

/** The API's Product; list responses leave out the long texts (the spec allows it). */
export function renderProduct(p: CatalogProduct, deliveryTime: DeliveryTime, withTexts: boolean): S['Product'] {
  const product: S['Product'] = {
    id: p.id,
    name: p.name,
    category: p.category,
    sub_category: p.subCategory,
    country_id: p.countryId,
    currency_id: p.currencyId,
    country: p.country,
    currency: p.currency,
    image_url: p.imageUrl,
    delivery_type: p.deliveryType,
    delivery_time: deliveryTime,
    validity: p.validity,
    available_denominations: p.denominations.map((d) => ({
      min_value: minorToNumber(d.minMinor),
      max_value: minorToNumber(d.maxMinor),
      discount: d.discountBp / 100,
    })),
  };
  if (withTexts) Object.assign(product, { terms: p.terms, details: p.details, how_to_use: p.howToUse });
  return product;
}
