/**
 * Per-request state the pipeline builds up (trace id, raw body, matched operation, partner, verdicts) and the
 * request log reads at the end. It lives on `res.locals.starship`, created by the trace-id middleware.
 */
import type { Response } from 'express';
import type { C, PartnerCredentials } from '../engine.ts';
import type { Operation } from './operations.ts';

export type Verdicts = C['RequestLogEntry']['verdicts'];

export interface RateLimitState {
  class: string;
  limit: number;
  remaining: number;
  /** Unix seconds at which the per-minute window resets. */
  reset: number;
}

export interface RequestContext {
  traceId: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** The body exactly as received (empty when there was none): what the signature covers. */
  rawBody: Buffer;
  /** The operation the path and method resolved to; undefined for an unknown route or method. */
  operation?: Operation;
  /** The operation's path parameters as the URL carries them (percent-encoded). */
  rawPathParams?: Record<string, string>;
  /** Path and query parameters as the contract validator read them (decoded, coerced, defaults filled in). */
  parameters?: { path: Record<string, unknown>; query: Record<string, unknown> };
  /** The partner the X-API-Key names, once known (even if the secret then fails), for the request log. */
  partnerId?: string;
  /** The authenticated partner (key and secret passed); later checks may still reject the request. */
  partner?: PartnerCredentials;
  verdicts: Verdicts;
  rateLimit?: RateLimitState;
  /** `error.code` of the envelope sent, for the request log. */
  errorCode?: string;
}

declare global {
  namespace Express {
    interface Locals {
      starship: RequestContext;
    }
  }
}

export function initialVerdicts(): Verdicts {
  return {
    auth: { result: 'NOT_EVALUATED', reason: null },
    ip: { result: 'NOT_EVALUATED', client_ip: '', reason: null },
    rate_limit: { result: 'NOT_EVALUATED', class: null, limit: null, remaining: null },
    signature: { result: 'NOT_EVALUATED', canonical_string: null, reason: null },
    idempotency: { key: null, result: 'NOT_EVALUATED' },
  };
}

export function contextOf(res: Response): RequestContext {
  return res.locals.starship;
}
