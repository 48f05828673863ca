/**
 * The Charges arithmetic (spec: components/schemas/Charges.yaml), in minor units with half-up rounding:
 *
 *   subtotal = unit_price × quantity
 *   discount = subtotal × discount_percent / 100            (the matching denomination's discount)
 *   fees     = [FX_FEE = 1.00 % of (subtotal − discount)]   only when settlement ≠ product currency
 *   total    = (subtotal − discount + Σ fees) × fx.rate      (fx.ts, rate rounded to 6 decimals)
 *
 * Every amount but `total` is in the product's currency; `total` is what an order debits from the wallet
 * in the settlement currency.
 */
import { fxRate, RATE_SCALE, type FxRate } from './fx.ts';
import { mulDivHalfUp } from './money.ts';

/** A denomination in minor units; the discount in basis points (2.5 % = 250). */
export interface DenominationRule {
  minMinor: number;
  maxMinor: number;
  discountBp: number;
}

export const FX_FEE_BP = 100;

export type FeeType = 'SERVICE_FEE' | 'FX_FEE' | 'TAX';

export interface Fee {
  type: FeeType;
  amountMinor: number;
  description: string;
}

export interface Quote {
  productCurrency: string;
  settlementCurrency: string;
  unitMinor: number;
  quantity: number;
  subtotalMinor: number;
  discountBp: number;
  discountMinor: number;
  fees: Fee[];
  fx: FxRate;
  totalMinor: number;
}

export interface QuoteInput {
  unitMinor: number;
  quantity: number;
  discountBp: number;
  productCurrency: string;
  settlementCurrency: string;
}

/** The denomination an amount falls in (the first one, when ranges overlap). */
export function findDenomination(denominations: readonly DenominationRule[], amountMinor: number): DenominationRule | undefined {
  return denominations.find((d) => amountMinor >= d.minMinor && amountMinor <= d.maxMinor);
}

export function quote(input: QuoteInput): Quote {
  const { unitMinor, quantity, discountBp, productCurrency, settlementCurrency } = input;
  const subtotalMinor = mulDivHalfUp(unitMinor, quantity, 1);
  const discountMinor = mulDivHalfUp(subtotalMinor, discountBp, 10_000);
  const netMinor = subtotalMinor - discountMinor;
  const fees: Fee[] = [];
  if (productCurrency !== settlementCurrency) {
    fees.push({
      type: 'FX_FEE',
      amountMinor: mulDivHalfUp(netMinor, FX_FEE_BP, 10_000),
      description: `1.00% currency conversion fee (${productCurrency} → ${settlementCurrency})`,
    });
  }
  const fx = fxRate(productCurrency, settlementCurrency);
  const beforeFx = netMinor + fees.reduce((sum, fee) => sum + fee.amountMinor, 0);
  const totalMinor = mulDivHalfUp(beforeFx, fx.scaled, RATE_SCALE);
  return { productCurrency, settlementCurrency, unitMinor, quantity, subtotalMinor, discountBp, discountMinor, fees, fx, totalMinor };
}
