/**
 * express-openapi-validator on requests, and (when enabled) response-validator.ts on responses, against one
 * bundled spec. Request mismatches are 400 E_VALIDATION_FAILURE with one `messages` entry per problem; a
 * response that breaks the contract is a server bug, so it is logged in full and answered 500 E_INTERNAL.
 * Responses are checked by hooking `res.json` once the request has passed validation (as the library did):
 * earlier rejections and 5xx are not checked; a valid body is then written directly (one string write,
 * without the rest of Express's res.send).
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
import type { OpenApiDocument } from '@starship/contract';
import { JSON_TYPE } from './raw-body.ts';
import { ResponseValidator } from './response-validator.ts';
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
        'request validation failed unexpectedly',
      );
      return internalError();
  }
}

/**
 * The validator compiles (and keeps) its request and response validators per Content-Type string,
 * parameters included: `application/json; x=<random>` on every request made each one compile the route's
 * schemas again (~170 ms) and grow memory without bound. The body has been read and parsed by then
 * (raw-body.ts), so only whether it is JSON still matters: a JSON type becomes `application/json`, any
 * other type is rejected here on an operation that takes a body and dropped on one that does not.
 */
function canonicaliseContentType(req: Request, takesBody: boolean): ApiError | undefined {
  const type = req.headers['content-type'];
  if (type === undefined) return undefined;
  if (JSON_TYPE.test(type)) {
    req.headers['content-type'] = 'application/json';
    return undefined;
  }
  if (takesBody) return validationFailure('Content-Type must be application/json.', [`unsupported media type ${type.split(';', 1)[0]!.trim()}`]);
  delete req.headers['content-type'];
  return undefined;
}

/**
 * A `+` in a query string is a space in application/x-www-form-urlencoded, which is how URLSearchParams
 * and most HTTP clients encode `category=Gift Cards`. The validator would reject the `+` as an unencoded
 * reserved character, so it is rewritten as `%20` (after the signature was checked over the query as sent);
 * a literal plus is `%2B`.
 */
function decodeFormSpaces(req: Request): void {
  const query = req.originalUrl.indexOf('?');
  if (query < 0 || !req.originalUrl.includes('+', query)) return;
  const spaced = (url: string) => {
    const at = url.indexOf('?');
    return at < 0 ? url : url.slice(0, at) + url.slice(at).replaceAll('+', '%20');
  };
  req.originalUrl = spaced(req.originalUrl);
  req.url = spaced(req.url);
}

export interface OpenApiValidationOptions {
  doc: OpenApiDocument;
  validateResponses: boolean;
  logger: Logger;
}

export function openApiValidation({ doc, validateResponses, logger }: OpenApiValidationOptions): RequestHandler {
  memoiseValidatorRouteLookup();
  const allStages = OpenApiValidator.middleware({
    apiSpec: structuredClone(doc) as unknown as Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'],
    validateApiSpec: false,
    // Every problem at once (the spec's example lists several): a partner fixes a request in one round trip.
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false, allErrors: true },
    validateResponses: false,
    validateSecurity: false,
    validateFormats: true,
    fileUploader: false,
    ignoreUndocumented: false,
    $refParser: { mode: 'bundle' },
    ajvFormats: { mode: 'fast' },
  }) as unknown as ((req: Request, res: Response, next: NextFunction) => unknown)[];
  // Each stage waits on the loaded spec (a promise turn); two of them have nothing to do here: path-param
  // coercion hooks into Express route params (the sandbox has no Express routes; handlers read
  // req.openapi.pathParams) and the security check is off.
  const stages = allStages.filter((stage) => stage.name !== 'pathParamsMiddleware' && stage.name !== 'securityMiddleware');
  const responses = validateResponses ? new ResponseValidator(doc) : undefined;

  return (req, res, next) => {
    const unsupported = canonicaliseContentType(req, contextOf(res).operation?.bodySchema !== undefined);
    if (unsupported) return next(unsupported);
    decodeFormSpaces(req);
    const run = (index: number): void => {
      const stage = stages[index];
      if (!stage) {
        if (responses) validateJsonResponses(responses, req, res, next, logger);
        return next();
      }
      stage(req, res, (error?: unknown) => {
        if (error) return next(toApiError(error, req, res, logger));
        run(index + 1);
      });
    };
    run(0);
  };
}

/** Checks the body the handler sends (below 500) before writing it; a contract break goes to the error chain. */
function validateJsonResponses(validator: ResponseValidator, req: Request, res: Response, next: NextFunction, logger: Logger): void {
  const operation = contextOf(res).operation;
  if (!operation) return;
  const json = res.json;
  res.json = (body: unknown) => {
    res.json = json;
    if (res.headersSent) return res;
    if (res.statusCode >= 500) return json.call(res, body);
    const text = JSON.stringify(body) as string | undefined;
    const problems = validator.problemsOfSent(operation.operationId, res.statusCode, body, text);
    if (problems.length) {
      logger.error(
        { traceId: contextOf(res).traceId, method: req.method, path: req.originalUrl, status: res.statusCode, problems },
        'response does not match the spec',
      );
      next(internalError());
      return res;
    }
    writeJson(res, text);
    return res;
  };
}

/** What res.json would send for a validated body (`text`, its JSON), in one write. */
function writeJson(res: Response, text: string | undefined): void {
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', text === undefined ? 0 : Buffer.byteLength(text));
  if (text === undefined || res.req.method === 'HEAD') res.end();
  else res.end(text);
}
