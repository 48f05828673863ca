/**
 * Calls the spec-typed handler (generated StarshipHandlers / SandboxHandlers) for the operation the request
 * resolved to — the route was matched once, by the operation table built from the same spec as the generated
 * route table — with the validated request (path and query parameters as the contract validator read them,
 * e.g. `product_id` as an integer), and sends its result as status, headers and JSON body.
 */
import type { Request, RequestHandler, Response } from 'express';
import { contextOf } from './context.ts';

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, unknown>;
}

/** Runs after the handler and before its result is sent (the Idempotency-Key completion). */
export type BeforeSend = (res: Response, result: HandlerResult) => Promise<void>;

type Handler<Context> = (request: never, context: Context) => Promise<HandlerResult>;

/** A result's headers as they are sent: undefined ones left out, the others as text. */
export function headersOf(result: HandlerResult): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) if (value !== undefined) headers[name] = String(value);
  return headers;
}

export function send(res: Response, result: HandlerResult): void {
  for (const [name, value] of Object.entries(headersOf(result))) res.set(name, value);
  res.status(result.status);
  if (result.body === undefined) res.end();
  else res.json(result.body);
}

export function dispatch<Id extends string, Context>(
  handlers: Record<Id, Handler<Context>>,
  contextFor: (req: Request, res: Response) => Context,
  beforeSend?: BeforeSend,
): RequestHandler {
  const byId = new Map(Object.entries(handlers) as [string, (request: unknown, context: Context) => Promise<HandlerResult>][]);
  return async (req, res) => {
    const { operation, parameters } = contextOf(res);
    const handler = operation === undefined ? undefined : byId.get(operation.operationId);
    if (!handler || !parameters) throw new Error(`no handler for operation ${String(operation?.operationId)}, or its request was not validated`);
    const request = { path: parameters.path, query: parameters.query, headers: req.headers, body: req.body };
    const result = await handler(request, contextFor(req, res));
    await beforeSend?.(res, result);
    send(res, result);
  };
}
