/**
 * API errors. Every 4xx/5xx carries `{ error: { name, code, message, messages? } }` (DESIGN "Errors");
 * anything else (the legacy `{"error":"bad_request"}` shape, a proxy's HTML page, an empty body) still
 * becomes a StarshipApiError, with code E_UNEXPECTED_RESPONSE, so callers have one thing to branch on.
 */

export const UNEXPECTED_RESPONSE_CODE = 'E_UNEXPECTED_RESPONSE';

export interface StarshipApiErrorInit {
  status: number;
  code: string;
  name: string;
  message: string;
  messages?: unknown[];
  traceId?: string;
  body: string;
}

export class StarshipApiError extends Error {
  readonly status: number;
  /** Stable: branch on this. Unknown codes may appear; fall back on `status` (4xx vs 5xx) for those. */
  readonly code: string;
  /** Per-field details when the envelope carries them (validation failures). */
  readonly messages?: unknown[];
  /** X-Trace-ID; quote it in support tickets. */
  readonly traceId?: string;
  /** The response body text exactly as received. */
  readonly body: string;

  constructor(init: StarshipApiErrorInit) {
    super(init.message);
    // The envelope's name (e.g. InsufficientInventory) is more useful in stack traces than the class name.
    this.name = init.name;
    this.status = init.status;
    this.code = init.code;
    if (init.messages !== undefined) this.messages = init.messages;
    if (init.traceId !== undefined) this.traceId = init.traceId;
    this.body = init.body;
  }
}

export function isStarshipApiError(value: unknown): value is StarshipApiError {
  return value instanceof StarshipApiError;
}

export type ResponseHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: ResponseHeaders | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeUnexpected(status: number, bodyText: string, json: unknown, contentType: string | undefined): string {
  if (isRecord(json) && typeof json.error === 'string') {
    const detail = typeof json.message === 'string' ? `: ${json.message}` : '';
    return `HTTP ${status} with a legacy error body "${json.error}"${detail}`;
  }
  if (bodyText.trim() === '') return `HTTP ${status} with an empty body`;
  return `HTTP ${status} with a body that is not the error envelope${contentType ? ` (${contentType})` : ''}`;
}

/** Never throws: whatever the body, the result is a StarshipApiError to throw or return. */
export function parseErrorEnvelope(status: number, bodyText: string, headers?: ResponseHeaders): StarshipApiError {
  const traceId = header(headers, 'X-Trace-ID');
  const json = parseJson(bodyText);
  const error = isRecord(json) ? json.error : undefined;
  if (isRecord(error) && typeof error.code === 'string' && error.code !== '') {
    return new StarshipApiError({
      status,
      code: error.code,
      name: typeof error.name === 'string' && error.name !== '' ? error.name : 'StarshipApiError',
      message: typeof error.message === 'string' ? error.message : `HTTP ${status} ${error.code}`,
      messages: Array.isArray(error.messages) ? error.messages : undefined,
      traceId,
      body: bodyText,
    });
  }
  return new StarshipApiError({
    status,
    code: UNEXPECTED_RESPONSE_CODE,
    name: 'UnexpectedResponse',
    message: describeUnexpected(status, bodyText, json, header(headers, 'Content-Type')),
    traceId,
    body: bodyText,
  });
}
