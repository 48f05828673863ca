/**
 * Resolves what an order (or a charges quote, or a simulation) asks for: the product (404 when unknown),
 * the face value inside one of its denominations, the quantity, the settlement currency (default: the
 * product's currency; any currency of the FX table, fx.ts) and the priced quote. Validation problems are
 * collected and thrown together as 400 E_VALIDATION_FAILURE with one message each.
 */
import type { CatalogProduct } from '../domain/catalog-seed.ts';
import { CURRENCIES, isSupportedCurrency } from '../domain/fx.ts';
import { formatMinor, MoneyFormatError, toMinor } from '../domain/money.ts';
import { findDenomination, quote, type DenominationRule, type Quote } from '../domain/pricing.ts';
import type { Catalog } from './catalog.ts';
import { invalid } from './errors.ts';

export const MAX_QUANTITY = 1000;

export interface OrderLine {
  product: CatalogProduct;
  amountMinor: number;
  quantity: number;
  settlementCurrency: string;
  quote: Quote;
}

export interface LineRequest {
  product_id: number;
  amount: string;
  quantity: number;
  currency?: string;
}

export function resolveLine(catalog: Catalog, body: LineRequest): OrderLine {
  const product = catalog.get(body.product_id);
  const problems: string[] = [];

  let amountMinor = 0;
  let denomination: DenominationRule | undefined;
  try {
    amountMinor = toMinor(body.amount);
    denomination = findDenomination(product.denominations, amountMinor);
    if (!denomination) {
      problems.push(`amount ${formatMinor(amountMinor)} is not offered for product ${product.id}; denominations: ${describeDenominations(product)}`);
    }
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    problems.push(`amount must be a decimal string with at most two fraction digits (got "${body.amount}")`);
  }

  if (!Number.isInteger(body.quantity) || body.quantity < 1 || body.quantity > MAX_QUANTITY) {
    problems.push(`quantity must be an integer between 1 and ${MAX_QUANTITY}`);
  }

  const settlementCurrency = (body.currency ?? product.currency).toUpperCase();
  if (!isSupportedCurrency(settlementCurrency)) {
    problems.push(`currency ${settlementCurrency} is not a settlement currency; use one of ${CURRENCIES.map((c) => c.code).join(', ')}`);
  }

  if (problems.length || !denomination) throw invalid(...problems);
  return {
    product,
    amountMinor,
    quantity: body.quantity,
    settlementCurrency,
    quote: quote({
      unitMinor: amountMinor,
      quantity: body.quantity,
      discountBp: denomination.discountBp,
      productCurrency: product.currency,
      settlementCurrency,
    }),
  };
}

export function describeDenominations(product: CatalogProduct): string {
  const ranges = product.denominations.map((d) =>
    d.minMinor === d.maxMinor ? formatMinor(d.minMinor) : `${formatMinor(d.minMinor)}–${formatMinor(d.maxMinor)}`,
  );
  return `${ranges.join(', ')} ${product.currency}`;
}
