/**
 * The last error middleware: an ApiError becomes its status, headers and envelope; money beyond the
 * contract's range (wherever the arithmetic found it, the transaction already rolled back) is 422
 * E_AMOUNT_OUT_OF_RANGE; anything else is a bug, logged with its stack and answered 500 E_INTERNAL with
 * nothing of the error in the body.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../api-error.ts';
import { MoneyRangeError } from '../domain/money.ts';
import { amountOutOfRange, internalError } from './api-errors.ts';

export function errorEnvelope(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    const ctx = res.locals.starship;
    if (res.headersSent) {
      logger.error({ err: error, traceId: ctx?.traceId }, 'error after the response had started');
      return next(error);
    }
    let apiError: ApiError;
    if (error instanceof ApiError) {
      apiError = error;
    } else if (error instanceof MoneyRangeError) {
      apiError = amountOutOfRange(error.message);
    } else {
      logger.error({ err: error, traceId: ctx?.traceId, method: req.method, path: req.originalUrl }, 'unhandled error');
      apiError = internalError();
    }
    if (ctx) ctx.errorCode = apiError.code;
    for (const [name, value] of Object.entries(apiError.options.headers ?? {})) res.set(name, value);
    res.status(apiError.status).json(apiError.toEnvelope());
  };
}
