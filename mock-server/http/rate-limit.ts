/**
 * Rate limiting per API key and endpoint class (the operation's `x-starship-rate-limit-class`, DEFAULT for an
 * unknown route). `rateLimitPreview` runs before any check so that every response, a 401 included, carries
 * X-RateLimit-Limit/-Remaining/-Reset; `rateLimit` runs after authentication and counts the request.
 */
import type { RequestHandler, Response } from 'express';
import { ApiError } from '../api-error.ts';
import type { Clock } from '../engine.ts';
import { contextOf } from './context.ts';
import type { RateDecision, RateLimiter, SharedRateLimiter } from './rate-limiter.ts';

function setHeaders(res: Response, decision: RateDecision): void {
  res.set('X-RateLimit-Limit', String(decision.limit));
  res.set('X-RateLimit-Remaining', String(decision.remaining));
  res.set('X-RateLimit-Reset', String(decision.reset));
}

type Limiter = RateLimiter | SharedRateLimiter;

export function rateLimitPreview(limiter: Limiter, clock: Clock): RequestHandler {
  return (req, res, next) => {
    const cls = contextOf(res).operation?.rateLimitClass ?? 'DEFAULT';
    setHeaders(res, limiter.peek(req.get('x-api-key') ?? '', cls, clock.nowSeconds()));
    next();
  };
}

export function rateLimit(limiter: Limiter, clock: Clock): RequestHandler {
  return (_req, res, next) => {
    const partner = contextOf(res).partner;
    if (!partner) throw new Error('rateLimit must run after authentication');
    const cls = contextOf(res).operation?.rateLimitClass ?? 'DEFAULT';
    const decision = limiter.hit(partner.apiKey, cls, clock.nowSeconds(), partner.rateLimitOverrides);
    // In memory the decision is immediate; the shared (PostgreSQL) limiter answers from the database.
    if (decision instanceof Promise) return decision.then((shared) => apply(res, cls, shared, next));
    apply(res, cls, decision, next);
  };
}

function apply(res: Response, cls: string, decision: RateDecision, next: () => void): void {
  setHeaders(res, decision);
  contextOf(res).verdicts.rate_limit = {
    result: decision.allowed ? 'PASS' : 'FAIL',
    class: cls,
    limit: decision.limit,
    remaining: decision.remaining,
  };
  if (!decision.allowed) {
    const retryAfter = decision.retryAfter ?? 1;
    throw new ApiError(429, 'E_RATE_LIMITED', `Rate limit exceeded; retry in ${retryAfter} seconds.`, {
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
  next();
}
