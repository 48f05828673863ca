/**
 * The seed clauses (../shared/seeds/, the published partner documentation) the server checks enforce: file,
 * section and the promise quoted. Where the seeds disagree DESIGN.md's ruling is cited beside the seed it
 * settles, so a reader can check each verdict against the published promise rather than against this tool.
 */
export interface Clause {
  /** The seed file, e.g. `000_e283c5c359f6513a.txt` (API reference · v1). */
  seed: string;
  section: string;
  quote: string;
}

const REFERENCE = '000_e283c5c359f6513a.txt';
const STABILITY = '001_24081eb2b587bcb2.txt';
const PRODUCTS = '002_22ebfc8f232e567f.txt';
const ORDERS = '003_3a7a1436d3f11db8.txt';
const FULFILLMENT = '004_998d39921b51aa1e.txt';

const clause = (seed: string, section: string, quote: string): Clause => ({ seed, section, quote });

export const CLAUSES = {
  statelessAuth: clause(REFERENCE, 'Authentication', 'Every API request carries your partner key + secret on the headers. The server validates identity per-call.'),
  noBearer: clause(REFERENCE, 'Authentication', 'Stateless auth. No sessions, no bearer tokens, no OAuth, no refresh flows.'),
  ipAllowlist: clause(REFERENCE, 'Authentication', 'Keys are issued per partner during onboarding, scoped to a single partner organization, bound to an IP allowlist.'),
  signing: clause(REFERENCE, 'Request signing · HMAC-SHA256', 'Every write request (POST, PUT, DELETE) is also HMAC-signed … HMAC-SHA256 over the concatenated timestamp + method + path + body using your API secret.'),
  signingWindow: clause(REFERENCE, 'Request signing · HMAC-SHA256', 'X-Timestamp: unix seconds, must be within 5 min of server time … Signatures older than the clock-skew window are rejected.'),
  signingBindsT: clause(REFERENCE, 'Request signing · HMAC-SHA256', 'The t= prefix binds the timestamp into the signature (replay protection).'),
  canonicalString: clause(STABILITY, "What's stable", 'HMAC canonical-string format (DESIGN "Signing": path as sent including /api/v1 and any query string).'),
  idempotencyRequired: clause(REFERENCE, 'Idempotency', 'Write endpoints that create state — POST /orders … — require an Idempotency-Key header.'),
  idempotencyReplay: clause(REFERENCE, 'Idempotency', 'Retries with the same key return the original response without re-executing. Keys are retained for 24 hours.'),
  idempotencyRuling: clause(REFERENCE, 'Idempotency', 'Retries with the same key return the original response (DESIGN ruling: same key + different request → 422 E_IDEMPOTENCY_KEY_REUSED; while executing → 409 E_IDEMPOTENCY_KEY_IN_USE; rejections store nothing; scoped per partner).'),
  rateLimitHeaders: clause(PRODUCTS, 'Rate Limits', 'Rate limit information is included in response headers: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset (Unix timestamp when limit resets).'),
  rateLimit429: clause(REFERENCE, 'Rate limits', 'When limits are exceeded the API returns 429 Too Many Requests with a Retry-After header.'),
  rateLimitPerKey: clause(REFERENCE, 'Rate limits', 'Limits are applied per API key, per endpoint class.'),
  errorShape: clause(REFERENCE, 'Error shape', 'Errors use standard HTTP status codes plus a structured body { "error": { "name", "code", "message" } }.'),
  errorEnvelopeStable: clause(STABILITY, "What's stable", 'Error envelope shape { error: { name, code, message, messages? } }; error code strings keep their exact spelling.'),
  traceId: clause(REFERENCE, 'Error shape', 'Every response also carries an X-Trace-ID response header … quote it in support tickets.'),
  pagination: clause(PRODUCTS, 'List Products', 'Headers: X-Page, X-Per-Page, X-Total-Count, X-Total-Pages, X-Page-Size, X-Has-More.'),
  paginationParams: clause(PRODUCTS, 'List Products', 'page: Page number (min: 1); limit: Items per page (min: 1).'),
  enumCase: clause(ORDERS, 'Enum Conventions', 'The API accepts input values in any case … and always responds with the canonical UPPERCASE form.'),
  catalog: clause(REFERENCE, 'Core endpoints · Catalog', 'GET /categories, GET /products (filter via query params), GET /products/{product_id}.'),
  categoryFilter: clause(PRODUCTS, 'List Products', 'category: Filter by category name (e.g., "Gift Cards").'),
  availability: clause(PRODUCTS, 'Check Product Availability', 'Check if a product is available for purchase at a specific denomination and quantity … { "is_available": true }.'),
  deliveryTimeLive: clause(FULFILLMENT, 'Why Inventory Misses Happen', 'Call the Charges API or Product availability endpoint … to see the live delivery_time signal (INSTANT if cache is warm, DELAYED if not).'),
  cacheHit: clause(FULFILLMENT, 'The Happy Path: Cache Hit', 'Your POST /orders response arrives with status: "DELIVERED" already set. Voucher codes are immediately retrievable via GET /orders/:id.'),
  cacheMiss: clause(FULFILLMENT, 'The Miss Path: PENDING', 'When inventory is not cached … the order is persisted in PENDING status and does nothing further automatically.'),
  operatorRetry: clause(FULFILLMENT, 'The Miss Path: PENDING', 'Inventory arrives and a pump runs … An admin then triggers a retry, which fulfills the order from cache.'),
  vendorFallback: clause(FULFILLMENT, 'The Miss Path: PENDING', 'Admin triggers vendor fallback … Starship calls the vendor … and marks the order DELIVERED.'),
  adminCancel: clause(FULFILLMENT, 'The Miss Path: PENDING', 'Admin cancels … the order is moved to CANCELLED and the wallet is refunded.'),
  bulkAsync: clause(FULFILLMENT, 'Async Orders (Large Quantities)', 'For large bulk orders (qty > 50), the API returns HTTP 200 immediately with status: PENDING and no order items yet.'),
  partialDelivery: clause(ORDERS, 'Order Status Flow', 'PARTIALLY_DELIVERED: Some order items are delivered; others are still pending or failed.'),
  getOrder: clause(REFERENCE, 'Core endpoints · Orders', 'GET /orders/{order_id}: Retrieve order status, allocated vouchers, fulfillment timeline.'),
  walletDebit: clause(REFERENCE, 'Core endpoints · Wallet & transactions', 'GET /wallets: Current wallet balances; GET /transactions: transaction history (DESIGN ruling: the wallet is debited at placement).'),
  webhookRegister: clause(REFERENCE, 'Core endpoints · Webhooks', 'POST /webhooks: Register or update a webhook endpoint … Starship will sign every delivery using your per-endpoint signing secret.'),
  webhookSigning: clause(STABILITY, "What's stable", 'Webhook signing algorithm: HMAC-SHA256 over timestamp + "." + body.'),
  webhookEnvelope: clause(STABILITY, "What's stable", 'Webhook event envelope { event_id, event_type, created_at, data }.'),
  webhookNoCodes: clause(REFERENCE, 'Webhooks', 'Voucher codes are delivered via a secure, separately-fetched endpoint — they are not included in webhook payloads.'),
  webhookRetry: clause(REFERENCE, 'Webhooks', 'Your endpoint must return 2xx within 5 seconds or the delivery is retried with exponential backoff for 24 hours.'),
  responseFields: clause(STABILITY, "What's stable", 'Response body field names and types (order.status stays a string enum).'),
  endpointPaths: clause(STABILITY, "What's stable", 'Endpoint paths: GET /api/v1/products, POST /api/v1/orders will not change without a new API version.'),
  noSilentChange: clause(STABILITY, 'Long-term stability commitments', 'We do not silently change behavior of v1 endpoints.'),
  plannedEndpoints: clause(REFERENCE, 'Reconciliation Planned · not yet built', 'GET /reconciliation/{date} PLANNED … subject to change before release (DESIGN: served only behind a feature flag).'),
} as const satisfies Record<string, Clause>;

export function formatClause(clause: Clause): string {
  return `${clause.seed} § ${clause.section}: “${clause.quote}”`;
}
