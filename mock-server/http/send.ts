/**
 * Calls the spec-typed handler (generated StarshipHandlers / SandboxHandlers) for the operation the request
 * resolved to — the route was matched once, by the operation table built from the same spec as the generated
 * route table — with the validated request (path parameters as the validator coerced them, e.g.
 * `product_id` as an integer), and sends its result as status, headers and JSON body.
 */
import type { Request, RequestHandler, Response } from 'express';
import { contextOf } from './context.ts';

interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, unknown>;
}

type Handler<Context> = (request: never, context: Context) => Promise<HandlerResult>;

/** express-openapi-validator's per-request metadata: path parameters coerced to their schema types. */
function pathParams(req: Request): Record<string, unknown> {
  const openapi = (req as Request & { openapi?: { pathParams?: Record<string, unknown> } }).openapi;
  return openapi?.pathParams ?? req.params;
}

export function send(res: Response, result: HandlerResult): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (value !== undefined) res.set(name, String(value));
  }
  res.status(result.status);
  if (result.body === undefined) res.end();
  else res.json(result.body);
}

export function dispatch<Id extends string, Context>(
  handlers: Record<Id, Handler<Context>>,
  contextFor: (req: Request, res: Response) => Context,
): RequestHandler {
  const byId = new Map(Object.entries(handlers) as [string, (request: unknown, context: Context) => Promise<HandlerResult>][]);
  return async (req, res) => {
    const operationId = contextOf(res).operation?.operationId;
    const handler = operationId === undefined ? undefined : byId.get(operationId);
    if (!handler) throw new Error(`no handler for operation ${String(operationId)}`);
    const request = { path: pathParams(req), query: req.query, headers: req.headers, body: req.body };
    send(res, await handler(request, contextFor(req, res)));
  };
}
