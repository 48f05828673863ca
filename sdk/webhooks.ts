/**
 * Webhook signing (DESIGN "Webhooks", spec extension `x-starship-webhook-signing`):
 * `X-Signature: t=<ts>,v1=<hex>[,v1=<hex>]`, `v1 = hex(HMAC-SHA256(endpoint_secret, ts + "." + raw_body))`,
 * one v1 per active secret while a secret is being rotated. The sandbox signs deliveries and partners
 * verify them with these functions. There is no separate X-Timestamp header: `t` is the timestamp.
 */
import {
  DEFAULT_TOLERANCE_SECONDS,
  anySignatureMatches,
  bodyBytes,
  formatSignatureHeader,
  hmacSha256Hex,
  parseSignatureHeader,
  timestampString,
  timestampWindowViolation,
  unixNowSeconds,
} from './hmac.ts';
import type { RawBody, SignatureHeaderFailureReason, TimestampWindowViolation } from './hmac.ts';
import { toWebhookEvent } from './webhook-event.ts';
import type { WebhookEvent } from './webhook-event.ts';

export interface WebhookSignedPayloadInput {
  timestamp: number | string;
  body: RawBody;
}

/** The exact bytes that are signed: `timestamp + "." + raw body`. */
export function webhookSignedPayloadBytes({ timestamp, body }: WebhookSignedPayloadInput): Buffer {
  return Buffer.concat([Buffer.from(`${timestampString(timestamp)}.`, 'utf8'), bodyBytes(body)]);
}

export function webhookSignedPayloadString(input: WebhookSignedPayloadInput): string {
  return webhookSignedPayloadBytes(input).toString('utf8');
}

function secretList(secrets: string | readonly string[]): readonly string[] {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new TypeError('at least one webhook signing secret is required');
  return list;
}

export interface SignWebhookPayloadInput {
  /** Every active endpoint secret; during rotation the old and the new one, each yielding a v1. */
  secrets: string | readonly string[];
  /** Defaults to the current unix time; each delivery attempt is signed afresh so retries stay in the window. */
  timestamp?: number | string;
  body: RawBody;
}

/** Returns the X-Signature header value. */
export function signWebhookPayload({ secrets, timestamp = unixNowSeconds(), body }: SignWebhookPayloadInput): string {
  const ts = timestampString(timestamp);
  const signed = webhookSignedPayloadBytes({ timestamp: ts, body });
  return formatSignatureHeader(ts, secretList(secrets).map((secret) => hmacSha256Hex(secret, signed)));
}

export type WebhookVerificationErrorCode =
  | 'E_SIGNATURE_MALFORMED'
  | 'E_SIGNATURE_INVALID'
  | 'E_TIMESTAMP_OUT_OF_WINDOW'
  | 'E_PAYLOAD_INVALID';

export type WebhookVerificationFailureReason =
  | SignatureHeaderFailureReason
  | 'V1_MISMATCH'
  | TimestampWindowViolation
  | 'BODY_NOT_UTF8'
  | 'BODY_NOT_JSON'
  | 'BODY_NOT_EVENT';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly code: WebhookVerificationErrorCode;
  readonly reason: WebhookVerificationFailureReason;

  constructor(code: WebhookVerificationErrorCode, reason: WebhookVerificationFailureReason, message: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}

export interface VerifyWebhookOptions {
  toleranceSeconds?: number;
  /** Unix seconds; defaults to the current time. */
  now?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Verifies the exact received bytes (use `express.raw()` or equivalent, never a re-serialised object),
 * then parses them. Accepts when any v1 matches any of the given secrets, so a receiver can hold both
 * secrets while a rotation propagates. Throws WebhookVerificationError; branch on its `code`.
 */
export function verifyWebhook(
  rawBody: RawBody,
  signatureHeader: string | null | undefined,
  secrets: string | readonly string[],
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = unixNowSeconds() }: VerifyWebhookOptions = {},
): WebhookEvent {
  const keys = secretList(secrets);
  const parsed = parseSignatureHeader(signatureHeader);
  if (!parsed.ok) throw new WebhookVerificationError('E_SIGNATURE_MALFORMED', parsed.reason, parsed.message);

  const signed = webhookSignedPayloadBytes({ timestamp: parsed.t, body: rawBody });
  if (!anySignatureMatches(keys.map((secret) => hmacSha256Hex(secret, signed)), parsed.v1)) {
    throw new WebhookVerificationError(
      'E_SIGNATURE_INVALID',
      'V1_MISMATCH',
      'no v1 signature matches: v1 must be hex(HMAC-SHA256(endpoint_secret, t + "." + raw_body)) over the raw body',
    );
  }
  // After the signature so that a forged request learns nothing about the receiver's clock.
  const violation = timestampWindowViolation(parsed.t, now, toleranceSeconds);
  if (violation) {
    throw new WebhookVerificationError(
      'E_TIMESTAMP_OUT_OF_WINDOW',
      violation,
      `webhook timestamp ${parsed.t} is outside ±${toleranceSeconds} s of now (${Math.floor(now)})`,
    );
  }

  let text: string;
  try {
    text = utf8.decode(bodyBytes(rawBody));
  } catch {
    throw new WebhookVerificationError('E_PAYLOAD_INVALID', 'BODY_NOT_UTF8', 'webhook body is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebhookVerificationError('E_PAYLOAD_INVALID', 'BODY_NOT_JSON', 'webhook body is not JSON');
  }
  const event = toWebhookEvent(json);
  if (!event) {
    throw new WebhookVerificationError(
      'E_PAYLOAD_INVALID',
      'BODY_NOT_EVENT',
      'webhook body is not an event envelope { event_id, event_type, created_at, data }',
    );
  }
  return event;
}
