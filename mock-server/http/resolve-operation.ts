/**
 * Finds the operation a request addresses, for the checks that depend on it (rate-limit class, idempotency,
 * feature flags, faults, the request log). It rejects nothing: unknown routes are answered by the operation
 * gate after authentication, so the API's surface is not enumerable without credentials.
 */
import type { RequestHandler } from 'express';
import { isWriteMethod } from '@starship/sdk';
import { contextOf } from './context.ts';
import type { OperationTable } from './operations.ts';

export function resolveOperation(table: OperationTable): RequestHandler {
  return (req, res, next) => {
    const ctx = contextOf(res);
    const match = table.match(req.method, req.originalUrl.split('?', 1)[0] ?? '');
    if (match.kind === 'FOUND') {
      ctx.operation = match.operation;
      ctx.rawPathParams = match.pathParams;
    }
    if (!isWriteMethod(req.method)) ctx.verdicts.signature.result = 'NOT_APPLICABLE';
    next();
  };
}
