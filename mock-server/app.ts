/**
 * The sandbox's Express app: the partner API under its spec's base path (/api/v1) and the control API under
 * /sandbox/v1, both validated against their bundled specs, errors always in the envelope.
 *
 * Partner pipeline, in order: trace id → (request log hook, operation lookup, provisional rate-limit
 * headers) → reset gate → raw body → API key + secret → IP allowlist → rate limit → signature on writes → operation gate
 * (404/405/feature flag) → Idempotency-Key presence → enum normalisation → OpenAPI validation → idempotency
 * claim → faults → handler → (claim released on error) → error envelope. Control pipeline: trace id → raw
 * body → admin bearer token (none for the public signing key) → operation gate → enum normalisation → OpenAPI
 * validation → handler → envelope. Test-helper pipeline (/sandbox/v1/test-helpers, a partner driving its own
 * sandbox): trace id → raw body → API key + secret → IP allowlist → signature on writes (the partner API's own
 * middlewares) → operation gate → enum normalisation → OpenAPI validation → event stream or handler → envelope.
 * Each pipeline is one composed Express layer (compose.ts). In front of all: the trace id, one access-log
 * line per request, and the unauthenticated probes /healthz and /readyz.
 *
 * Request signatures are checked against real time, not the sandbox clock: partners sign with their real
 * clocks, and moving a clock must never make a correctly signed request fail.
 */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Engine } from './engine.ts';
import { accessLog } from './http/access-log.ts';
import { adminAuth } from './http/admin-auth.ts';
import { certificationWitness } from './http/certification-witness.ts';
import { clockSync } from './http/clock-sync.ts';
import { apiKeyAuth } from './http/api-key-auth.ts';
import { compose } from './http/compose.ts';
import { controlRoutes } from './http/control-routes.ts';
import { enumNormalisation } from './http/enum-normalisation.ts';
import { errorEnvelope } from './http/error-envelope.ts';
import { eventStream, EventStreams } from './http/event-stream.ts';
import { faults } from './http/faults.ts';
import { healthRoutes } from './http/health.ts';
import { idempotency, releaseIdempotencyOnError, requireIdempotencyKey } from './http/idempotency.ts';
import { ipAllowlist } from './http/ip-allowlist.ts';
import { createLogger } from './http/logger.ts';
import { notFoundFallback } from './http/not-found.ts';
import { openApiValidation } from './http/openapi-validation.ts';
import { operationGate } from './http/operation-gate.ts';
import { buildOperationTable } from './http/operations.ts';
import { clearOnControlWrites, PartnerCache, SHARED_PARTNER_TTL_MS } from './http/partner-cache.ts';
import { partnerRoutes } from './http/partner-routes.ts';
import { rateLimit, rateLimitPreview } from './http/rate-limit.ts';
import { RateLimiter, rateLimitsFromSpec, SharedRateLimiter } from './http/rate-limiter.ts';
import { rawBody } from './http/raw-body.ts';
import { requestLog } from './http/request-log.ts';
import { resetGate } from './http/reset-gate.ts';
import { resolveOperation } from './http/resolve-operation.ts';
import { requestSignature, signingToleranceFromSpec } from './http/signature.ts';
import { testHelperRoutes } from './http/test-helper-routes.ts';
import { loadSpec } from '@starship/contract';
import { starshipWebhookEventTypes } from '@starship/spec/starship-operations';
import { traceId } from './http/trace-id.ts';

export interface AppOptions {
  engine: Engine;
  adminToken: string;
  /** Express's `trust proxy`: X-Forwarded-For decides the client IP only when this is set. */
  trustProxy?: boolean | number | string;
  /** Validate every response against the spec (a mismatch is logged and answered 500). */
  validateResponses?: boolean;
  bodyLimitBytes?: number;
  logger?: Logger;
  /** A built docs site (`starship docs`) to serve at /docs, outside the API's auth. */
  docsDir?: string;
  /** Open event streams, which the server ends on shutdown. */
  eventStreams?: EventStreams;
}

/** Real time, for signature windows. */
const realClock = { now: () => new Date(), nowSeconds: () => Math.floor(Date.now() / 1000) };

export const TEST_HELPERS_PATH = '/test-helpers';

export function createApp({
  engine,
  adminToken,
  trustProxy = false,
  validateResponses = true,
  bodyLimitBytes,
  logger = createLogger(),
  docsDir,
  eventStreams = new EventStreams(),
}: AppOptions): Express {
  const partnerSpec = loadSpec('starship');
  const sandboxSpec = loadSpec('sandbox');
  const partnerTable = buildOperationTable(partnerSpec);
  const sandboxTable = buildOperationTable(sandboxSpec);
  const limits = rateLimitsFromSpec(partnerSpec);
  const limiter = engine.sharedRateWindows ? new SharedRateLimiter(limits, engine.sharedRateWindows) : new RateLimiter(limits);
  const body = rawBody(bodyLimitBytes === undefined ? {} : { limitBytes: bodyLimitBytes });
  const partners = new PartnerCache(engine, engine.shared ? SHARED_PARTNER_TTL_MS : undefined);
  const signature = requestSignature(realClock, signingToleranceFromSpec(partnerSpec), engine);
  const sandboxValidation = openApiValidation({ doc: sandboxSpec, validateResponses, logger });

  const partner = compose([
    ...clockSync(engine.clock),
    requestLog(engine, logger),
    resolveOperation(partnerTable),
    rateLimitPreview(limiter, engine.clock),
    resetGate(engine),
    body,
    apiKeyAuth(partners),
    ipAllowlist(),
    rateLimit(limiter, engine.clock),
    signature,
    operationGate(partnerTable, engine),
    requireIdempotencyKey(),
    enumNormalisation(partnerSpec, partnerTable),
    openApiValidation({ doc: partnerSpec, validateResponses, logger }),
    idempotency(engine),
    faults(engine, partnerSpec),
    partnerRoutes(engine),
  ]);

  const control = compose([
    ...clockSync(engine.clock),
    resolveOperation(sandboxTable),
    body,
    adminAuth(adminToken),
    clearOnControlWrites(partners),
    operationGate(sandboxTable, engine),
    enumNormalisation(sandboxSpec, sandboxTable),
    sandboxValidation,
    controlRoutes(engine),
  ]);

  const testHelpers = compose([
    ...clockSync(engine.clock),
    resolveOperation(sandboxTable),
    body,
    apiKeyAuth(partners),
    ipAllowlist(),
    signature,
    operationGate(sandboxTable, engine),
    enumNormalisation(sandboxSpec, sandboxTable),
    sandboxValidation,
    eventStream(engine, eventStreams, starshipWebhookEventTypes, logger),
    testHelperRoutes(engine),
  ]);

  const app = express();
  app.disable('x-powered-by');
  // Bodies are small and uncached; an ETag would cost a hash per response for nothing.
  app.set('etag', false);
  app.set('trust proxy', trustProxy);
  app.use(traceId());
  app.use(accessLog(logger));
  app.use(healthRoutes(engine));
  app.use(certificationWitness(engine, partnerTable.basePath));
  if (docsDir) {
    app.use('/docs', express.static(docsDir));
    // The banner advertises the sandbox's origin: a browser opening it lands on the docs, and the icon a
    // browser asks for at the root (pages without one, such as a JSON answer) is the docs' favicon.
    app.get('/', (_req, res) => res.redirect(302, '/docs/'));
    app.get('/favicon.ico', (_req, res) => res.redirect(301, '/docs/favicon.svg'));
  }
  app.use(partnerTable.basePath, partner, releaseIdempotencyOnError(engine, logger));
  app.use(sandboxTable.basePath + TEST_HELPERS_PATH, testHelpers);
  app.use(sandboxTable.basePath, control);
  app.use(notFoundFallback());
  app.use(errorEnvelope(logger));
  return app;
}
