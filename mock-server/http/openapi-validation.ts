/**
 * The contract validator (@starship/contract/validator) on every request, and (when enabled) on the
 * sandbox's own responses, against one bundled spec. Request mismatches are 400 E_VALIDATION_FAILURE with one
 * `messages` entry per problem (every problem at once: a partner fixes a request in one round trip); a body
 * whose Content-Type is not JSON is answered "Content-Type must be application/json."; handlers then read the
 * path and query parameters as the validator decoded and coerced them (RequestContext.parameters). A
 * response that breaks the contract is a server bug, so it is logged in full and answered 500 E_INTERNAL;
 * the sandbox reads its own enums closed (an undocumented value is its own bug, not a spec that lags) and
 * checks the formats of its own bodies by their shape (its dates come from Date#toISOString).
 *
 * Query strings are parsed by Express (node:querystring), so `+` is a space as in
 * application/x-www-form-urlencoded (the signature was checked over the query as sent); a literal plus is
 * `%2B`. Responses are checked by hooking `res.json` once the request has passed: earlier rejections and 5xx
 * are not checked; a valid body is then written directly (one write, without the rest of Express's
 * res.send), and a JSON text already found valid for the same operation and status is not walked again.
 * A stable view of the engine (engine/stable-views.ts: a catalog product or page, deep-frozen) is serialised
 * once, its bytes kept beside it, and its body checked once per operation and status (the validator remembers
 * it by identity); its headers are checked on every response, as every other response's are.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { OpenApiDocument } from '@starship/contract';
import { createContractValidator, problemText, type ContractProblem, type ContractValidator } from '@starship/contract/validator';
import { isStableView } from '../engine/stable-views.ts';
import { internalError, validationFailure } from './api-errors.ts';
import { contextOf } from './context.ts';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface OpenApiValidationOptions {
  doc: OpenApiDocument;
  validateResponses: boolean;
  logger: Logger;
}

function requestFailure(problems: ContractProblem[]) {
  const mediaType = problems.find((p) => p.in === 'content-type');
  const message = mediaType
    ? `Content-Type must be ${(mediaType.params.supported as string[]).join(' or ')}.`
    : 'The request does not match the API contract.';
  return validationFailure(message, problems.map(problemText));
}

/** The JSON bytes of stable views, serialised once each. */
const stableBytes = new WeakMap<object, Buffer>();

export function jsonBytesOf(view: object): Buffer {
  let bytes = stableBytes.get(view);
  if (!bytes) stableBytes.set(view, (bytes = Buffer.from(JSON.stringify(view))));
  return bytes;
}

export function openApiValidation({ doc, validateResponses, logger }: OpenApiValidationOptions): RequestHandler {
  const validator = createContractValidator(doc, { responseFormats: 'fast' });
  return (req, res, next) => {
    const ctx = contextOf(res);
    const operation = ctx.operation;
    // The operation gate has answered every request that addresses no operation.
    if (!operation) return next();
    const verdict = validator.validateRequest(operation.operationId, {
      ...(ctx.rawPathParams ? { pathParams: ctx.rawPathParams } : {}),
      query: req.query as Record<string, string | string[]>,
      headers: req.headers,
      ...(req.headers['content-type'] === undefined ? {} : { contentType: req.headers['content-type'] }),
      body: req.body,
    });
    if (verdict.problems.length > 0) return next(requestFailure(verdict.problems));
    ctx.parameters = { path: verdict.pathParams, query: verdict.query };
    if (validateResponses) validateJsonResponses(validator, operation.operationId, req, res, next, logger);
    next();
  };
}

/** Checks the response the handler sends (below 500) before writing it; a contract break goes to the error chain. */
function validateJsonResponses(validator: ContractValidator, operationId: string, req: Request, res: Response, next: NextFunction, logger: Logger): void {
  const json = res.json;
  res.json = (body: unknown) => {
    res.json = json;
    if (res.headersSent) return res;
    if (res.statusCode >= 500) return json.call(res, body);
    const stable = isStableView(body);
    const text = stable ? jsonBytesOf(body) : (JSON.stringify(body) as string | undefined);
    const contentType = res.getHeader('content-type');
    const problems = validator.validateResponse(operationId, {
      status: res.statusCode,
      headers: { get: (name) => res.getHeader(name) },
      contentType: typeof contentType === 'string' ? contentType : JSON_CONTENT_TYPE,
      body: text === undefined ? undefined : body,
      ...(stable ? { frozenBody: true } : text === undefined ? {} : { bodyText: text as string }),
    });
    if (problems.length > 0) {
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
function writeJson(res: Response, text: string | Buffer | undefined): void {
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  res.setHeader('Content-Length', text === undefined ? 0 : typeof text === 'string' ? Buffer.byteLength(text) : text.length);
  if (text === undefined || res.req.method === 'HEAD') res.end();
  else res.end(text);
}
