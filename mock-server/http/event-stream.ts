/**
 * testHelperStreamEvents: the partner's events as Server-Sent Events (`starship listen` reads them). Each
 * message is `id: <sequence>`, `event: <type>`, `data: <envelope>`; the stream starts after `Last-Event-ID`,
 * else `after`, else the partner's latest event, and sends the events after it in sequence order as they
 * commit, so a client reconnecting with the last id it got misses nothing and gets nothing twice.
 *
 * New events are noticed at once when this process wrote them (the outbox signal) and within POLL_MS when
 * another instance sharing the database did. While the stream is open it renews the partner's stream lease
 * (the outbox keeps every event of a partner with an open stream) for LEASE_MS ahead, so events that happen
 * while a client is reconnecting are kept for it. `: keep-alive` comments keep idle proxies from cutting it.
 * close() ends every open stream (server shutdown), so a stream never holds the shutdown up.
 */
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Engine } from '../engine.ts';
import { validationFailure } from './api-errors.ts';
import { contextOf } from './context.ts';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
export const LEASE_MS = 120_000;
const RENEW_MS = 30_000;
const BATCH = 200;
/** The client's reconnection delay, sent once (EventSource's `retry:`). */
const RETRY_MS = 1_000;

export class EventStreams {
  readonly #open = new Set<Response>();

  close(): void {
    for (const res of this.#open) res.end();
    this.#open.clear();
  }

  track(res: Response): () => void {
    this.#open.add(res);
    return () => this.#open.delete(res);
  }
}

function cursorOf(lastEventId: string | undefined, after: unknown): number | undefined {
  if (lastEventId !== undefined && /^[0-9]{1,18}$/.test(lastEventId)) return Number(lastEventId);
  return after === undefined ? undefined : Number(after);
}

export function eventStream(engine: Engine, streams: EventStreams, knownTypes: readonly string[], logger: Logger): RequestHandler {
  return async (req, res, next) => {
    const ctx = contextOf(res);
    if (ctx.operation?.operationId !== 'testHelperStreamEvents') return next();
    const partnerId = ctx.partner!.partnerId;
    const types = typeof req.query.events === 'string' ? req.query.events.split(',') : undefined;
    const unknown = (types ?? []).filter((type) => !knownTypes.includes(type));
    if (unknown.length) throw validationFailure(`Unknown event type ${unknown.join(', ')}; the event types are ${knownTypes.join(', ')}.`);

    // The lease first: from here on every event of the partner is kept, so the cursor below misses none.
    await engine.holdEventStream(partnerId, Date.now() + LEASE_MS);
    let cursor = cursorOf(req.get('last-event-id'), req.query.after) ?? (await engine.latestEventSeq(partnerId));

    res.status(200);
    res.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    // The starting position as the last event id (an `id:` without data dispatches nothing): a client that
    // drops before its first event resumes from here.
    res.write(`retry: ${RETRY_MS}\n: the events of ${partnerId} after ${cursor}\nid: ${cursor}\n\n`);

    let closed = false;
    let reading: Promise<void> | undefined;
    let again = false;
    const send = async () => {
      for (;;) {
        const events = await engine.eventsAfter(partnerId, cursor, BATCH, types);
        if (closed) return;
        for (const event of events) res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${event.payload}\n\n`);
        // The cursor moves over filtered-out events too: the last one read stands for them.
        if (events.length > 0) cursor = events.at(-1)!.seq;
        if (events.length < BATCH) return;
      }
    };
    // One read at a time; a wake during a read asks for one more after it.
    const wake = () => {
      if (closed) return;
      if (reading) {
        again = true;
        return;
      }
      reading = send()
        .catch((error: unknown) => {
          if (closed) return;
          logger.error({ err: error, traceId: ctx.traceId, partnerId }, 'event stream read failed');
          finish();
        })
        .finally(() => {
          reading = undefined;
          if (again) {
            again = false;
            wake();
          }
        });
    };
    const unsubscribe = engine.onEvents(wake);
    const untrack = streams.track(res);
    const poll = setInterval(wake, POLL_MS);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const renew = setInterval(() => void engine.holdEventStream(partnerId, Date.now() + LEASE_MS).catch(() => {}), RENEW_MS);
    const finish = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      untrack();
      clearInterval(poll);
      clearInterval(heartbeat);
      clearInterval(renew);
      if (!res.writableEnded) res.end();
    };
    res.on('close', finish);
    wake();
  };
}
