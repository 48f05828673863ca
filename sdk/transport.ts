/**
 * The fetch every SDK request goes through: credentials, a fresh signature per attempt (a retried write must
 * not carry a stale X-Timestamp), one Idempotency-Key per logical POST reused on all its retries, and retries
 * of 429/5xx/network failures with capped exponential backoff that honours Retry-After.
 */
import { newIdempotencyKey } from './idempotency.ts';
import {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  isRetryableStatus,
  retryDelayMs,
} from './retry.ts';
import { isWriteMethod } from './signing.ts';
import { ReplaySafeSigner } from './signing-timestamps.ts';

export interface RetryOptions {
  /** Attempts in all, the first included. 1 disables retries. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest single wait, Retry-After included; a longer Retry-After ends the retries and returns the 429. */
  maxRetryAfterMs?: number;
}

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  method: string;
  url: string;
  status?: number;
  error?: unknown;
}

export interface TransportOptions extends RetryOptions {
  apiKey: string;
  apiSecret: string;
  fetch?: (request: Request) => Promise<Response>;
  /** Unix seconds used for X-Timestamp; override to correct a known clock skew. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (event: RetryEvent) => void;
  userAgent?: string;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createStarshipTransport(options: TransportOptions): (request: Request) => Promise<Response> {
  const {
    apiKey,
    apiSecret,
    fetch: send = (request: Request) => globalThis.fetch(request),
    now = () => Math.floor(Date.now() / 1000),
    sleep = abortableSleep,
    onRetry,
    maxAttempts = DEFAULT_MAX_ATTEMPTS,
    baseDelayMs = DEFAULT_BASE_DELAY_MS,
    maxDelayMs = DEFAULT_MAX_DELAY_MS,
    maxRetryAfterMs = 60_000,
    userAgent = 'starship-sdk-typescript/1',
  } = options;

  const signer = new ReplaySafeSigner();
  return async function starshipFetch(request: Request): Promise<Response> {
    const method = request.method.toUpperCase();
    // Read once: the signature covers these exact bytes and every retry resends them unchanged.
    const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await request.arrayBuffer());
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set('X-API-Key', apiKey);
    headers.set('X-API-Secret', apiSecret);
    if (!headers.has('User-Agent')) headers.set('User-Agent', userAgent);
    if (method === 'POST' && !headers.has('Idempotency-Key')) headers.set('Idempotency-Key', newIdempotencyKey());

    for (let attempt = 1; ; attempt++) {
      if (isWriteMethod(method)) {
        const signed = signer.sign({ secret: apiSecret, timestamp: now(), method, path: url.pathname + url.search, body, idempotencyKey: headers.get('Idempotency-Key') });
        headers.set('X-Timestamp', signed.headers['X-Timestamp']);
        headers.set('X-Signature', signed.headers['X-Signature']);
      }
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await send(new Request(url, { method, headers, body, signal: request.signal }));
      } catch (error) {
        if (request.signal.aborted) throw error;
        failure = error;
      }
      const retryable = response === undefined || isRetryableStatus(response.status);
      if (!retryable || attempt >= maxAttempts) {
        if (response) return response;
        throw failure;
      }
      const delayMs = retryDelayMs({
        attempt,
        retryAfterHeader: response?.headers.get('Retry-After'),
        baseMs: baseDelayMs,
        capMs: maxDelayMs,
      });
      if (response && delayMs > maxRetryAfterMs) return response;
      await response?.body?.cancel();
      onRetry?.({ attempt, delayMs, method, url: url.href, status: response?.status, error: failure });
      await sleep(delayMs, request.signal);
    }
  };
}
