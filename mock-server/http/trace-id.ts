/**
 * First in every pipeline: creates the request context and the trace id. A caller's own X-Trace-ID is kept
 * when it is well-formed (so a partner can correlate with their logs); otherwise a fresh 32-hex id is used.
 * The header is set before anything else runs, so every response carries it, errors included.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import { initialVerdicts } from './context.ts';

const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const EMPTY = Buffer.alloc(0);

export function traceId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-trace-id');
    const id = incoming !== undefined && WELL_FORMED.test(incoming) ? incoming : randomUUID().replace(/-/g, '');
    res.locals.starship = { traceId: id, startedAt: performance.now(), rawBody: EMPTY, verdicts: initialVerdicts() };
    res.set('X-Trace-ID', id);
    next();
  };
}
