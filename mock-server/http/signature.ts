/**
 * HMAC request signatures on writes, verified with the SDK's own verifier (sdk/signing.ts) over the exact
 * bytes received and the path as sent (`req.originalUrl`), against real time (the clock given). The verdict
 * keeps the canonical string the server computed, so a partner can diff it against theirs; it never holds
 * the secret or the expected signature. A valid signature already used within its window is refused 401
 * E_SIGNATURE_REPLAYED unless this is the exact retry of that request with the same Idempotency-Key
 * (engine/signature-uses.ts); the verdict says which.
 */
import type { Request, RequestHandler } from 'express';
import { diagnoseSignature, diagnosisLines } from '@starship/conformance/partner/signature-diagnosis';
import { isWriteMethod, verifyRequestSignature } from '@starship/sdk';
import { ApiError } from '../api-error.ts';
import type { Clock, Engine, PartnerCredentials } from '../engine.ts';
import { contextOf } from './context.ts';
import { isObject, type OpenApiDocument } from '@starship/contract';

/** The window from the spec's `x-starship-signing.tolerance_seconds`. */
export function signingToleranceFromSpec(doc: OpenApiDocument): number {
  const ext = doc['x-starship-signing'];
  const tolerance = isObject(ext) ? Number(ext.tolerance_seconds) : NaN;
  if (!Number.isFinite(tolerance)) throw new Error('the spec has no usable x-starship-signing.tolerance_seconds');
  return tolerance;
}

/**
 * A signature that does not match is explained as the certification report explains it (which part of the
 * canonical string differs, what each side signed). The caller has already proven it holds the secret, so
 * nothing is revealed that it could not compute itself.
 */
function diagnosis(reason: string, req: Request, rawBody: Buffer, partner: PartnerCredentials): string[] | undefined {
  if (reason !== 'V1_MISMATCH' && reason !== 'T_MISMATCH') return undefined;
  const seen = {
    method: req.method,
    path: req.originalUrl,
    host: req.get('host') ?? null,
    body: rawBody.toString('utf8'),
    timestampHeader: req.get('x-timestamp') ?? null,
    signatureHeader: req.get('x-signature') ?? null,
  };
  try {
    return diagnosisLines(diagnoseSignature(seen, partner.apiSecret, partner.apiKey));
  } catch {
    // The diagnosis is a courtesy: whatever it trips on, the answer stays the 401 it explains.
    return undefined;
  }
}

const replayed = () =>
  new ApiError(
    401,
    'E_SIGNATURE_REPLAYED',
    'This signature was already used by another request within its window. Sign every request anew; only the exact retry of a request with the same Idempotency-Key may repeat its signature.',
  );

export function requestSignature(clock: Pick<Clock, 'nowSeconds'>, toleranceSeconds: number, uses: Pick<Engine, 'recordSignatureUse'>): RequestHandler {
  return async (req, res, next) => {
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
      throw new ApiError(401, result.code, result.message, { messages: diagnosis(result.reason, req, ctx.rawBody, partner) });
    }
    const idempotencyKey = req.get('idempotency-key') ?? null;
    const use = await uses.recordSignatureUse({
      partnerId: partner.partnerId,
      canonical: result.canonical,
      idempotencyKey,
      expiresMs: (Number(req.get('x-timestamp')) + toleranceSeconds) * 1000,
      nowMs: clock.nowSeconds() * 1000,
    });
    if (use === 'REPLAYED') {
      const reason = idempotencyKey === null ? 'sent again without an Idempotency-Key' : 'sent again with another Idempotency-Key, or the first had none';
      ctx.verdicts.signature = { result: 'FAIL', canonical_string: result.canonical, reason: `REPLAYED: this signature was already used within its window, ${reason}` };
      throw replayed();
    }
    const retry = use === 'EXACT_RETRY' ? 'EXACT_RETRY: this signature was used before by the same request with the same Idempotency-Key' : null;
    ctx.verdicts.signature = { result: 'PASS', canonical_string: result.canonical, reason: retry };
    next();
  };
}
