/**
 * Idempotency-Key values for creating POSTs. A ULID (the `ulid` package, crypto-random) rather than
 * crypto.randomUUID: the API's own ids are prefixed ULIDs (`ord_…`, `evt_…`), and a key that sorts by
 * creation time is easy to find in request logs and in the sandbox's 24 h idempotency store. Its 80 random
 * bits per millisecond are ample for keys scoped to one partner.
 */
import { ulid } from 'ulid';

export const IDEMPOTENCY_KEY_PREFIX = 'idk_';

/** `idk_` + a 26-character ULID, e.g. `idk_01JB2K7ZQ4X8Y9ABCDEFGHJKMN`. Reuse it for every retry of one request. */
export function newIdempotencyKey(): string {
  return IDEMPOTENCY_KEY_PREFIX + ulid();
}
