/**
 * Magic values: a `reference` on POST /orders (and POST /orders/simulate) that starts with one of these
 * tokens forces a fulfillment path, so every path can be exercised from the partner API alone. The token may
 * be followed by any non-[A-Z0-9_] character and free text (`SANDBOX_FORCE_PENDING:inv-42`), so references
 * can stay unique. Documented in openapi/paths/orders.yaml (createOrder).
 *
 * | Token | Outcome |
 * |---|---|
 * | SANDBOX_FORCE_DELIVERED | every unit delivered as from the cache (vouchers made on the spot, the pool is untouched) → DELIVERED / INVENTORY_FULFILLED |
 * | SANDBOX_FORCE_PARTIAL | the first unit delivered that way, the rest PENDING → PARTIALLY_DELIVERED / PARTIAL (quantity ≥ 2) |
 * | SANDBOX_FORCE_PENDING | nothing allocated, even with a warm cache → PENDING / VENDOR_ORDER_PENDING |
 * | SANDBOX_FORCE_VENDOR | every unit fetched from a vendor at once → DELIVERED / VENDOR_VOUCHER_FETCHED |
 * | SANDBOX_FORCE_FAIL | placed and debited, then FAILED / NOT_REFUNDED (items FAILED, no refund) |
 * | SANDBOX_FORCE_CANCEL | placed and debited, then CANCELLED / REFUNDED with a REFUND transaction |
 * | SANDBOX_FORCE_INSUFFICIENT_FUNDS | 422 E_INSUFFICIENT_FUNDS whatever the balance; nothing is stored |
 *
 * A bulk order (quantity > 50) always starts PENDING / INITIAL: the first four tokens do not apply to it;
 * FAIL, CANCEL and INSUFFICIENT_FUNDS do.
 */

export const MAGIC_OUTCOMES = ['DELIVERED', 'PARTIAL', 'PENDING', 'VENDOR', 'FAIL', 'CANCEL', 'INSUFFICIENT_FUNDS'] as const;
export type MagicOutcome = (typeof MAGIC_OUTCOMES)[number];

export const MAGIC_PREFIX = 'SANDBOX_FORCE_';

/** Outcomes that choose how units are fulfilled; bulk orders ignore them. */
export const FULFILLMENT_MAGIC: readonly MagicOutcome[] = ['DELIVERED', 'PARTIAL', 'PENDING', 'VENDOR'];

const TOKEN = /^SANDBOX_FORCE_[A-Z0-9_]+/;

export function magicOutcome(reference: string | null | undefined): MagicOutcome | undefined {
  const token = reference ? TOKEN.exec(reference)?.[0] : undefined;
  if (!token) return undefined;
  return MAGIC_OUTCOMES.find((outcome) => MAGIC_PREFIX + outcome === token);
}
