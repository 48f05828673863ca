/**
 * The suite's HTTP client for the partner API. Every exchange is recorded (the SCHEMA, ERR, ENUM and COMPAT
 * checks audit them all at the end), writes are signed with the SDK's signer unless a check tampers with
 * the signature on purpose, and a 429 outside the RATE checks is waited out (on the sandbox clock when the
 * control API is there) so that the server's limits do not turn into false failures elsewhere.
 */
import { randomUUID } from 'node:crypto';
import { ReplaySafeSigner, signRequest } from '@starship/sdk';
import { hmacSha256Hex } from '@starship/sdk';
import { starshipOperations, type StarshipOperationId } from '@starship/spec/starship-operations';

export interface Exchange {
  /** The check that made the request. */
  checkId: string;
  operationId?: StarshipOperationId;
  method: string;
  /** Path and query as sent, including the base path. */
  path: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text; undefined when empty. */
  body: unknown;
  text: string;
  /**
   * The request is outside what the spec describes (an unknown route, a body that is not JSON). The audits
   * skip these: what a server answers them is checked by the check that sent them.
   */
  offSpec: boolean;
}

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

/** How a check bends the signature of a write; anything not given is computed correctly. */
export interface SignatureTamper {
  /** X-Timestamp sent (and signed, unless `signedTimestamp` differs). */
  timestamp?: number;
  /** The timestamp the HMAC is computed over and put in t=. */
  signedTimestamp?: number;
  /** t= value when it should differ from X-Timestamp. */
  t?: string;
  signedMethod?: string;
  signedPath?: string;
  signedBody?: string;
  secret?: string;
  /** Replaces the v1 hex entirely. */
  v1?: string;
}

export interface CallOptions {
  pathParams?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Header names to leave out (e.g. X-API-Key, X-Signature). */
  omit?: string[];
  credentials?: Credentials;
  /** Sign writes (default) or send them unsigned. */
  sign?: boolean;
  tamper?: SignatureTamper;
  /** Idempotency-Key for the request; `createOrder` gets a fresh one unless null is given. */
  idempotencyKey?: string | null;
  /** Leave 429s to the caller (the RATE checks). */
  acceptRateLimit?: boolean;
  /** See Exchange.offSpec; requests to no operation are always off-spec. */
  offSpec?: boolean;
}

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ApiClientOptions {
  baseUrl: string;
  credentials: Credentials;
  /** Unix seconds to sign with (real time). */
  now: () => number;
  /** Lets time pass for a 429's Retry-After: the sandbox advances its clock, a real server is waited for. */
  waitOut: (seconds: number) => Promise<void>;
}

const MAX_RATE_LIMIT_WAIT_SECONDS = 65;

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class ApiClient {
  private readonly signer = new ReplaySafeSigner();
  readonly exchanges: Exchange[] = [];
  /** Set by the runner before each check. */
  currentCheck = '';
  readonly basePath: string;

  constructor(private readonly options: ApiClientOptions) {
    this.basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, '');
  }

  get credentials(): Credentials {
    return this.options.credentials;
  }

  now(): number {
    return this.options.now();
  }

  /** Calls a documented operation by operationId. */
  call<T = any>(operationId: StarshipOperationId, options: CallOptions = {}): Promise<Reply<T>> {
    const operation = starshipOperations[operationId];
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = options.pathParams?.[name];
      if (value === undefined) throw new Error(`${operationId} needs path parameter ${name}`);
      return encodeURIComponent(String(value));
    });
    const idempotencyKey = options.idempotencyKey === undefined && operationId === 'createOrder' ? `conf-${randomUUID()}` : options.idempotencyKey;
    return this.send<T>(operation.method.toUpperCase(), path, { ...options, idempotencyKey }, operationId);
  }

  /** Sends to a path relative to the base URL that may be no operation at all (unknown routes). */
  async send<T = any>(method: string, relativePath: string, options: CallOptions = {}, operationId?: StarshipOperationId): Promise<Reply<T>> {
    // encodeURIComponent, not URLSearchParams: a space must travel as %20 (the seeds' `category=Gift%20Cards`), not `+`.
    const query = Object.entries(options.query ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
      .join('&');
    const url = new URL(this.options.baseUrl.replace(/\/+$/, '') + relativePath + (query ? `?${query}` : ''));
    const pathWithQuery = url.pathname + url.search;
    const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const credentials = options.credentials ?? this.options.credentials;

    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { 'X-API-Key': credentials.apiKey, 'X-API-Secret': credentials.apiSecret, Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
      if (method !== 'GET' && method !== 'HEAD' && options.sign !== false) {
        const key = options.headers?.['Idempotency-Key'] ?? options.idempotencyKey ?? null;
        Object.assign(headers, this.signature(method, pathWithQuery, body ?? '', credentials.apiSecret, options.tamper ?? {}, key));
      }
      Object.assign(headers, options.headers);
      for (const name of options.omit ?? []) delete headers[name];

      const response = await fetch(url, { method, headers, body }).catch((error: Error) => {
        throw new Error(`${method} ${pathWithQuery}: ${(error.cause as Error | undefined)?.message ?? error.message}`);
      });
      const text = await response.text();
      const reply: Reply<T> = { status: response.status, headers: response.headers, body: parse(text) as T, text };
      this.exchanges.push({
        checkId: this.currentCheck,
        ...(operationId ? { operationId } : {}),
        method,
        path: pathWithQuery,
        requestHeaders: headers,
        ...(body === undefined ? {} : { requestBody: body }),
        status: reply.status,
        headers: reply.headers,
        body: reply.body,
        text,
        offSpec: options.offSpec === true || operationId === undefined,
      });
      const retryAfter = Number(response.headers.get('retry-after'));
      if (reply.status !== 429 || options.acceptRateLimit || attempt >= 3 || !Number.isFinite(retryAfter) || retryAfter > MAX_RATE_LIMIT_WAIT_SECONDS) {
        return reply;
      }
      await this.options.waitOut(Math.max(1, retryAfter));
    }
  }

  private signature(method: string, pathWithQuery: string, body: string, secret: string, tamper: SignatureTamper, idempotencyKey: string | null): Record<string, string> {
    // Untampered writes are signed as a careful client signs them: never one signature for two requests.
    if (Object.keys(tamper).length === 0) {
      return this.signer.sign({ secret, timestamp: this.options.now(), method, path: pathWithQuery, body, idempotencyKey }).headers;
    }
    const timestamp = tamper.timestamp ?? this.options.now();
    const signedTimestamp = tamper.signedTimestamp ?? timestamp;
    const signed = signRequest({
      secret: tamper.secret ?? secret,
      timestamp: signedTimestamp,
      method: tamper.signedMethod ?? method,
      path: tamper.signedPath ?? pathWithQuery,
      body: tamper.signedBody ?? body,
    });
    const v1 = tamper.v1 ?? signed.signature;
    return { 'X-Timestamp': String(timestamp), 'X-Signature': `t=${tamper.t ?? signedTimestamp},v1=${v1}` };
  }
}

/** A v1 that is well-formed but signs nothing the server could compute. */
export const WRONG_V1 = hmacSha256Hex('not-the-secret', Buffer.from('conformance'));
