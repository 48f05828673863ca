/**
 * Signs writes so that two different requests never carry the same signature. Starship refuses a signature
 * it has already seen within its ±300 s window (401 E_SIGNATURE_REPLAYED) unless the request is the exact
 * retry with the same Idempotency-Key, and the signature covers only timestamp, method, path and body: two
 * distinct writes with the same body in the same second (two identical orders, an availability check made
 * twice) would be one signature. This signer remembers what it signed in the window and moves such a second
 * request to the next free second (well inside the window); a retry with the same key keeps its timestamp.
 */
import { signRequest, type SignedRequest, type SignRequestInput } from './signing.ts';

/** How long a signature is remembered: the server's window on both sides of its timestamp. */
const WINDOW_SECONDS = 300;
/** Seconds ahead a timestamp may be moved; far inside the window, so clock skew keeps its margin. */
const MAX_SHIFT_SECONDS = 60;

export class ReplaySafeSigner {
  /** signature → the Idempotency-Key it went out with (null: none), and its timestamp. */
  readonly #used = new Map<string, { key: string | null; timestamp: number }>();
  #pruned = 0;

  sign(input: Omit<SignRequestInput, 'timestamp'> & { timestamp: number; idempotencyKey?: string | null }): SignedRequest {
    const key = input.idempotencyKey ?? null;
    this.#prune(input.timestamp);
    for (let shift = 0; ; shift++) {
      const timestamp = input.timestamp + shift;
      const signed = signRequest({ ...input, timestamp });
      const earlier = this.#used.get(signed.signature);
      // First use, or the exact retry of a keyed request: this signature may go out.
      if (!earlier || (key !== null && earlier.key === key) || shift >= MAX_SHIFT_SECONDS) {
        if (!earlier) this.#used.set(signed.signature, { key, timestamp });
        return signed;
      }
    }
  }

  #prune(now: number): void {
    if (now - this.#pruned < 10) return;
    this.#pruned = now;
    for (const [signature, use] of this.#used) if (use.timestamp < now - WINDOW_SECONDS) this.#used.delete(signature);
  }
}
