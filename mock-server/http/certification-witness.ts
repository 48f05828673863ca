/**
 * Records the raw requests made with the API key of a certification session (engine/certification.ts): the
 * X-Timestamp, X-Signature and Idempotency-Key sent, the raw body of writes, and any call outside the
 * partner API (the control API, unknown paths). The request log keeps verdicts, not these. Mounted right
 * after the trace id so it sees every request; a request without a session key costs one map lookup.
 */
import type { RequestHandler } from 'express';
import { isWriteMethod } from '@starship/sdk';
import type { Engine } from '../engine.ts';
import { contextOf } from './context.ts';

export function certificationWitness(engine: Pick<Engine, 'certificationWitness' | 'clock'>, apiBasePath: string): RequestHandler {
  return (req, res, next) => {
    const apiKey = req.get('x-api-key');
    const record = apiKey === undefined ? undefined : engine.certificationWitness(apiKey);
    if (!record) return next();
    const at = engine.clock.now().toISOString();
    res.once('finish', () => {
      const ctx = contextOf(res);
      const path = req.originalUrl;
      const api = path === apiBasePath || path.startsWith(`${apiBasePath}/`) || path.startsWith(`${apiBasePath}?`);
      record({
        at,
        trace_id: ctx.traceId,
        method: req.method,
        path,
        host: req.get('host') ?? null,
        status: res.statusCode,
        api,
        timestamp_header: req.get('x-timestamp') ?? null,
        signature_header: req.get('x-signature') ?? null,
        idempotency_key: req.get('idempotency-key') ?? null,
        body: api && isWriteMethod(req.method) ? ctx.rawBody.toString('utf8') : null,
      });
    });
    next();
  };
}
