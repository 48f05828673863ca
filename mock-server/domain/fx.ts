/**
 * The sandbox's fixed FX table. Rates never move, so a quote, the order it becomes and a test's expected
 * total always agree. Each currency is quoted as units per 1 USD (4 decimals); a cross rate is
 * per_usd(to) / per_usd(from), rounded half-up to 6 decimals, and that rounded rate is the one applied
 * and shown in the Charges `fx.rate`. Every currency here has two fraction digits (money.ts relies on it).
 *
 * | Code | id | per USD |
 * |---|---|---|
 * | USD | 1 | 1.0000 |
 * | EUR | 2 | 0.9200 |
 * | GBP | 3 | 0.7900 |
 * | INR | 4 | 83.2000 |
 * | AED | 5 | 3.6725 |
 * | SGD | 6 | 1.3400 |
 * | AUD | 7 | 1.5200 |
 * | CAD | 8 | 1.3600 |
 */

export interface CurrencyInfo {
  code: string;
  id: number;
  name: string;
  /** Units of this currency per 1 USD, × 10^4. */
  perUsd: number;
}

export const CURRENCIES: readonly CurrencyInfo[] = [
  { code: 'USD', id: 1, name: 'US Dollar', perUsd: 10000 },
  { code: 'EUR', id: 2, name: 'Euro', perUsd: 9200 },
  { code: 'GBP', id: 3, name: 'Pound Sterling', perUsd: 7900 },
  { code: 'INR', id: 4, name: 'Indian Rupee', perUsd: 832000 },
  { code: 'AED', id: 5, name: 'UAE Dirham', perUsd: 36725 },
  { code: 'SGD', id: 6, name: 'Singapore Dollar', perUsd: 13400 },
  { code: 'AUD', id: 7, name: 'Australian Dollar', perUsd: 15200 },
  { code: 'CAD', id: 8, name: 'Canadian Dollar', perUsd: 13600 },
];

const BY_CODE = new Map(CURRENCIES.map((c) => [c.code, c]));

/** Rates are applied as integers scaled by this factor (6 decimals). */
export const RATE_SCALE = 1_000_000;

export function currencyInfo(code: string): CurrencyInfo | undefined {
  return BY_CODE.get(code.toUpperCase());
}

export function isSupportedCurrency(code: string): boolean {
  return BY_CODE.has(code.toUpperCase());
}

export interface FxRate {
  from: string;
  to: string;
  /** Units of `to` per unit of `from`, × RATE_SCALE. */
  scaled: number;
  /** The same rate as the decimal string the API shows (`"1"`, `"0.92"`, `"1.086957"`). */
  decimal: string;
}

export function fxRate(from: string, to: string): FxRate {
  const source = BY_CODE.get(from);
  const target = BY_CODE.get(to);
  if (!source || !target) throw new RangeError(`No FX rate for ${from} → ${to}`);
  const n = BigInt(target.perUsd) * BigInt(RATE_SCALE);
  const d = BigInt(source.perUsd);
  const scaled = Number((n * 2n + d) / (2n * d));
  return { from, to, scaled, decimal: scaledToDecimal(scaled) };
}

function scaledToDecimal(scaled: number): string {
  const whole = Math.trunc(scaled / RATE_SCALE);
  const fraction = String(scaled % RATE_SCALE).padStart(6, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}
