/**
 * One webhook POST: the envelope bytes as stored, signed with the SDK's own signer (there is one
 * implementation of the protocol, sdk/webhooks.ts), within the 5 s budget. Only the status counts; the
 * receiver's body is not read.
 */
import { performance } from 'node:perf_hooks';
import { signWebhookPayload } from '@starship/sdk';
import { ATTEMPT_TIMEOUT_MS } from '@starship/contract/webhook-delivery';

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
}

export interface SendResult {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export const USER_AGENT = 'Starship-Webhooks/1 (sandbox)';

export async function sendWebhook(request: SendRequest): Promise<SendResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': request.userAgent ?? USER_AGENT,
        'X-Signature': signWebhookPayload({ secrets: request.secrets, timestamp: request.timestamp, body: request.body }),
        'X-Timestamp': String(request.timestamp),
        'X-Event-Id': request.eventId,
        'X-Event-Type': request.eventType,
      },
      body: request.body,
    });
    const latencyMs = Math.round(performance.now() - started);
    await response.body?.cancel().catch(() => {});
    return { statusCode: response.status, latencyMs, error: null };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    if (timeout.aborted) return { statusCode: null, latencyMs, error: `Timed out after ${ATTEMPT_TIMEOUT_MS / 1000} s` };
    if (request.signal?.aborted) throw error;
    return { statusCode: null, latencyMs, error: describe(error) };
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
