/**
 * Money as integer minor units. Every currency the sandbox settles or sells in has two fraction digits
 * (see fx.ts), so 1 major unit = 100 minor units. Decimal strings are parsed digit by digit and arithmetic
 * that could overflow 2^53 (amount × rate, amount × percent) goes through BigInt: a float never touches money.
 */

const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

export class MoneyFormatError extends Error {}

/**
 * The largest amount the contract can express: DecimalAmount is at most 16 characters, so
 * 9,999,999,999,999.99. Every amount and balance the sandbox stores or answers stays at or below it.
 */
export const MAX_MINOR = 999_999_999_999_999;

/** An amount, or a result of arithmetic on amounts, beyond MAX_MINOR: the request cannot be carried out (422). */
export class MoneyRangeError extends Error {}

/**
 * `"25.00"`, `"25"`, `"25.5"` → 2500, 2500, 2550. Throws MoneyFormatError on anything else, MoneyRangeError
 * above MAX_MINOR.
 */
export function toMinor(decimal: string): number {
  const match = DECIMAL.exec(decimal);
  if (!match) throw new MoneyFormatError(`"${decimal}" is not a decimal amount with at most two fraction digits`);
  const minor = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return inRange(minor);
}

/** 2500 → `"25.00"`; negative amounts keep their sign (`"-0.50"`). */
export function formatMinor(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not an integer amount of minor units`);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A JSON number as published in the catalog (`100.00`, `2.5`) → minor units, or undefined when it has more
 * than two fraction digits. The catalog's own numbers are produced by minorToNumber, so this round-trips.
 */
export function numberToMinor(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const minor = Math.round(value * 100);
  if (Math.abs(minor - value * 100) > 1e-6 || !Number.isSafeInteger(minor)) return undefined;
  return minor;
}

/** For the catalog's JSON numbers only (denominations); never used in arithmetic. */
export function minorToNumber(minor: number): number {
  return minor / 100;
}

/** round_half_up(value × numerator / denominator) for non-negative operands, exact; MoneyRangeError above MAX_MINOR. */
export function mulDivHalfUp(value: number, numerator: number | bigint, denominator: number | bigint): number {
  const n = BigInt(value) * BigInt(numerator);
  const d = BigInt(denominator);
  if (n < 0n || d <= 0n) throw new RangeError('mulDivHalfUp takes non-negative operands and a positive denominator');
  return inRange((n * 2n + d) / (2n * d));
}

function inRange(minor: bigint): number {
  if (minor > BigInt(MAX_MINOR)) throw new MoneyRangeError(`${formatBig(minor)} is above the largest amount, ${formatMinor(MAX_MINOR)}`);
  return Number(minor);
}

function formatBig(minor: bigint): string {
  return `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
}
