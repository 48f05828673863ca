/**
 * `starship listen --forward-to URL`: the partner's events streamed from a (remote, hosted) sandbox and POSTed
 * to a local URL as real webhook deliveries, so a receiver on a laptop can be tested without a public URL (as
 * `stripe listen --forward-to`). Each delivery is the sandbox's envelope byte for byte, signed like the sandbox's
 * own deliveries (`X-Signature: t=<now>,v1=…` over `t + "." + body`, X-Timestamp, X-Event-Id, X-Event-Type,
 * sent by the sandbox's own sender) with this session's webhook secret, printed at start: verify with the SDK's
 * verifyWebhook. The secret is derived from the API secret, so it stays the same from one run to the next.
 *
 * One line per event on stdout with the local answer. A receiver that cannot be reached (refused, timed out)
 * keeps the event pending: it is retried, with backoff, until the receiver answers, and later events wait
 * behind it, so they arrive in order. A dropped stream is reopened after the last event received (the SDK
 * resumes with Last-Event-ID), so nothing is lost or forwarded twice. Ctrl-C ends it.
 */
import { hmacSha256Hex, createStarshipTestHelpers, type StreamedEvent } from '@starship/sdk';
import { starshipWebhookEventTypes } from '@starship/spec/starship-operations';
import { sendWebhook } from '@starship/sandbox/webhook-dispatcher/send';
import { requireCredentials, type CredentialOptions } from './partner-credentials.ts';

export interface ListenOptions extends CredentialOptions {
  forwardTo?: string;
  events?: string;
  printSecret?: boolean;
  after?: string;
}

const USER_AGENT = 'starship-listen/1';
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

/** The session's webhook signing secret: stable for an API secret, and telling nothing about it. */
export function listenSecret(apiSecret: string): string {
  return `whsec_${hmacSha256Hex(apiSecret, Buffer.from('starship listen: webhook signing secret')).slice(0, 40)}`;
}

/** Event types as given to --events, checked against the spec's. */
export function eventTypesOf(list: string): string[] {
  const types = list.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = types.filter((t) => !(starshipWebhookEventTypes as readonly string[]).includes(t));
  if (types.length === 0 || unknown.length) {
    throw new Error(`unknown event type ${unknown.join(', ') || '(none given)'}; the event types are ${starshipWebhookEventTypes.join(', ')}`);
  }
  return types;
}

function forwardUrl(value: string | undefined): string {
  if (!value) throw new Error('--forward-to URL is required (where to POST each event, e.g. http://127.0.0.1:3000/webhooks)');
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new Error(`--forward-to must be an http(s) URL (got ${value})`);
  return value;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function listenCommand(options: ListenOptions, io: { signal?: AbortSignal } = {}): Promise<number> {
  const credentials = requireCredentials(options);
  const secret = listenSecret(credentials.apiSecret);
  if (options.printSecret) {
    console.log(secret);
    return 0;
  }
  const target = forwardUrl(options.forwardTo);
  const events = options.events ? eventTypesOf(options.events) : undefined;
  const after = options.after === undefined ? undefined : Number(options.after);
  if (after !== undefined && !(Number.isInteger(after) && after >= 0)) throw new Error(`--after must be an event sequence number (got ${options.after})`);

  const controller = new AbortController();
  const stop = () => controller.abort();
  io.signal?.addEventListener('abort', stop, { once: true });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const helpers = createStarshipTestHelpers({ ...credentials, maxAttempts: 1 });
  let connected = false;
  try {
    for await (const event of helpers.events.stream({
      ...(after === undefined ? {} : { after }),
      ...(events ? { events } : {}),
      signal: controller.signal,
      onConnect: ({ after: from }) => {
        if (!connected) {
          connected = true;
          console.log(`Ready. Forwarding your sandbox events${events ? ` (${events.join(', ')})` : ''} to ${target}`);
          console.log(`Webhook signing secret for this session: ${secret}`);
          console.log('(verify X-Signature with it, e.g. the SDK\'s verifyWebhook; Ctrl-C to stop)');
        } else {
          console.error(`${stamp()}  stream reopened, resuming after event #${from ?? 'the start'}`);
        }
      },
      onDisconnect: ({ error, after: last, retryInMs }) => {
        const reason = error instanceof Error ? error.message : String(error);
        console.error(`${stamp()}  stream dropped (${reason}); reconnecting in ${(retryInMs / 1000).toFixed(1)} s after event #${last ?? 'the start'}`);
      },
    })) {
      await forward(event, target, secret, controller.signal);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    io.signal?.removeEventListener('abort', stop);
  }
  return 0;
}

/** Delivers one event, retrying while the receiver cannot be reached; returns once it answered (or on stop). */
async function forward(event: StreamedEvent, url: string, secret: string, signal: AbortSignal): Promise<void> {
  const head = `${stamp()}  #${event.sequence}  ${event.type}  ${event.envelope.event_id}`;
  const givenUp = () => console.error(`event #${event.sequence} was not delivered; \`starship listen --after ${event.sequence - 1}\` sends it again`);
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) return givenUp();
    let result;
    try {
      result = await sendWebhook({
        url,
        body: event.raw,
        eventId: event.envelope.event_id,
        eventType: event.type,
        secrets: [secret],
        timestamp: Math.floor(Date.now() / 1000),
        userAgent: USER_AGENT,
        signal,
      });
    } catch (error) {
      if (signal.aborted) return givenUp();
      throw error;
    }
    if (result.statusCode !== null) {
      console.log(`${head}  → ${result.statusCode} (${result.latencyMs} ms)`);
      return;
    }
    const waitMs = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
    console.log(`${head}  → not delivered: ${result.error}; kept pending, retrying in ${(waitMs / 1000).toFixed(0)} s`);
    await sleep(waitMs, signal);
  }
}
