/**
 * The clauses of the stability seed ("Versioning & Stability", ../shared/seeds/001_*.txt) that diff rules
 * enforce, quoted by section. Every rule names exactly one; reports print it so a reader can check the
 * verdict against the published promise rather than against this tool.
 */
export const CLAUSES = {
  stableEndpointPaths: "What's stable: Endpoint paths (GET /api/v1/products, POST /api/v1/orders)",
  stableRequestFields: "What's stable: Request body field names and types (product_id stays an integer; amount stays a decimal string)",
  stableResponseFields: "What's stable: Response body field names and types (order.status stays a string enum)",
  stableErrorEnvelope: "What's stable: Error envelope shape ({ error: { name, code, message, messages? } })",
  stableErrorCodes: "What's stable: Error code strings (E_VALIDATION_FAILURE keeps that exact spelling)",
  stableAuthHeaders: "What's stable: Auth headers (X-API-Key, X-API-Secret, X-Signature, Idempotency-Key keep their names)",
  stableHmac: "What's stable: HMAC canonical-string format",
  stableWebhookEnvelope: "What's stable: Webhook event envelope ({ event_id, event_type, created_at, data })",
  stableWebhookSigning: 'What\'s stable: Webhook signing algorithm (HMAC-SHA256 over timestamp + "." + body)',
  additiveEndpoints: 'What may evolve (additive): New endpoints',
  additiveOptionalRequestFields: 'What may evolve (additive): New optional request fields',
  additiveResponseFields: 'What may evolve (additive): New response fields (your parser must ignore unknown keys)',
  additiveEnumValues: 'What may evolve (additive): New enum values (treat unknown as informational)',
  additiveWebhookEvents: 'What may evolve (additive): New webhook events',
  additiveErrorCodes: 'What may evolve (additive): New error codes within a 4xx class (always handle unknown codes by class)',
  additiveStricterValidation: 'What may evolve (additive): Stricter validation on a field already rejected today (behaviors that were already error paths may tighten)',
  breakingRemoveEndpoint: 'What counts as a breaking change: Removing an endpoint or making it return 410 Gone',
  breakingRemoveField: 'What counts as a breaking change: Removing or renaming a request/response field',
  breakingTypeChange: "What counts as a breaking change: Changing a field's type (string → integer, etc.)",
  breakingHmac: 'What counts as a breaking change: Changing the HMAC algorithm or canonical-string format',
  breakingEnumRestricted: 'What counts as a breaking change: Restricting an enum to a smaller value set',
  breakingRequired: 'What counts as a breaking change: Moving required/optional status of a field (required → optional is additive; optional → required is breaking)',
  deprecationHeader: 'How breaking changes are announced: Per-endpoint deprecation warnings via a Deprecation response header on v1 endpoints during the overlap window',
  lockClient: 'How to future-proof: Lock your client to v1 explicitly (build calls from a starship.v1.products.list() style helper)',
  noSilentChange: 'Long-term stability commitments: We do not silently change behavior of v1 endpoints',
} as const;

export type Clause = (typeof CLAUSES)[keyof typeof CLAUSES];
