/**
 * One webhook POST: the envelope bytes as stored, signed with the SDK's own signer (there is one
 * implementation of the protocol, sdk/webhooks.ts), within the 5 s budget. Only the status counts; the
 * receiver's body is not read, and a redirect is an answer like any other 3xx (not followed, so never to a
 * forbidden address). Sent with node:http(s) rather than fetch so that, hosted, the connection goes to the
 * address the URL guard checked (guarded-lookup.ts). Errors never quote the URL's credentials.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { signWebhookPayload } from '@starship/sdk';
import { ATTEMPT_TIMEOUT_MS } from '@starship/contract/webhook-delivery';
import { OPEN_POLICY, refuseWebhookUrl, type WebhookUrlPolicy } from '../domain/webhook-url-policy.ts';
import { guardedLookup } from './guarded-lookup.ts';

export interface SendRequest {
  url: string;
  body: string;
  eventId: string;
  eventType: string;
  secrets: readonly string[];
  /** Unix seconds signed into `t` (and sent as X-Timestamp). */
  timestamp: number;
  /** Aborts the attempt (shutdown). */
  signal?: AbortSignal;
  /** The sandbox's own by default (`starship listen` sends as itself). */
  userAgent?: string;
  /** Which addresses may be reached (hosted mode); open by default. */
  policy?: WebhookUrlPolicy;
}

export interface SendResult {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export const USER_AGENT = 'Starship-Webhooks/1 (sandbox)';

const lookups = new WeakMap<WebhookUrlPolicy, LookupFunction | undefined>();
function lookupFor(policy: WebhookUrlPolicy): LookupFunction | undefined {
  if (!lookups.has(policy)) lookups.set(policy, guardedLookup(policy));
  return lookups.get(policy);
}

function post(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal, lookup: LookupFunction | undefined): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, signal, ...(lookup ? { lookup } : {}) }, (res: IncomingMessage) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function sendWebhook(request: SendRequest): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const policy = request.policy ?? OPEN_POLICY;
  const refused = refuseWebhookUrl(request.url, policy);
  if (refused) return { statusCode: null, latencyMs: 0, error: refused.message };
  const timeout = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(request.body)),
    'User-Agent': request.userAgent ?? USER_AGENT,
    'X-Signature': signWebhookPayload({ secrets: request.secrets, timestamp: request.timestamp, body: request.body }),
    'X-Timestamp': String(request.timestamp),
    'X-Event-Id': request.eventId,
    'X-Event-Type': request.eventType,
  };
  try {
    const statusCode = await post(new URL(request.url), headers, request.body, signal, lookupFor(policy));
    return { statusCode, latencyMs: elapsed(), error: null };
  } catch (error) {
    if (timeout.aborted) return { statusCode: null, latencyMs: elapsed(), error: `Timed out after ${ATTEMPT_TIMEOUT_MS / 1000} s` };
    if (request.signal?.aborted) throw error;
    return { statusCode: null, latencyMs: elapsed(), error: describe(error) };
  }
}

function describe(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = code && message && !message.startsWith(code) ? `${code}: ${message}` : (message ?? code ?? String(error));
  // A URL with credentials is refused before sending, but a message must never be the way a password leaks.
  return text.replace(/\/\/[^/@\s]*@/g, '//');
}
