/**
 * Holds each partner request apart from a reset of the sandbox (engine/reset-gate.ts) from before its
 * credentials are checked until its response is over, so a reset never lands between the check and the
 * write the request makes.
 */
import type { RequestHandler } from 'express';
import type { Engine } from '../engine.ts';

export function resetGate(engine: Pick<Engine, 'enterPartnerRequest'>): RequestHandler {
  return async (_req, res, next) => {
    const leave = await engine.enterPartnerRequest();
    res.once('close', leave);
    next();
  };
}
