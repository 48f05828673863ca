/**
 * The catalog, held in memory: it is generated once from a fixed seed (domain/catalog-seed.ts), stored in
 * the database on first start and never changes afterwards (a reset keeps it), so its products (~200 by
 * default) are a bounded, read-only map rather than a per-request query. Only delivery_time is live
 * (inventory.ts), so a product's view is rendered once per delivery_time and a page once per query and
 * stock (stable-views.ts), and the filtered, sorted order of a listing once per filter and sort.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { CatalogProduct } from '../domain/catalog-seed.ts';
import type { DeliveryTime, DeliveryType } from '../domain/enums.ts';
import { minorToNumber } from '../domain/money.ts';
import type { S } from '../engine.ts';
import { notFound } from './errors.ts';
import { ViewMemo } from './stable-views.ts';

interface StoredDenomination {
  min_minor: number;
  max_minor: number;
  discount_bp: number;
}

/** Products (weights) of pages kept rendered, and filtered, sorted listings kept. */
const PAGE_CAPACITY = 50_000;
const LISTING_CAPACITY = 256;

export class Catalog {
  readonly #views: ViewMemo<S['Product']>;
  readonly #pages = new ViewMemo<object>(PAGE_CAPACITY);
  readonly #listings = new Map<string, readonly CatalogProduct[]>();

  private constructor(
    private readonly byId: Map<number, CatalogProduct>,
    readonly categories: readonly S['Category'][],
  ) {
    this.#views = new ViewMemo(4 * byId.size + 16);
  }

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

  /** The product as the API shows it (renderProduct), one frozen view per delivery_time and form. */
  view(p: CatalogProduct, deliveryTime: DeliveryTime, withTexts: boolean): S['Product'] {
    return this.#views.get(`${p.id} ${deliveryTime} ${withTexts ? 'full' : 'list'}`, () => renderProduct(p, deliveryTime, withTexts));
  }

  /** A page built once per key (which must name everything the page depends on), frozen; it weighs `weight`. */
  page<P extends object>(key: string, weight: number, build: () => P): P {
    return this.#pages.get(key, build, weight) as P;
  }

  /** The products a filter and sort select, in order, computed once per key. */
  listing(key: string, build: () => CatalogProduct[]): readonly CatalogProduct[] {
    let listing = this.#listings.get(key);
    if (!listing) {
      if (this.#listings.size >= LISTING_CAPACITY) this.#listings.clear();
      listing = build();
      this.#listings.set(key, listing);
    }
    return listing;
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
