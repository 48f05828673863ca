/**
 * The receiving side in one line, for Express or plain `node:http`:
 * `app.post('/hooks/starship', starshipWebhooks({ secret, onEvent }))` or
 * `http.createServer(starshipWebhooks({ secret, onEvent }))`.
 *
 * The handler reads the raw body itself (or takes the Buffer `express.raw()` left in `req.body`), verifies it
 * with verifyWebhook, and answers:
 * - 401 `E_SIGNATURE_INVALID` for a forged delivery (no v1 matches any secret);
 * - 400 for a malformed signature header (`E_SIGNATURE_MALFORMED`), a stale or future timestamp
 *   (`E_TIMESTAMP_OUT_OF_WINDOW`) or a body that is not an event (`E_PAYLOAD_INVALID`);
 * - otherwise awaits `onEvent(event)` and answers 204; if onEvent throws, 500, so Starship retries it later.
 * Acknowledging only after onEvent keeps delivery at least once end to end; keep onEvent quick (record the
 * event, work later) since Starship waits 5 s, and de-duplicate on `event_id`: retries and replays repeat it.
 * Errors are answered in Starship's envelope `{ error: { name, code, message } }`.
 *
 * Its types are Node's own (`IncomingMessage`, `ServerResponse`), which Express's request and response
 * extend: a partner's project type-checks without `@types/express`, and an Express app still accepts the
 * handler as middleware.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyBytes } from './hmac.ts';
import { verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions } from './webhooks.ts';
import type { WebhookEvent } from './webhook-event.ts';

/** What the handler reads of a request: Node's request, and `body` when a framework parsed it already. */
export type WebhookRequest = IncomingMessage & { body?: unknown };

/** Express middleware, or a `node:http` request listener (without `next`, failures are answered 500). */
export type WebhookHandler<Req extends WebhookRequest = WebhookRequest> = (
  req: Req,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>;

export interface StarshipWebhooksOptions<Req extends WebhookRequest = WebhookRequest> {
  /** The endpoint's signing secret (`whsec_…`); during a rotation, both the new and the old one. */
  secret: string | readonly string[];
  /** Called once per verified delivery; Starship gets 2xx when it resolves. */
  onEvent: (event: WebhookEvent, req: Req) => void | Promise<void>;
  /** Seconds a timestamp may differ from `now` (default 300). */
  toleranceSeconds?: number;
  /** Unix seconds to judge the timestamp against (default: the system clock). */
  now?: () => number;
  /** Largest body accepted, in bytes (default 1 MiB). */
  limitBytes?: number;
  /** Called with each rejected delivery's error, e.g. to log it. */
  onRejected?: (error: WebhookVerificationError, req: Req) => void;
  /** Called when onEvent throws (the delivery is answered 500 and retried by Starship). */
  onError?: (error: unknown, event: WebhookEvent, req: Req) => void;
}

const STATUS: Record<WebhookVerificationError['code'], number> = {
  E_SIGNATURE_INVALID: 401,
  E_SIGNATURE_MALFORMED: 400,
  E_TIMESTAMP_OUT_OF_WINDOW: 400,
  E_PAYLOAD_INVALID: 400,
};

const DEFAULT_LIMIT_BYTES = 1024 * 1024;

export function starshipWebhooks<Req extends WebhookRequest = WebhookRequest>(options: StarshipWebhooksOptions<Req>): WebhookHandler<Req> {
  const limit = options.limitBytes ?? DEFAULT_LIMIT_BYTES;
  return async (req, res, next) => {
    // Express hands an unexpected failure to the app's error handler; plain node:http has none.
    const fail = (error: unknown) => {
      if (next) next(error);
      else sendError(res, 500, 'E_INTERNAL_ERROR', 'the webhook delivery could not be processed');
    };

    let raw: Buffer;
    try {
      const read = await rawBodyOf(req, limit);
      if (read === undefined) {
        sendError(res, 500, 'E_RAW_BODY_UNAVAILABLE', 'the request body was already parsed; mount starshipWebhooks before express.json() for this route');
        return;
      }
      raw = read;
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendError(res, 413, 'E_PAYLOAD_TOO_LARGE', `webhook body exceeds ${limit} bytes`);
        return;
      }
      fail(error);
      return;
    }

    let event: WebhookEvent;
    try {
      const verifyOptions: VerifyWebhookOptions = {
        ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
        ...(options.now ? { now: options.now() } : {}),
      };
      event = verifyWebhook(raw, headerValue(req.headers['x-signature']), options.secret, verifyOptions);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) {
        fail(error);
        return;
      }
      options.onRejected?.(error, req);
      sendError(res, STATUS[error.code], error.code, error.message);
      return;
    }

    try {
      await options.onEvent(event, req);
    } catch (error) {
      // Not acknowledged: Starship delivers it again.
      options.onError?.(error, event, req);
      sendError(res, 500, 'E_HANDLER_FAILED', 'the event handler failed; the delivery will be retried');
      return;
    }
    res.statusCode = 204;
    res.end();
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

class BodyTooLarge extends Error {}

/** The raw bytes: a Buffer left by express.raw(), or read from the stream. Undefined when a parser consumed them. */
async function rawBodyOf(req: WebhookRequest, limit: number): Promise<Buffer | undefined> {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (typeof req.body === 'string') return bodyBytes(req.body);
  if (req.readableEnded || (req.body !== undefined && req.body !== null && Object.keys(req.body as object).length > 0)) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) return;
  const name = code
    .replace(/^E_/, '')
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error: { name, code, message } }));
}
