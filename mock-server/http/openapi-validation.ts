/**
 * express-openapi-validator on requests (always) and responses (when enabled) against one bundled spec,
 * compiled once at start-up. Its errors become the envelope: request mismatches 400 E_VALIDATION_FAILURE
 * with one `messages` entry per problem; a response that breaks the contract is a server bug, so it is
 * logged in full and answered 500 E_INTERNAL.
 *
 * Pitfalls: the validator only manages paths under the spec's server base path (it matches on
 * `req.originalUrl`, so it must see the `/api/v1` prefix, and an unmatched path outside it passes unchecked:
 * the operation gate has already answered those); it mutates the document it is given (hence a clone); its
 * own security check is off (the sandbox authenticates, before rate limiting); and it compiles schemas with
 * Ajv's strictTuples on, so a `prefixItems` tuple added to the spec needs `minItems` and `items: false`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import { ApiError } from '../api-error.ts';
import { internalError, notFound, validationFailure } from './api-errors.ts';
import { contextOf } from './context.ts';
import type { OpenApiDocument } from './spec.ts';
import { memoiseValidatorRouteLookup } from './validator-route-cache.ts';

interface ValidatorError {
  status?: number;
  message?: string;
  errors?: { path?: string; message?: string }[];
  headers?: Record<string, string>;
}

/** `/body/customer_info/email` → `customer_info.email`; `/query/limit` → `query.limit`. */
function describe(problem: { path?: string; message?: string }): string {
  const path = (problem.path ?? '')
    .replace(/^\.?\/?(?:body|response)\/?/, '')
    .replace(/^\//, '')
    .replace(/\//g, '.');
  const message = problem.message ?? 'is invalid';
  return path ? `${path} ${message}` : message;
}

function toApiError(error: unknown, req: Request, res: Response, logger: Logger): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as ValidatorError;
  switch (e.status) {
    case 400:
      return validationFailure('The request does not match the API contract.', (e.errors ?? []).map(describe));
    case 404:
      return notFound(`No operation at ${req.method} ${req.path}.`);
    case 405:
      return new ApiError(405, 'E_METHOD_NOT_ALLOWED', `${req.method} is not allowed here.`, e.headers ? { headers: e.headers } : {});
    case 413:
      return new ApiError(413, 'E_PAYLOAD_TOO_LARGE', 'The request body is too large.');
    case 415:
      return validationFailure('Content-Type must be application/json.', [e.message ?? 'unsupported media type']);
    default:
      logger.error(
        { traceId: contextOf(res).traceId, method: req.method, path: req.originalUrl, status: res.statusCode, problems: e.errors ?? e.message },
        'response does not match the spec',
      );
      return internalError();
  }
}

export interface OpenApiValidationOptions {
  doc: OpenApiDocument;
  validateResponses: boolean;
  logger: Logger;
}

export function openApiValidation({ doc, validateResponses, logger }: OpenApiValidationOptions): RequestHandler {
  memoiseValidatorRouteLookup();
  const stages = OpenApiValidator.middleware({
    apiSpec: structuredClone(doc) as unknown as Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'],
    validateApiSpec: false,
    // Every problem at once (the spec's example lists several): a partner fixes a request in one round trip.
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false, allErrors: true },
    validateResponses: validateResponses ? { removeAdditional: false, coerceTypes: false } : false,
    validateSecurity: false,
    validateFormats: true,
    fileUploader: false,
    ignoreUndocumented: false,
    $refParser: { mode: 'bundle' },
    ajvFormats: { mode: 'fast' },
  }) as unknown as ((req: Request, res: Response, next: NextFunction) => unknown)[];

  return (req, res, next) => {
    const run = (index: number): void => {
      const stage = stages[index];
      if (!stage) return next();
      stage(req, res, (error?: unknown) => {
        if (error) return next(toApiError(error, req, res, logger));
        run(index + 1);
      });
    };
    run(0);
  };
}
