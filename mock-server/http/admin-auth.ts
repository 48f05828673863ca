/**
 * The control API's `Authorization: Bearer <admin token>`, sent once and compared in constant time; 401 in
 * the envelope. Operations the spec declares public (`security: []`) need none; every other path, unknown ones
 * included, does, so the control API's shape is not enumerable without the token.
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import { contextOf } from './context.ts';
import { headerCount } from './header-count.ts';
import { safeEqual } from './secrets.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function adminAuth(adminToken: string): RequestHandler {
  if (adminToken === '') throw new Error('the admin token must not be empty');
  return (req, res, next) => {
    if (contextOf(res).operation?.public) return next();
    // node:http keeps the first of two Authorization headers: two are refused rather than one picked.
    const token = headerCount(req, 'authorization') === 1 ? BEARER.exec(req.get('authorization') ?? '')?.[1] : undefined;
    if (token === undefined || !safeEqual(token, adminToken)) {
      throw new ApiError(401, 'E_UNAUTHORIZED', 'A valid `Authorization: Bearer <admin token>` header is required.', {
        headers: { 'WWW-Authenticate': 'Bearer realm="starship-sandbox"' },
      });
    }
    next();
  };
}
