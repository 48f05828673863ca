/**
 * Cryptographically secure random bytes drawn from a refilled pool. The sandbox needs many small random
 * values per order (ULID randomness, AES-GCM IVs, voucher codes); asking the OS for each costs more than the
 * rest of the work, and a pool filled by randomFillSync is exactly as unpredictable.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 1024);
let offset = pool.length;

export function randomBytesPooled(length: number): Buffer {
  if (length > pool.length) return randomFillSync(Buffer.alloc(length));
  if (offset + length > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + length));
  // Bytes handed out are overwritten so they can never be handed out twice or read back.
  pool.fill(0, offset, offset + length);
  offset += length;
  return out;
}

/** A uniform integer in [0, max) for max ≤ 65536, by rejection sampling (no modulo bias). */
export function randomIntPooled(max: number): number {
  const limit = 65536 - (65536 % max);
  for (;;) {
    const value = randomBytesPooled(2).readUInt16BE(0);
    if (value < limit) return value % max;
  }
}
