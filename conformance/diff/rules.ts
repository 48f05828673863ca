import { CLAUSES, type Clause } from './clauses.ts';

export type Severity = 'breaking' | 'warning' | 'additive';

export interface RuleDefinition {
  severity: Severity;
  clause: Clause;
  /** One line for docs and changelog headings. */
  summary: string;
}

const rule = (severity: Severity, clause: Clause, summary: string): RuleDefinition => ({ severity, clause, summary });

/**
 * Every rule the diff can report, by stable id (ignore files and CI output refer to these). "request" rules
 * judge what a client sends (request bodies and parameters: the accepted set may only grow); "response" rules
 * judge what Starship sends (response bodies and headers, and webhook payloads and headers: the emitted set may
 * only shrink, except for the additions the contract allows clients to tolerate).
 */
export const RULES = {
  // operations and servers
  'operation-removed': rule('breaking', CLAUSES.breakingRemoveEndpoint, 'An operation (method + path) was removed'),
  'operation-added': rule('additive', CLAUSES.additiveEndpoints, 'A new operation'),
  'operation-gone': rule('breaking', CLAUSES.breakingRemoveEndpoint, 'An operation now documents 410 Gone'),
  'operation-unreleased': rule('breaking', CLAUSES.breakingRemoveEndpoint, 'A released operation became planned (feature-flagged off)'),
  'operation-released': rule('additive', CLAUSES.additiveEndpoints, 'A planned operation was released'),
  'operation-deprecated': rule('warning', CLAUSES.deprecationHeader, 'An operation was marked deprecated'),
  'operation-id-changed': rule('warning', CLAUSES.lockClient, 'An operationId (SDK method name) changed'),
  'server-removed': rule('breaking', CLAUSES.stableEndpointPaths, 'A server URL (base path) was removed'),
  'server-added': rule('additive', CLAUSES.additiveEndpoints, 'A new server URL'),
  // parameters
  'request-parameter-removed': rule('breaking', CLAUSES.breakingRemoveField, 'A request parameter was removed'),
  'request-parameter-renamed': rule('breaking', CLAUSES.breakingRemoveField, 'A request parameter was renamed'),
  'request-parameter-added': rule('additive', CLAUSES.additiveOptionalRequestFields, 'A new optional request parameter'),
  'request-required-parameter-added': rule('breaking', CLAUSES.breakingRequired, 'A new required request parameter'),
  'request-parameter-became-required': rule('breaking', CLAUSES.breakingRequired, 'An optional request parameter became required'),
  'request-parameter-became-optional': rule('additive', CLAUSES.breakingRequired, 'A required request parameter became optional'),
  'request-parameter-style-changed': rule('breaking', CLAUSES.stableRequestFields, 'A request parameter is serialized differently (style/explode)'),
  'auth-header-changed': rule('breaking', CLAUSES.stableAuthHeaders, 'An auth header (X-API-Key, X-API-Secret, X-Timestamp, X-Signature, Idempotency-Key) changed'),
  // request bodies
  'request-body-removed': rule('breaking', CLAUSES.breakingRemoveField, 'An operation no longer takes a request body'),
  'request-body-added': rule('additive', CLAUSES.additiveOptionalRequestFields, 'An operation accepts a new optional request body'),
  'request-body-became-required': rule('breaking', CLAUSES.breakingRequired, 'A request body became required'),
  'request-body-became-optional': rule('additive', CLAUSES.breakingRequired, 'A request body became optional'),
  'request-media-type-removed': rule('breaking', CLAUSES.stableRequestFields, 'A request content type is no longer accepted'),
  'request-media-type-added': rule('additive', CLAUSES.additiveOptionalRequestFields, 'A new accepted request content type'),
  // responses
  'response-success-status-removed': rule('breaking', CLAUSES.stableResponseFields, 'A success (1xx–3xx) status is no longer returned'),
  'response-success-status-added': rule('warning', CLAUSES.noSilentChange, 'A new success (1xx–3xx) status'),
  'response-error-status-removed': rule('warning', CLAUSES.noSilentChange, 'An error status is no longer documented'),
  'response-error-status-added': rule('additive', CLAUSES.additiveErrorCodes, 'A new error status'),
  'response-body-removed': rule('breaking', CLAUSES.breakingRemoveField, 'A response lost its body'),
  'response-body-added': rule('additive', CLAUSES.additiveResponseFields, 'A response gained a body'),
  'response-media-type-removed': rule('breaking', CLAUSES.stableResponseFields, 'A response content type is no longer returned'),
  'response-media-type-added': rule('additive', CLAUSES.additiveResponseFields, 'A new response content type'),
  'response-header-removed': rule('breaking', CLAUSES.noSilentChange, 'A response header was removed'),
  'response-header-added': rule('additive', CLAUSES.additiveResponseFields, 'A new response header'),
  'response-header-became-optional': rule('breaking', CLAUSES.noSilentChange, 'A required response header became optional'),
  'pagination-header-changed': rule('breaking', CLAUSES.noSilentChange, 'A pagination header (X-Page, X-Per-Page, X-Total-Count, X-Total-Pages, X-Page-Size, X-Has-More) changed'),
  'error-code-removed': rule('breaking', CLAUSES.stableErrorCodes, 'An error code is no longer returned'),
  'error-code-renamed': rule('breaking', CLAUSES.stableErrorCodes, 'An error code was renamed'),
  'error-code-moved': rule('warning', CLAUSES.noSilentChange, 'An error code moved to another status'),
  'error-code-added': rule('additive', CLAUSES.additiveErrorCodes, 'A new error code within a status class the operation already returns'),
  'error-code-added-new-class': rule('warning', CLAUSES.additiveErrorCodes, 'A new error code in a status class the operation did not return before'),
  'error-envelope-changed': rule('breaking', CLAUSES.stableErrorEnvelope, 'The error envelope changed'),
  // schemas
  'request-property-removed': rule('breaking', CLAUSES.breakingRemoveField, 'A request field was removed'),
  'request-property-renamed': rule('breaking', CLAUSES.breakingRemoveField, 'A request field was renamed'),
  'request-property-added': rule('additive', CLAUSES.additiveOptionalRequestFields, 'A new optional request field'),
  'request-required-property-added': rule('breaking', CLAUSES.breakingRequired, 'A new required request field'),
  'request-property-became-required': rule('breaking', CLAUSES.breakingRequired, 'An optional request field became required'),
  'request-property-became-optional': rule('additive', CLAUSES.breakingRequired, 'A required request field became optional'),
  'request-additional-properties-restricted': rule('breaking', CLAUSES.stableRequestFields, 'A request object no longer accepts extra keys'),
  'response-property-removed': rule('breaking', CLAUSES.breakingRemoveField, 'A response field was removed'),
  'response-property-renamed': rule('breaking', CLAUSES.breakingRemoveField, 'A response field was renamed'),
  'response-property-added': rule('additive', CLAUSES.additiveResponseFields, 'A new response field'),
  'response-property-became-optional': rule('breaking', CLAUSES.stableResponseFields, 'A required response field became optional (may be absent)'),
  'response-property-became-required': rule('additive', CLAUSES.stableResponseFields, 'An optional response field is now always present'),
  'request-type-changed': rule('breaking', CLAUSES.breakingTypeChange, 'A request field no longer accepts a type it accepted'),
  'request-type-widened': rule('warning', CLAUSES.breakingTypeChange, 'A request field accepts an additional type'),
  'response-type-changed': rule('breaking', CLAUSES.breakingTypeChange, 'A response field may have a type it did not have'),
  'response-type-narrowed': rule('warning', CLAUSES.breakingTypeChange, 'A response field lost one of its types'),
  'enum-value-removed': rule('breaking', CLAUSES.breakingEnumRestricted, 'An enum lost values'),
  'enum-value-added': rule('additive', CLAUSES.additiveEnumValues, 'An enum gained values'),
  'request-variant-removed': rule('breaking', CLAUSES.breakingTypeChange, 'A request oneOf/anyOf alternative was removed'),
  'request-variant-added': rule('additive', CLAUSES.additiveOptionalRequestFields, 'A request oneOf/anyOf gained an alternative'),
  'response-variant-added': rule('breaking', CLAUSES.breakingTypeChange, 'A response oneOf/anyOf gained an alternative'),
  'response-variant-removed': rule('warning', CLAUSES.breakingTypeChange, 'A response oneOf/anyOf lost an alternative'),
  'request-constraint-tightened': rule('breaking', CLAUSES.additiveStricterValidation, 'A request field rejects values it accepted (bounds tightened)'),
  'response-constraint-loosened': rule('warning', CLAUSES.stableResponseFields, 'A response field may carry values outside its former bounds'),
  'pattern-changed': rule('warning', CLAUSES.additiveStricterValidation, 'A pattern changed'),
  'format-changed': rule('warning', CLAUSES.breakingTypeChange, 'A format changed'),
  // security
  'security-scheme-removed': rule('breaking', CLAUSES.stableAuthHeaders, 'A security scheme was removed'),
  'security-scheme-changed': rule('breaking', CLAUSES.stableAuthHeaders, 'A security scheme changed (type, location, header name or HTTP scheme)'),
  'security-requirement-changed': rule('breaking', CLAUSES.stableAuthHeaders, 'An operation no longer accepts the credentials it accepted'),
  'security-requirement-relaxed': rule('additive', CLAUSES.stableAuthHeaders, 'An operation accepts additional credentials (or none)'),
  // root extensions
  'signing-scheme-changed': rule('breaking', CLAUSES.breakingHmac, 'The request signing scheme (x-starship-signing) changed'),
  'signing-scheme-relaxed': rule('warning', CLAUSES.stableHmac, 'The request signing scheme tolerates more clock skew'),
  'signing-scheme-added': rule('additive', CLAUSES.stableHmac, 'A signing scheme is now machine-readable'),
  'webhook-signing-changed': rule('breaking', CLAUSES.stableWebhookSigning, 'The webhook signing scheme (x-starship-webhook-signing) changed'),
  'rate-limits-changed': rule('warning', CLAUSES.noSilentChange, 'Rate limits or an operation\'s rate-limit class changed'),
  // webhooks
  'webhook-event-removed': rule('breaking', CLAUSES.breakingRemoveEndpoint, 'A webhook event is no longer sent'),
  'webhook-event-added': rule('additive', CLAUSES.additiveWebhookEvents, 'A new webhook event'),
  'webhook-envelope-changed': rule('breaking', CLAUSES.stableWebhookEnvelope, 'The webhook event envelope changed'),
} as const satisfies Record<string, RuleDefinition>;

export type RuleId = keyof typeof RULES;

export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(RULES, value);
}

export const SEVERITY_ORDER: Record<Severity, number> = { breaking: 0, warning: 1, additive: 2 };

export const FAIL_ON = ['breaking', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function isFailOn(value: string): value is FailOn {
  return (FAIL_ON as readonly string[]).includes(value);
}

/** `--fail-on warning` fails on warnings and on anything more severe. */
export function failsOn(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && SEVERITY_ORDER[severity] <= SEVERITY_ORDER[failOn];
}
