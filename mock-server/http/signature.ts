/**
 * HMAC request signatures on writes, verified with the SDK's own verifier (sdk/signing.ts) over the exact
 * bytes received and the path as sent (`req.originalUrl`), against the sandbox's virtual clock. The verdict
 * keeps the canonical string the server computed, so a partner can diff it against theirs; it never holds
 * the secret or the expected signature.
 */
import type { RequestHandler } from 'express';
import { isWriteMethod, verifyRequestSignature } from '@starship/sdk';
import { ApiError } from '../api-error.ts';
import type { Clock } from '../engine.ts';
import { contextOf } from './context.ts';
import { isObject, type OpenApiDocument } from '@starship/contract';

/** The window from the spec's `x-starship-signing.tolerance_seconds`. */
export function signingToleranceFromSpec(doc: OpenApiDocument): number {
  const ext = doc['x-starship-signing'];
  const tolerance = isObject(ext) ? Number(ext.tolerance_seconds) : NaN;
  if (!Number.isFinite(tolerance)) throw new Error('the spec has no usable x-starship-signing.tolerance_seconds');
  return tolerance;
}

export function requestSignature(clock: Clock, toleranceSeconds: number): RequestHandler {
  return (req, res, next) => {
    if (!isWriteMethod(req.method)) return next();
    const ctx = contextOf(res);
    const partner = ctx.partner;
    if (!partner) throw new Error('requestSignature must run after authentication');
    const result = verifyRequestSignature({
      secret: partner.apiSecret,
      method: req.method,
      path: req.originalUrl,
      body: ctx.rawBody,
      timestampHeader: req.get('x-timestamp'),
      signatureHeader: req.get('x-signature'),
      now: clock.nowSeconds(),
      toleranceSeconds,
    });
    if (!result.ok) {
      ctx.verdicts.signature = { result: 'FAIL', canonical_string: result.canonical ?? null, reason: `${result.reason}: ${result.message}` };
      throw new ApiError(401, result.code, result.message);
    }
    ctx.verdicts.signature = { result: 'PASS', canonical_string: result.canonical, reason: null };
    next();
  };
}
