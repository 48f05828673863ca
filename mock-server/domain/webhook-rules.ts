/**
 * Webhook delivery rules, pure (DESIGN "Webhooks": a 2xx within 5 s is delivered, otherwise retried with
 * exponential backoff for 24 h).
 *
 * Retry schedule: after the n-th failed attempt the next one is due `min(30 s × 2^(n−1), 1 h)` later, minus up
 * to 20 % jitter (jitter only shortens a wait, so a delivery is never later than the schedule's figure and a
 * test that advances the clock by that figure always finds it due): 30 s, 1 min, 2 min, 4 min, 8 min, 16 min,
 * 32 min, then hourly. An attempt that would fall more than 24 h after the event is not made: the delivery is
 * FAILED (about 30 attempts in all).
 */
import type { OrderStatus, WebhookEventType } from './enums.ts';


export const RETRY_BASE_SECONDS = 30;
export const RETRY_CAP_SECONDS = 3_600;
export const RETRY_JITTER = 0.2;
export const RETRY_WINDOW_SECONDS = 24 * 3_600;

/** The `order.*` event an order emits on entering a status; PLACED is transient and emits none. */
export function orderEventType(status: OrderStatus): WebhookEventType | undefined {
  switch (status) {
    case 'PENDING':
      return 'order.pending';
    case 'DELIVERED':
      return 'order.delivered';
    case 'PARTIALLY_DELIVERED':
      return 'order.partially_delivered';
    case 'CANCELLED':
      return 'order.cancelled';
    case 'FAILED':
      return 'order.failed';
    case 'PLACED':
      return undefined;
  }
}

/** Seconds from the n-th failed attempt (1-based) to the next, before jitter. */
export function backoffSeconds(failedAttempts: number): number {
  return Math.min(RETRY_BASE_SECONDS * 2 ** Math.max(0, failedAttempts - 1), RETRY_CAP_SECONDS);
}

/**
 * When the next attempt is due after `failedAttempts` failures, or undefined when it would fall outside the
 * 24 h window that starts at the event's creation. `random` is in [0, 1).
 */
export function nextAttemptMs(createdMs: number, nowMs: number, failedAttempts: number, random: number): number | undefined {
  const delayMs = backoffSeconds(failedAttempts) * 1000 * (1 - RETRY_JITTER * random);
  const next = nowMs + Math.round(delayMs);
  return next - createdMs > RETRY_WINDOW_SECONDS * 1000 ? undefined : next;
}
