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

/**
 * Yields each message of the stream; ends when the body ends. Comment lines (`: …`) are skipped. `onId` hears
 * every `id:` field, including one sent without data (which sets the last event id without a message).
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>, onId?: (id: string) => void): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let lastId: string | undefined;
  let retry: number | undefined;
  let event = '';
  let data: string[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone CR at the end may be the first half of a CRLF split across chunks.
      if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0) yield { id: lastId, event: event || 'message', data: data.join('\n'), retry };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id' && !value.includes('\0')) {
        lastId = value;
        onId?.(value);
      }
      else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
    }
  }
}
