import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readServerSentEvents, type ServerSentEvent } from './server-sent-events.ts';

/** A body delivering `chunks` one by one, then staying open (as an event stream does) unless `end`. */
function body(chunks: string[], end = true): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(encoder.encode(chunks[next++]!));
      else if (end) controller.close();
      else return new Promise(() => {});
      return undefined;
    },
  });
}

async function all(stream: AsyncIterable<ServerSentEvent>): Promise<ServerSentEvent[]> {
  const messages: ServerSentEvent[] = [];
  for await (const message of stream) messages.push(message);
  return messages;
}

test('messages, multi-line data, comments, retry, ids carried over, lines split anywhere (CRLF too)', async () => {
  const ids: string[] = [];
  const messages = await all(
    readServerSentEvents(body(['retry: 1000\r', '\nid: 7\n\n: a comment\nid: 8\nevent: order.delivered\nda', 'ta: {"a":1}\ndata: {"b":2}\r\n\r\ndata: plain\n\n']), {
      onId: (id) => ids.push(id),
    }),
  );
  assert.deepEqual(messages, [
    { id: '8', event: 'order.delivered', data: '{"a":1}\n{"b":2}', retry: 1000 },
    { id: '8', event: 'message', data: 'plain', retry: 1000 },
  ]);
  assert.deepEqual(ids, ['7', '8'], 'an id without data is heard, though no message is dispatched');
});

test('an abort ends the iteration of a stream that stays open, without waiting for more data', async () => {
  const controller = new AbortController();
  const got: ServerSentEvent[] = [];
  const reading = (async () => {
    for await (const message of readServerSentEvents(body(['data: one\n\n'], false), { signal: controller.signal })) {
      got.push(message);
      controller.abort();
    }
  })();
  await Promise.race([reading, new Promise((_, reject) => setTimeout(() => reject(new Error('still reading 2 s after the abort')), 2_000))]);
  assert.deepEqual(got.map((m) => m.data), ['one']);
});
