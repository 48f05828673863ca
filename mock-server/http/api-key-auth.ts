/**
 * Stateless partner authentication: X-API-Key names the partner, X-API-Secret must equal its secret
 * (constant-time), each sent once. Every failure is the same 401 E_UNAUTHORIZED to the caller; the request
 * log's verdict says which part failed.
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import type { Engine } from '../engine.ts';
import { contextOf } from './context.ts';
import { headerCount } from './header-count.ts';
import { safeEqual } from './secrets.ts';

const unauthorized = () => new ApiError(401, 'E_UNAUTHORIZED', 'Invalid API key or secret.');

export function apiKeyAuth(engine: Pick<Engine, 'findPartnerByApiKey'>): RequestHandler {
  return async (req, res, next) => {
    const ctx = contextOf(res);
    const fail = (reason: string) => {
      ctx.verdicts.auth = { result: 'FAIL', reason };
      throw unauthorized();
    };
    for (const name of ['X-API-Key', 'X-API-Secret']) {
      const count = headerCount(req, name);
      if (count > 1) return fail(`${name} header was sent ${count} times`);
    }
    const apiKey = req.get('x-api-key');
    const apiSecret = req.get('x-api-secret');
    if (!apiKey) return fail('X-API-Key header is missing');
    if (!apiSecret) return fail('X-API-Secret header is missing');
    const partner = await engine.findPartnerByApiKey(apiKey);
    if (!partner) return fail('X-API-Key is not known');
    ctx.partnerId = partner.partnerId;
    if (!safeEqual(apiSecret, partner.apiSecret)) return fail('X-API-Secret does not match the API key');
    ctx.verdicts.auth = { result: 'PASS', reason: null };
    ctx.partner = partner;
    next();
  };
}
