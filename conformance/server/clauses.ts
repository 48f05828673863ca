/**
 * The clauses of the published partner documentation (the five pages of ../shared/seeds/) the checks
 * enforce: the page a partner knows it by, the section and the promise quoted, and the guide on the docs
 * site that explains what to build. Where the pages disagree DESIGN.md's ruling is cited beside the page it
 * settles, so a reader can check each verdict against the published promise rather than against this tool.
 */

/** The documentation pages, by the titles partners read them under. */
export const DOC_PAGES = {
  reference: 'API reference v1',
  stability: 'Versioning & Stability',
  products: 'Products API',
  orders: 'Orders',
  fulfillment: 'Fulfillment Model',
} as const;

export type DocPage = keyof typeof DOC_PAGES;

/** The guides of the docs site (`starship docs`, scripts/guides/<slug>.md). */
export type Guide = 'getting-started' | 'signing' | 'idempotency-and-retries' | 'fulfillment' | 'webhooks' | 'versioning' | 'certification';

/**
 * The docs site reports link to: the hosted sandbox serves it under /docs/, like every sandbox does
 * (`starship mock`), at the sandbox origin the API reference publishes. A fixed address, because a signed
 * report must render the same page wherever it is verified.
 */
export const DOCS_SITE = 'https://api-playground.starshiprewards.com/docs/';

export interface Clause {
  page: DocPage;
  section: string;
  quote: string;
  guide: Guide;
}

export const guideUrl = (guide: Guide) => `${DOCS_SITE}${guide}.html`;

export const clause = (page: DocPage, section: string, quote: string, guide: Guide): Clause => ({ page, section, quote, guide });

export const CLAUSES = {
  statelessAuth: clause('reference', 'Authentication', 'Every API request carries your partner key + secret on the headers. The server validates identity per-call.', 'getting-started'),
  noBearer: clause('reference', 'Authentication', 'Stateless auth. No sessions, no bearer tokens, no OAuth, no refresh flows.', 'getting-started'),
  ipAllowlist: clause('reference', 'Authentication', 'Keys are issued per partner during onboarding, scoped to a single partner organization, bound to an IP allowlist.', 'getting-started'),
  signing: clause('reference', 'Request signing · HMAC-SHA256', 'Every write request (POST, PUT, DELETE) is also HMAC-signed … HMAC-SHA256 over the concatenated timestamp + method + path + body using your API secret.', 'signing'),
  signingWindow: clause('reference', 'Request signing · HMAC-SHA256', 'X-Timestamp: unix seconds, must be within 5 min of server time … Signatures older than the clock-skew window are rejected.', 'signing'),
  signingBindsT: clause('reference', 'Request signing · HMAC-SHA256', 'The t= prefix binds the timestamp into the signature (replay protection).', 'signing'),
  signatureReplay: clause(
    'reference',
    'Request signing · HMAC-SHA256',
    'The t= prefix binds the timestamp into the signature (replay protection). (DESIGN ruling: a signature already used within its window is refused 401 E_SIGNATURE_REPLAYED, unless it is the exact retry of that request with the same Idempotency-Key, which gets the stored response.)',
    'signing',
  ),
  canonicalString: clause('stability', "What's stable", 'HMAC canonical-string format (DESIGN "Signing": path as sent including /api/v1 and any query string).', 'signing'),
  idempotencyRequired: clause('reference', 'Idempotency', 'Write endpoints that create state — POST /orders … — require an Idempotency-Key header.', 'idempotency-and-retries'),
  idempotencyReplay: clause('reference', 'Idempotency', 'Retries with the same key return the original response without re-executing. Keys are retained for 24 hours.', 'idempotency-and-retries'),
  idempotencyRuling: clause('reference', 'Idempotency', 'Retries with the same key return the original response (DESIGN ruling: same key + different request → 422 E_IDEMPOTENCY_KEY_REUSED; while executing → 409 E_IDEMPOTENCY_KEY_IN_USE; rejections store nothing; scoped per partner).', 'idempotency-and-retries'),
  rateLimitHeaders: clause('products', 'Rate Limits', 'Rate limit information is included in response headers: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset (Unix timestamp when limit resets).', 'idempotency-and-retries'),
  rateLimit429: clause('reference', 'Rate limits', 'When limits are exceeded the API returns 429 Too Many Requests with a Retry-After header.', 'idempotency-and-retries'),
  rateLimitPerKey: clause('reference', 'Rate limits', 'Limits are applied per API key, per endpoint class.', 'idempotency-and-retries'),
  errorShape: clause('reference', 'Error shape', 'Errors use standard HTTP status codes plus a structured body { "error": { "name", "code", "message" } }.', 'getting-started'),
  errorEnvelopeStable: clause('stability', "What's stable", 'Error envelope shape { error: { name, code, message, messages? } }; error code strings keep their exact spelling.', 'versioning'),
  traceId: clause('reference', 'Error shape', 'Every response also carries an X-Trace-ID response header … quote it in support tickets.', 'getting-started'),
  pagination: clause('products', 'List Products', 'Headers: X-Page, X-Per-Page, X-Total-Count, X-Total-Pages, X-Page-Size, X-Has-More.', 'getting-started'),
  paginationParams: clause('products', 'List Products', 'page: Page number (min: 1); limit: Items per page (min: 1).', 'getting-started'),
  enumCase: clause('orders', 'Enum Conventions', 'The API accepts input values in any case … and always responds with the canonical UPPERCASE form.', 'versioning'),
  catalog: clause('reference', 'Core endpoints · Catalog', 'GET /categories, GET /products (filter via query params), GET /products/{product_id}.', 'getting-started'),
  categoryFilter: clause('products', 'List Products', 'category: Filter by category name (e.g., "Gift Cards").', 'getting-started'),
  availability: clause('products', 'Check Product Availability', 'Check if a product is available for purchase at a specific denomination and quantity … { "is_available": true }.', 'fulfillment'),
  deliveryTimeLive: clause('fulfillment', 'Why Inventory Misses Happen', 'Call the Charges API or Product availability endpoint … to see the live delivery_time signal (INSTANT if cache is warm, DELAYED if not).', 'fulfillment'),
  cacheHit: clause('fulfillment', 'The Happy Path: Cache Hit', 'Your POST /orders response arrives with status: "DELIVERED" already set. Voucher codes are immediately retrievable via GET /orders/:id.', 'fulfillment'),
  cacheMiss: clause('fulfillment', 'The Miss Path: PENDING', 'When inventory is not cached … the order is persisted in PENDING status and does nothing further automatically.', 'fulfillment'),
  operatorRetry: clause('fulfillment', 'The Miss Path: PENDING', 'Inventory arrives and a pump runs … An admin then triggers a retry, which fulfills the order from cache.', 'fulfillment'),
  vendorFallback: clause('fulfillment', 'The Miss Path: PENDING', 'Admin triggers vendor fallback … Starship calls the vendor … and marks the order DELIVERED.', 'fulfillment'),
  adminCancel: clause('fulfillment', 'The Miss Path: PENDING', 'Admin cancels … the order is moved to CANCELLED and the wallet is refunded.', 'fulfillment'),
  bulkAsync: clause('fulfillment', 'Async Orders (Large Quantities)', 'For large bulk orders (qty > 50), the API returns HTTP 200 immediately with status: PENDING and no order items yet.', 'fulfillment'),
  partialDelivery: clause('orders', 'Order Status Flow', 'PARTIALLY_DELIVERED: Some order items are delivered; others are still pending or failed.', 'fulfillment'),
  getOrder: clause('reference', 'Core endpoints · Orders', 'GET /orders/{order_id}: Retrieve order status, allocated vouchers, fulfillment timeline.', 'fulfillment'),
  walletDebit: clause('reference', 'Core endpoints · Wallet & transactions', 'GET /wallets: Current wallet balances; GET /transactions: transaction history (DESIGN ruling: the wallet is debited at placement).', 'getting-started'),
  webhookRegister: clause('reference', 'Core endpoints · Webhooks', 'POST /webhooks: Register or update a webhook endpoint … Starship will sign every delivery using your per-endpoint signing secret.', 'webhooks'),
  webhookSigning: clause('stability', "What's stable", 'Webhook signing algorithm: HMAC-SHA256 over timestamp + "." + body.', 'webhooks'),
  webhookEnvelope: clause('stability', "What's stable", 'Webhook event envelope { event_id, event_type, created_at, data }.', 'webhooks'),
  webhookNoCodes: clause('reference', 'Webhooks', 'Voucher codes are delivered via a secure, separately-fetched endpoint — they are not included in webhook payloads.', 'webhooks'),
  webhookRetry: clause('reference', 'Webhooks', 'Your endpoint must return 2xx within 5 seconds or the delivery is retried with exponential backoff for 24 hours.', 'webhooks'),
  responseFields: clause('stability', "What's stable", 'Response body field names and types (order.status stays a string enum).', 'versioning'),
  endpointPaths: clause('stability', "What's stable", 'Endpoint paths: GET /api/v1/products, POST /api/v1/orders will not change without a new API version.', 'versioning'),
  noSilentChange: clause('stability', 'Long-term stability commitments', 'We do not silently change behavior of v1 endpoints.', 'versioning'),
  plannedEndpoints: clause('reference', 'Reconciliation Planned · not yet built', 'GET /reconciliation/{date} PLANNED … subject to change before release (DESIGN: served only behind a feature flag).', 'versioning'),
} as const satisfies Record<string, Clause>;

/** `API reference v1 § Idempotency: “…”`: the page and section a partner can look up. */
export function formatClause(clause: Clause): string {
  return `${DOC_PAGES[clause.page]} § ${clause.section}: “${clause.quote}”`;
}
