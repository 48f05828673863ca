/**
 * Request signing (DESIGN "Signing", spec extension `x-starship-signing`):
 * `v1 = hex(HMAC-SHA256(api_secret, timestamp + METHOD + path_with_query + raw_body))`, sent as
 * `X-Timestamp: <ts>` and `X-Signature: t=<ts>,v1=<hex>`. The client signs and the sandbox verifies with
 * these same functions.
 */
import {
  DEFAULT_TOLERANCE_SECONDS,
  anySignatureMatches,
  bodyBytes,
  formatSignatureHeader,
  hmacSha256Hex,
  isTimestampString,
  parseSignatureHeader,
  timestampString,
  timestampWindowViolation,
  unixNowSeconds,
} from './hmac.ts';
import type { RawBody, SignatureHeaderFailureReason, TimestampWindowViolation } from './hmac.ts';

export { parseSignatureHeader };
export type { ParsedSignatureHeader, RawBody, SignatureHeaderFailureReason } from './hmac.ts';

export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type WriteMethod = (typeof WRITE_METHODS)[number];

export function isWriteMethod(method: string): boolean {
  return (WRITE_METHODS as readonly string[]).includes(method.toUpperCase());
}

export interface CanonicalRequestInput {
  /** Unix seconds; a string is signed exactly as given (it is what X-Timestamp carries). */
  timestamp: number | string;
  method: string;
  /** Path and query exactly as sent, including `/api/v1` (e.g. `/api/v1/webhooks/wh_1?dry_run=true`). */
  path: string;
  /** Raw body bytes; omitted, null or '' for an empty body. */
  body?: RawBody | null;
}

/** The exact bytes that are signed; the body is appended as raw bytes so non-UTF-8 bodies survive intact. */
export function canonicalRequestBytes({ timestamp, method, path, body }: CanonicalRequestInput): Buffer {
  const head = Buffer.from(timestampString(timestamp) + method.toUpperCase() + path, 'utf8');
  return Buffer.concat([head, bodyBytes(body)]);
}

/** The canonical string, decoded from the signed bytes so diagnostics show exactly what was signed. */
export function canonicalRequestString(input: CanonicalRequestInput): string {
  return canonicalRequestBytes(input).toString('utf8');
}

export interface SignRequestInput extends Omit<CanonicalRequestInput, 'timestamp'> {
  secret: string;
  /** Defaults to the current unix time. */
  timestamp?: number | string;
}

export interface SignedRequest {
  timestamp: string;
  /** Lowercase hex HMAC-SHA256. */
  signature: string;
  /** The X-Signature value, `t=<timestamp>,v1=<signature>`. */
  header: string;
  headers: { 'X-Timestamp': string; 'X-Signature': string };
}

export function signRequest({ secret, timestamp = unixNowSeconds(), method, path, body }: SignRequestInput): SignedRequest {
  // Signing a full URL is the commonest client bug and would fail verification with no hint why.
  if (!path.startsWith('/')) {
    throw new TypeError(`path must be the path and query as sent, starting with '/', got ${JSON.stringify(path)}`);
  }
  const ts = timestampString(timestamp);
  const signature = hmacSha256Hex(secret, canonicalRequestBytes({ timestamp: ts, method, path, body }));
  const header = formatSignatureHeader(ts, [signature]);
  return { timestamp: ts, signature, header, headers: { 'X-Timestamp': ts, 'X-Signature': header } };
}

export interface VerifyRequestSignatureInput {
  secret: string;
  method: string;
  /** Path and query as received (Express: `req.originalUrl`, not the router-relative `req.url`). */
  path: string;
  /** The raw body bytes as received, before any JSON parsing. */
  body?: RawBody | null;
  timestampHeader: string | null | undefined;
  signatureHeader: string | null | undefined;
  /** Unix seconds; defaults to the current time (the sandbox passes its own clock). */
  now?: number;
  toleranceSeconds?: number;
}

/**
 * Only error codes from the API's error catalogue (DESIGN "Errors"): a missing or malformed header is
 * reported as E_SIGNATURE_INVALID with the precise `reason`, rather than as a separate code.
 */
export type RequestSignatureErrorCode = 'E_SIGNATURE_INVALID' | 'E_TIMESTAMP_OUT_OF_WINDOW';

export type RequestSignatureFailureReason =
  | SignatureHeaderFailureReason
  | 'X_TIMESTAMP_MISSING'
  | 'X_TIMESTAMP_MALFORMED'
  | 'T_MISMATCH'
  | 'V1_MISMATCH'
  | TimestampWindowViolation;

export type RequestSignatureVerification =
  | { ok: true; canonical: string }
  | {
      ok: false;
      code: RequestSignatureErrorCode;
      reason: RequestSignatureFailureReason;
      /** Safe to return to the caller: never contains the secret or the expected signature. */
      message: string;
      /** What the verifier signed, once X-Timestamp is usable; lets a partner diff it against their own. */
      canonical?: string;
    };

/**
 * Check order: headers well-formed, t equals X-Timestamp, signature, then the window. The window comes
 * last so that E_TIMESTAMP_OUT_OF_WINDOW is only ever reported for a correctly signed request, where it
 * reliably means clock skew rather than a signing bug.
 */
export function verifyRequestSignature(input: VerifyRequestSignatureInput): RequestSignatureVerification {
  const { secret, method, path, body, timestampHeader, signatureHeader } = input;
  const invalid = (reason: RequestSignatureFailureReason, message: string, canonical?: string) =>
    ({ ok: false, code: 'E_SIGNATURE_INVALID', reason, message, canonical }) as const;

  if (timestampHeader === undefined || timestampHeader === null || timestampHeader === '') {
    return invalid('X_TIMESTAMP_MISSING', 'X-Timestamp header is missing');
  }
  if (!isTimestampString(timestampHeader)) {
    return invalid('X_TIMESTAMP_MALFORMED', `X-Timestamp ${JSON.stringify(timestampHeader)} is not unix seconds`);
  }
  const signed = canonicalRequestBytes({ timestamp: timestampHeader, method, path, body });
  const canonical = signed.toString('utf8');
  const parsed = parseSignatureHeader(signatureHeader);
  if (!parsed.ok) return invalid(parsed.reason, parsed.message, canonical);
  if (parsed.t !== timestampHeader) {
    return invalid('T_MISMATCH', `X-Signature t=${parsed.t} does not equal X-Timestamp ${timestampHeader}`, canonical);
  }
  if (!anySignatureMatches([hmacSha256Hex(secret, signed)], parsed.v1)) {
    return invalid(
      'V1_MISMATCH',
      'X-Signature does not match: v1 must be hex(HMAC-SHA256(api_secret, timestamp + METHOD + path_with_query + raw_body))',
      canonical,
    );
  }
  const now = input.now ?? unixNowSeconds();
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const violation = timestampWindowViolation(timestampHeader, now, tolerance);
  if (violation) {
    return {
      ok: false,
      code: 'E_TIMESTAMP_OUT_OF_WINDOW',
      reason: violation,
      message: `X-Timestamp ${timestampHeader} is outside ±${tolerance} s of server time ${Math.floor(now)}`,
      canonical,
    };
  }
  return { ok: true, canonical };
}
