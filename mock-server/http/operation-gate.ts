/**
 * Whether the addressed operation is served: unknown route → 404 E_NOT_FOUND, known route with another
 * method → 405 E_METHOD_NOT_ALLOWED (with Allow), planned operation whose feature flag is off → 404
 * E_FEATURE_DISABLED. Runs after authentication so only partners learn the API's shape.
 */
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import type { Engine } from '../engine.ts';
import { notFound } from './api-errors.ts';
import { contextOf } from './context.ts';
import type { OperationTable } from './operations.ts';

export function operationGate(table: OperationTable, engine: Pick<Engine, 'requireOperationEnabled'>): RequestHandler {
  return async (req, res, next) => {
    const operation = contextOf(res).operation;
    if (!operation) {
      const match = table.match(req.method, req.originalUrl.split('?', 1)[0] ?? '');
      if (match.kind === 'METHOD_NOT_ALLOWED') {
        throw new ApiError(405, 'E_METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${match.allow.join(', ')}.`, {
          headers: { Allow: match.allow.join(', ') },
        });
      }
      throw notFound(`No operation at ${req.method} ${req.path}.`);
    }
    await engine.requireOperationEnabled(operation.operationId);
    next();
  };
}
