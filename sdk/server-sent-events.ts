/**
 * A Server-Sent Events reader (the WHATWG "event stream" format) over a fetch Response body: the sandbox's
 * event stream (testHelperStreamEvents) speaks it. Written here rather than taken from a library because the
 * SDK's runtime dependencies are kept to openapi-fetch and ulid; the format is a few line rules.
 */

export interface ServerSentEvent {
  /** The last `id:` seen (it carries over to later messages without one, as the format says). */
  id: string | undefined;
  /** `event:`, or `message` when absent. */
  event: string;
  /** The `data:` lines joined with newlines. */
  data: string;
  /** `retry:` (ms) sent with or before this message, if any. */
  retry: number | undefined;
}

/** The line-by-line state of one stream. */
class Parser {
  lastId: string | undefined;
  retry: number | undefined;
  #event = '';
  #data: string[] = [];

  constructor(private readonly onId?: (id: string) => void) {}

  /** One line (without its end); a message when the line ends one. */
  line(line: string): ServerSentEvent | undefined {
    if (line === '') {
      const message = this.#data.length > 0 ? { id: this.lastId, event: this.#event || 'message', data: this.#data.join('\n'), retry: this.retry } : undefined;
      this.#event = '';
      this.#data = [];
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) {
      this.lastId = value;
      this.onId?.(value);
    } else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    return undefined;
  }
}

/**
 * Yields each message of the stream; ends when the body ends, or at once when `signal` aborts. Comment lines
 * (`: …`) are skipped. `onId` hears every `id:` field, including one sent without data (which sets the last
 * event id without a message).
 *
 * The abort cancels the body itself: a fetch's signal reaches its body only through the Request objects it was
 * copied into, which are weakly held, and after a garbage collection an abort may no longer reach a body that
 * waits for the next event (the connection would then stay open for good).
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  options: { onId?: (id: string) => void; signal?: AbortSignal } = {},
): AsyncGenerator<ServerSentEvent> {
  const { signal } = options;
  const parser = new Parser(options.onId);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const cancel = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', cancel, { once: true });
  if (signal?.aborted) cancel();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A lone CR at the end may be the first half of a CRLF split across chunks.
        if (buffer[end] === '\r' && end === buffer.length - 1) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        const message = parser.line(line);
        if (message) yield message;
      }
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
    reader.releaseLock();
  }
}
