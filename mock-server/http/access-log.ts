/**
 * One structured line per request on the operational log (pino, info): trace id, partner, operationId,
 * method, path without its query, status, error code and milliseconds, written once the response is sent or
 * the client went away. It never holds a header, a query string or a body, so no secret, signature, voucher
 * code or customer detail can reach it; the per-request verdicts stay in the engine's request log.
 */
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { contextOf } from './context.ts';

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info')) return next();
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      const ctx = contextOf(res);
      logger.info(
        {
          traceId: ctx.traceId,
          partnerId: ctx.partnerId ?? null,
          operationId: ctx.operation?.operationId ?? null,
          method: req.method,
          path: req.originalUrl.split('?', 1)[0],
          status: res.writableFinished ? res.statusCode : null,
          errorCode: ctx.errorCode ?? null,
          ms: Math.round((performance.now() - ctx.startedAt) * 10) / 10,
        },
        res.writableFinished ? 'request' : 'request aborted',
      );
    };
    res.once('finish', write);
    res.once('close', write);
    next();
  };
}
