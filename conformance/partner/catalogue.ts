/**
 * The partner-certification checks: stable ids, what each one grades, its level, its group in the JUnit and
 * HTML reports and the documentation clause it holds the partner to, with the guide that explains it. Grading (grade.ts) returns results by id; the
 * runner renders them with this table, so the signed JSON stays DESIGN's format and the richer formats
 * still show groups and clauses.
 */
import { clause, type Clause } from '../server/clauses.ts';
import type { Level } from '../report/types.ts';


export interface PartnerCheckDefinition {
  id: string;
  title: string;
  level: Level;
  group: string;
  clause: Clause;
}

const define = <Id extends string>(id: Id, group: string, level: Level, title: string, c: Clause): PartnerCheckDefinition & { id: Id } => ({ id, title, level, group, clause: c });

export const PARTNER_CHECKS = [
  define('PARTNER-RUN-001', 'RUN', 'MUST', 'The certification command ran to completion (exit 0, within the time limit)', clause('reference', 'Access', 'API credentials are issued per-partner after a sandbox certification.', 'certification')),
  define('PARTNER-SIGN-001', 'SIGN', 'MUST', 'Every write is signed correctly (timestamp + METHOD + path with query + raw body)', clause('reference', 'Request signing · HMAC-SHA256', 'Compute an HMAC-SHA256 over the concatenated timestamp + method + path + body using your API secret.', 'signing')),
  define('PARTNER-SIGN-002', 'SIGN', 'MUST', 'Every write carries a fresh timestamp (within ±300 s of the sandbox clock)', clause('reference', 'Request signing · HMAC-SHA256', 'X-Timestamp: unix seconds, must be within 5 min of server time.', 'signing')),
  define('PARTNER-IDEM-001', 'IDEM', 'MUST', 'Every POST /orders carries an Idempotency-Key', clause('reference', 'Idempotency', 'Write endpoints that create state — POST /orders, POST /payouts — require an Idempotency-Key header.', 'idempotency-and-retries')),
  define('PARTNER-IDEM-002', 'IDEM', 'MUST', 'The retry of a POST /orders answered 503 reuses its Idempotency-Key', clause('reference', 'Idempotency', 'Retries with the same key return the original response without re-executing.', 'idempotency-and-retries')),
  define('PARTNER-IDEM-003', 'IDEM', 'MUST', 'A new order gets a new Idempotency-Key', clause('reference', 'Idempotency', 'Retries with the same key return the original response (DESIGN ruling: same key + different request → 422 E_IDEMPOTENCY_KEY_REUSED).', 'idempotency-and-retries')),
  define('PARTNER-RATE-001', 'RATE', 'MUST', 'After a 429 the next call waits at least Retry-After', clause('reference', 'Rate limits', 'When limits are exceeded the API returns 429 Too Many Requests with a Retry-After header.', 'idempotency-and-retries')),
  define('PARTNER-COMPAT-001', 'COMPAT', 'MUST', 'Unknown response fields are ignored: the flow carries on after a response with unknown keys', clause('stability', 'What may evolve', 'New key appears in JSON; your parser must ignore unknown keys.', 'versioning')),
  define('PARTNER-COMPAT-002', 'COMPAT', 'MUST', 'Unknown enum values are tolerated: the flow carries on after a response with an unknown enum value', clause('stability', 'How to future-proof your integration', 'Unknown enum values → log + fall back to a sensible default.', 'versioning')),
  define('PARTNER-ORDER-001', 'ORDER', 'MUST', 'INSTANT order: vouchers are read via GET /orders/{id}', clause('fulfillment', 'The Happy Path: Cache Hit', 'Voucher codes are immediately retrievable via GET /orders/:id.', 'fulfillment')),
  define('PARTNER-ORDER-002', 'ORDER', 'MUST', 'DELAYED order: PENDING is accepted and the vouchers are read via GET /orders/{id} once delivered', clause('fulfillment', 'What You Should Build', 'A production integration must handle status: PENDING on initial POST without treating it as an error.', 'fulfillment')),
  define('PARTNER-POLL-001', 'ORDER', 'MUST', 'No hot polling: a PENDING order is polled at most once every 5 s (webhook preferred)', clause('orders', 'Delivery Timing — delivery_time', 'DELAYED: Subscribe to the order.delivered webhook, or poll every 30–60 s.', 'fulfillment')),
  define('PARTNER-WH-001', 'WEBHOOK', 'MUST', 'A webhook endpoint is registered (POST /webhooks) before the first order', clause('fulfillment', 'What You Should Build', 'Subscribe to order.* webhooks: webhooks are how you learn about PENDING → DELIVERED transitions without polling.', 'webhooks')),
  define('PARTNER-WH-002', 'WEBHOOK', 'MUST', 'A webhook with a forged signature is refused (non-2xx)', clause('reference', 'Webhooks', 'Starship will sign every delivery using your per-endpoint signing secret.', 'webhooks')),
  define('PARTNER-WH-003', 'WEBHOOK', 'MUST', 'A webhook with a stale timestamp is refused (non-2xx)', clause('stability', "What's stable", 'Webhook signing algorithm: HMAC-SHA256 over timestamp + "." + body (DESIGN: reject outside ±300 s).', 'webhooks')),
  define('PARTNER-WH-004', 'WEBHOOK', 'MUST', 'Valid webhooks are acknowledged 2xx within 5 s', clause('reference', 'Webhooks', 'Your endpoint must return 2xx within 5 seconds or the delivery is retried with exponential backoff for 24 hours.', 'webhooks')),
  define('PARTNER-WH-005', 'WEBHOOK', 'MUST', 'A duplicate delivery of the same event is acknowledged 2xx as well', clause('reference', 'Webhooks', 'Your endpoint must return 2xx within 5 seconds or the delivery is retried (DESIGN: de-duplicate on event_id).', 'webhooks')),
  define('PARTNER-HYG-001', 'HYGIENE', 'MUST', 'No call a partner should not make (control API, unknown paths)', clause('reference', 'Environments', 'Partner-API clients never need it — everything an integration needs lives under the /api/v1 prefix above.', 'getting-started')),
  define('PARTNER-HYG-002', 'HYGIENE', 'SHOULD', 'No request rejected other than those the sandbox provoked', clause('reference', 'Error shape', 'Errors use standard HTTP status codes plus a structured body.', 'getting-started')),
] as const satisfies readonly PartnerCheckDefinition[];

/** The event each webhook probe is armed on in a certification session (WH-002 forged, WH-003 stale). */
export const WEBHOOK_PROBES = { FORGED_SIGNATURE: 'order.delivered', STALE_TIMESTAMP: 'order.pending' } as const;

export type PartnerCheckId = (typeof PARTNER_CHECKS)[number]['id'];

export const PARTNER_CHECK_BY_ID: ReadonlyMap<string, PartnerCheckDefinition> = new Map(PARTNER_CHECKS.map((c) => [c.id, c]));
