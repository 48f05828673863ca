/**
 * The `t=<timestamp>,v1=<hex HMAC-SHA256>` scheme that request signing (signing.ts) and webhook signing
 * (webhooks.ts) both use. They differ only in the message they sign, so everything else lives here once:
 * the HMAC, the header format, the constant-time comparison and the timestamp window.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A body exactly as it goes over the wire; strings are encoded as UTF-8. */
export type RawBody = string | Uint8Array;

export const DEFAULT_TOLERANCE_SECONDS = 300;

const DIGITS = /^[0-9]+$/;
const V1_SIGNATURE = /^[0-9a-f]{64}$/;
const SCHEME = /^[A-Za-z0-9]+$/;

export function bodyBytes(body: RawBody | null | undefined): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // A parsed JSON object re-serialised would not be the bytes that were signed; make that mistake loud.
  throw new TypeError('body must be the raw body as a string or bytes, not a parsed object');
}

export function isTimestampString(value: string): boolean {
  return DIGITS.test(value);
}

/** Validates and stringifies a unix-seconds timestamp; a string is kept as sent because it is signed verbatim. */
export function timestampString(timestamp: number | string): string {
  if (typeof timestamp === 'number') {
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new TypeError(`timestamp must be whole unix seconds, got ${timestamp}`);
    }
    return String(timestamp);
  }
  if (!isTimestampString(timestamp)) throw new TypeError(`timestamp must be unix seconds (digits), got ${JSON.stringify(timestamp)}`);
  return timestamp;
}

export function unixNowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function hmacSha256Hex(secret: string, message: Uint8Array): string {
  if (secret.length === 0) throw new TypeError('signing secret must not be empty');
  return createHmac('sha256', secret).update(message).digest('hex');
}

export function formatSignatureHeader(timestamp: string, signatures: readonly string[]): string {
  return [`t=${timestamp}`, ...signatures.map((signature) => `v1=${signature}`)].join(',');
}

export type SignatureHeaderFailureReason =
  | 'HEADER_MISSING'
  | 'HEADER_ITEM_MALFORMED'
  | 'T_MISSING'
  | 'T_DUPLICATE'
  | 'T_MALFORMED'
  | 'V1_MISSING'
  | 'V1_MALFORMED';

export type ParsedSignatureHeader =
  | { ok: true; t: string; v1: string[] }
  | { ok: false; reason: SignatureHeaderFailureReason; message: string };

/**
 * Strict parse: every comma-separated item must be `scheme=value` with no whitespace, exactly one `t` of
 * digits, and at least one `v1` of 64 lowercase hex characters. Items of other schemes (`v0=…`) are ignored
 * so that a future scheme can be sent beside v1 without breaking verifiers.
 */
export function parseSignatureHeader(header: string | null | undefined): ParsedSignatureHeader {
  if (header === undefined || header === null || header === '') {
    return { ok: false, reason: 'HEADER_MISSING', message: 'X-Signature header is missing' };
  }
  let t: string | undefined;
  const v1: string[] = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    const scheme = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (eq <= 0 || value === '' || !SCHEME.test(scheme)) {
      return {
        ok: false,
        reason: 'HEADER_ITEM_MALFORMED',
        message: `X-Signature item ${JSON.stringify(item)} is not scheme=value (expected t=<unix seconds>,v1=<hex>)`,
      };
    }
    if (scheme === 't') {
      if (t !== undefined) return { ok: false, reason: 'T_DUPLICATE', message: 'X-Signature has more than one t=' };
      if (!isTimestampString(value)) {
        return { ok: false, reason: 'T_MALFORMED', message: `X-Signature t=${JSON.stringify(value)} is not unix seconds` };
      }
      t = value;
    } else if (scheme === 'v1') {
      if (!V1_SIGNATURE.test(value)) {
        return {
          ok: false,
          reason: 'V1_MALFORMED',
          message: 'X-Signature v1 must be 64 lowercase hex characters (hex-encoded HMAC-SHA256)',
        };
      }
      v1.push(value);
    }
  }
  if (t === undefined) return { ok: false, reason: 'T_MISSING', message: 'X-Signature has no t=<timestamp>' };
  if (v1.length === 0) return { ok: false, reason: 'V1_MISSING', message: 'X-Signature has no v1=<signature>' };
  return { ok: true, t, v1 };
}

/**
 * True when any received signature equals any expected one. Every pair is compared, without stopping at
 * the first match, so the time taken does not reveal which secret or which position matched.
 */
export function anySignatureMatches(expected: readonly string[], received: readonly string[]): boolean {
  let matched = false;
  for (const e of expected) {
    const expectedBytes = Buffer.from(e, 'hex');
    for (const r of received) {
      const receivedBytes = Buffer.from(r, 'hex');
      const equal = receivedBytes.length === expectedBytes.length && timingSafeEqual(receivedBytes, expectedBytes);
      matched = equal || matched;
    }
  }
  return matched;
}

export type TimestampWindowViolation = 'TIMESTAMP_TOO_OLD' | 'TIMESTAMP_TOO_NEW';

/** The window is inclusive: a timestamp exactly `toleranceSeconds` away is still accepted. */
export function timestampWindowViolation(
  timestamp: string,
  nowSeconds: number,
  toleranceSeconds: number,
): TimestampWindowViolation | undefined {
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new RangeError(`toleranceSeconds must be a non-negative number, got ${toleranceSeconds}`);
  }
  if (!Number.isFinite(nowSeconds)) throw new RangeError(`now must be unix seconds, got ${nowSeconds}`);
  const skew = nowSeconds - Number(timestamp);
  if (skew > toleranceSeconds) return 'TIMESTAMP_TOO_OLD';
  if (skew < -toleranceSeconds) return 'TIMESTAMP_TOO_NEW';
  return undefined;
}
