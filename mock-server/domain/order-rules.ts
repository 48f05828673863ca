/**
 * Order lifecycle rules (Orders seed + Fulfillment model seed), pure.
 *
 * Fulfillment state is derived from the items while an order is open:
 *   no items yet (bulk, quantity > 50)      → PENDING / INITIAL
 *   every item DELIVERED                    → DELIVERED / INVENTORY_FULFILLED, or VENDOR_VOUCHER_FETCHED when
 *                                             any unit came from a vendor
 *   some DELIVERED, the rest PENDING        → PARTIALLY_DELIVERED / PARTIAL
 *   every item PENDING                      → PENDING / VENDOR_ORDER_PENDING
 *
 * Operator actions and the states they apply to (anything else is 409 E_INVALID_ORDER_STATE):
 *   retry, vendor fulfillment   PENDING, PARTIALLY_DELIVERED
 *   fail                        PLACED, PENDING, PARTIALLY_DELIVERED   → FAILED / NOT_REFUNDED (no money moves)
 *   cancel                      PLACED, PENDING, PARTIALLY_DELIVERED   → CANCELLED / REFUNDED
 *                               FAILED / NOT_REFUNDED                  → FAILED / REFUNDED
 *   Cancelling refunds the undelivered units' share of the total; delivered units stay delivered.
 */
import { mulDivHalfUp } from './money.ts';
import type { OrderItemStatus, OrderStatus, OrderSubStatus, Vendor } from './enums.ts';

export const BULK_THRESHOLD = 50;

export type OrderAction = 'RETRY' | 'VENDOR_FULFILL' | 'DELIVER' | 'CANCEL' | 'FAIL';

export interface OrderState {
  status: OrderStatus;
  subStatus: OrderSubStatus;
}

/** Where a delivered unit came from: the inventory cache or a vendor. */
export type UnitSource = 'CACHE' | Vendor;

export interface ItemState {
  status: OrderItemStatus;
  source: UnitSource | null;
}

export function isBulk(quantity: number): boolean {
  return quantity > BULK_THRESHOLD;
}

const OPEN: readonly OrderStatus[] = ['PENDING', 'PARTIALLY_DELIVERED'];
const CANCELLABLE: readonly OrderStatus[] = ['PLACED', 'PENDING', 'PARTIALLY_DELIVERED'];

const RULES: Record<OrderAction, { applies: (s: OrderState) => boolean; allowed: string; verb: string }> = {
  RETRY: { applies: (s) => OPEN.includes(s.status), allowed: 'PENDING or PARTIALLY_DELIVERED', verb: 'retried' },
  VENDOR_FULFILL: {
    applies: (s) => OPEN.includes(s.status),
    allowed: 'PENDING or PARTIALLY_DELIVERED',
    verb: 'fulfilled from a vendor',
  },
  DELIVER: { applies: (s) => OPEN.includes(s.status), allowed: 'PENDING or PARTIALLY_DELIVERED', verb: 'delivered' },
  FAIL: { applies: (s) => CANCELLABLE.includes(s.status), allowed: 'PLACED, PENDING or PARTIALLY_DELIVERED', verb: 'failed' },
  CANCEL: {
    applies: (s) => CANCELLABLE.includes(s.status) || (s.status === 'FAILED' && s.subStatus === 'NOT_REFUNDED'),
    allowed: 'PLACED, PENDING, PARTIALLY_DELIVERED or FAILED / NOT_REFUNDED',
    verb: 'cancelled',
  },
};

/** undefined when the action applies; otherwise the 409 message. */
export function rejectAction(action: OrderAction, orderId: string, state: OrderState): string | undefined {
  const rule = RULES[action];
  if (rule.applies(state)) return undefined;
  return `Order ${orderId} is ${state.status} / ${state.subStatus}; only ${rule.allowed} orders can be ${rule.verb}.`;
}

/** The state of an open order, from its items. */
export function fulfillmentState(items: readonly ItemState[]): OrderState {
  if (items.length === 0) return { status: 'PENDING', subStatus: 'INITIAL' };
  const delivered = items.filter((i) => i.status === 'DELIVERED');
  if (delivered.length === items.length) {
    const fromVendor = delivered.some((i) => i.source !== 'CACHE');
    return { status: 'DELIVERED', subStatus: fromVendor ? 'VENDOR_VOUCHER_FETCHED' : 'INVENTORY_FULFILLED' };
  }
  if (delivered.length > 0) return { status: 'PARTIALLY_DELIVERED', subStatus: 'PARTIAL' };
  return { status: 'PENDING', subStatus: 'VENDOR_ORDER_PENDING' };
}

export function cancelledState(current: OrderState): OrderState {
  return current.status === 'FAILED' ? { status: 'FAILED', subStatus: 'REFUNDED' } : { status: 'CANCELLED', subStatus: 'REFUNDED' };
}

export const FAILED_STATE: OrderState = { status: 'FAILED', subStatus: 'NOT_REFUNDED' };

/** The share of `totalMinor` that `undelivered` of `quantity` units paid for (all of it when none was delivered). */
export function refundShare(totalMinor: number, quantity: number, undelivered: number): number {
  if (undelivered <= 0) return 0;
  if (undelivered >= quantity) return totalMinor;
  return mulDivHalfUp(totalMinor, undelivered, quantity);
}
