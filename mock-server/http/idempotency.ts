/**
 * Idempotency-Key handling (DESIGN "Idempotency"), on operations that declare the header. A key is claimed
 * through the engine: NEW runs the request, REPLAYED answers the stored status, body and headers with
 * `Idempotent-Replayed: true`, MISMATCH is 422 E_IDEMPOTENCY_KEY_REUSED and IN_USE 409
 * E_IDEMPOTENCY_KEY_IN_USE.
 *
 * A NEW claim is always settled here, whatever the handler did, so no handler has to remember it (a claim
 * left open answers 409 for 5 minutes): `completeIdempotencyKey` runs between every handler's result and
 * its sending, and stores a success (unless the write stored it in its own transaction already, as
 * placeOrder does) or gives the claim back for an error envelope the handler returned;
 * `releaseIdempotencyOnError` gives it back when the handler threw. So nothing is stored for a rejection,
 * and a corrected request may reuse the key.
 *
 * `requireIdempotencyKey` runs before the validator: the spec marks the header required, and a missing key
 * must be reported as E_IDEMPOTENCY_KEY_MISSING, not as a generic validation failure.
 */
import { createHash } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { canonicalJson } from '@starship/contract';
import { ApiError } from '../api-error.ts';
import type { Engine, IdempotencyScope } from '../engine.ts';
import { contextOf } from './context.ts';
import { headersOf, type BeforeSend } from './send.ts';

declare global {
  namespace Express {
    interface Locals {
      /** Set while this request holds a NEW claim on its Idempotency-Key. */
      idempotency?: IdempotencyScope;
    }
  }
}

/** sha256 of method, path and query as sent (one trailing slash ignored), and the canonical JSON body (none: null). */
export function requestFingerprint(req: Request): string {
  const [path = '', query] = req.originalUrl.split('?', 2);
  const target = path.replace(/(.)\/$/, '$1') + (query === undefined ? '' : `?${query}`);
  return createHash('sha256')
    .update(`${req.method.toUpperCase()} ${target}\n${canonicalJson(req.body ?? null)}`)
    .digest('hex');
}

export function requireIdempotencyKey(): RequestHandler {
  return (req, res, next) => {
    const ctx = contextOf(res);
    if (ctx.operation?.idempotencyKey === 'REQUIRED' && !req.get('idempotency-key')) {
      ctx.verdicts.idempotency = { key: null, result: 'MISSING' };
      throw new ApiError(
        400,
        'E_IDEMPOTENCY_KEY_MISSING',
        `${ctx.operation.method} ${ctx.operation.path} requires an Idempotency-Key header.`,
      );
    }
    next();
  };
}

/** Headers that describe this response, not the stored one. */
const PER_RESPONSE = new Set(['x-trace-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'content-length']);

export function idempotency(engine: Pick<Engine, 'claimIdempotencyKey'>): RequestHandler {
  return async (req, res, next) => {
    const ctx = contextOf(res);
    const key = req.get('idempotency-key');
    if (!ctx.operation || ctx.operation.idempotencyKey === 'NONE' || !key) {
      ctx.verdicts.idempotency = { key: null, result: 'NOT_APPLICABLE' };
      return next();
    }
    const partner = ctx.partner;
    if (!partner) throw new Error('idempotency must run after authentication');
    const scope: IdempotencyScope = { partnerId: partner.partnerId, key, fingerprint: requestFingerprint(req) };
    const claim = await engine.claimIdempotencyKey(scope);
    ctx.verdicts.idempotency = { key, result: claim.outcome };
    switch (claim.outcome) {
      case 'NEW':
        res.locals.idempotency = scope;
        return next();
      case 'REPLAYED': {
        const { status, body, headers } = claim.response;
        for (const [name, value] of Object.entries(headers)) {
          if (!PER_RESPONSE.has(name.toLowerCase())) res.set(name, value);
        }
        res.set('Idempotent-Replayed', 'true');
        res.status(status);
        if (body === undefined || body === null) res.end();
        else res.json(body);
        return;
      }
      case 'MISMATCH':
        throw new ApiError(422, 'E_IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request.');
      case 'IN_USE':
        throw new ApiError(409, 'E_IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being processed.');
    }
  };
}

/** Settles the request's NEW claim with the handler's result, before it is sent (see the top of this file). */
export function completeIdempotencyKey(engine: Pick<Engine, 'completeIdempotencyKey' | 'releaseIdempotencyKey'>): BeforeSend {
  return async (res, result) => {
    const scope = res.locals.idempotency;
    if (!scope) return;
    if (result.status < 400) await engine.completeIdempotencyKey(scope, { status: result.status, body: result.body, headers: headersOf(result) });
    else await engine.releaseIdempotencyKey(scope);
    res.locals.idempotency = undefined;
  };
}

/** Error middleware after the handler: a failed request gives its claim back. */
export function releaseIdempotencyOnError(engine: Pick<Engine, 'releaseIdempotencyKey'>, logger: Logger): ErrorRequestHandler {
  return async (error, req, res, next) => {
    const scope = res.locals.idempotency;
    if (scope) {
      res.locals.idempotency = undefined;
      try {
        await engine.releaseIdempotencyKey(scope);
      } catch (releaseError) {
        // The request's own error is what the caller must see; a stuck claim expires with the key (24 h).
        logger.error({ err: releaseError, traceId: contextOf(res).traceId }, 'could not release an Idempotency-Key claim');
      }
    }
    next(error);
  };
}
