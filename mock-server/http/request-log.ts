/**
 * Records every partner API call through engine.logRequest once its response has been sent: method, path as
 * received, operationId, status, error code, trace id, duration and the verdict of each check (auth, IP,
 * rate limit, signature with the canonical string the server computed, idempotency). Logging never delays
 * or fails the response; a failure to record is logged instead.
 */
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { monotonicFactory } from 'ulid';
import type { C, Engine } from '../engine.ts';
import { contextOf } from './context.ts';
import { normaliseIp } from './ip-allowlist.ts';

type Entry = C['RequestLogEntry'];
const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
/**
 * Log ids need to be unique and ordered, not secret: a monotonic ULID over Math.random avoids sixteen
 * crypto.getRandomValues calls per request.
 */
const ulid = monotonicFactory(Math.random);

export function requestLog(engine: Pick<Engine, 'logRequest' | 'clock'>, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const method = req.method.toUpperCase();
    if (!METHODS.has(method)) return next();
    const at = engine.clock.now().toISOString();
    res.once('finish', () => {
      const ctx = contextOf(res);
      const { verdicts } = ctx;
      if (verdicts.ip.client_ip === '') verdicts.ip.client_ip = normaliseIp(req.ip ?? req.socket.remoteAddress ?? '');
      const entry: Entry = {
        id: `req_${ulid()}`,
        at,
        partner_id: ctx.partnerId ?? null,
        method: method as Entry['method'],
        path: req.originalUrl,
        operation_id: ctx.operation?.operationId ?? null,
        status: res.statusCode,
        error_code: ctx.errorCode ?? null,
        trace_id: ctx.traceId,
        duration_ms: Math.max(0, Math.round(performance.now() - ctx.startedAt)),
        verdicts,
      };
      engine.logRequest(entry).catch((error: unknown) => {
        logger.error({ err: error, traceId: ctx.traceId }, 'could not record the request log entry');
      });
    });
    next();
  };
}
