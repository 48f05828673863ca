/**
 * The sandbox's test helpers as a typed client, for partners testing their integration against a (hosted)
 * sandbox with their own sandbox key and secret: deliver, cancel or fail their PENDING orders, fill their
 * voucher pools, move their test clock, arm faults on their own traffic, read their request log with verdicts,
 * list and replay their webhook deliveries, trigger any event, stream their events, fund their wallets and run
 * a certification session. Same transport as the API client: every write is signed the same way (the path
 * signed is the sandbox's, `/sandbox/v1/test-helpers/…`), retries included. Types come from the control API's
 * spec (openapi/sandbox.yaml, tag "Test helpers").
 *
 * ```ts
 * const helpers = createStarshipTestHelpers({ baseUrl: 'https://api-playground.starshiprewards.com/api/v1', apiKey, apiSecret });
 * await helpers.clock.advance(2 * 86_400);
 * const { order_id } = await helpers.events.trigger('order.delivered');
 * for await (const event of helpers.events.stream({ signal })) console.log(event.type, event.sequence);
 * ```
 */
import createClient, { type Client } from 'openapi-fetch';
import type { operations, paths } from '@starship/spec/sandbox';
import type { ClientPaths, DataOf, ItemOf, JsonBodyOf, QueryOf } from './operation-types.ts';
import type { Page } from './pagination.ts';
import { serializeQuery } from './query.ts';
import { unwrap, unwrapPage } from './results.ts';
import { readServerSentEvents } from './server-sent-events.ts';
import { parseErrorEnvelope } from './errors.ts';
import { createStarshipTransport, type TransportOptions } from './transport.ts';

type HelperPath = Extract<keyof paths, `/test-helpers${string}`>;
export type StarshipTestHelperPaths = ClientPaths<Pick<paths, HelperPath>>;
type HelperId = Extract<keyof operations, `testHelper${string}`>;
type Body<Id extends HelperId> = JsonBodyOf<operations[Id]>;
type Query<Id extends HelperId> = QueryOf<operations[Id]>;
type Data<Id extends HelperId> = DataOf<operations[Id]>;
type Item<Id extends HelperId> = ItemOf<operations[Id]>;

export type WebhookEventName = operations['testHelperTriggerEvent']['requestBody']['content']['application/json']['event_type'];

export interface StarshipTestHelpersOptions extends Omit<TransportOptions, 'fetch'> {
  /** The partner API root including `/api/v1`; the sandbox's control API is found beside it (`…/sandbox/v1`). */
  baseUrl: string;
  /** The sandbox's control API root (`…/sandbox/v1`), when it is not beside the API root. */
  sandboxUrl?: string;
  fetch?: TransportOptions['fetch'];
}

/** One event from the stream: its envelope exactly as a webhook would deliver it, and parsed. */
export interface StreamedEvent {
  /** Your event sequence number (the stream's message id): pass it as `after` to resume after this event. */
  sequence: number;
  type: string;
  /** The envelope's bytes as sent (a webhook signature covers exactly these). */
  raw: string;
  envelope: { event_id: string; event_type: string; created_at: string; data: unknown } & Record<string, unknown>;
}

export interface StreamOptions {
  /** Resume after this sequence number (0: every event kept); by default only events from now on. */
  after?: number;
  /** Only these event types. */
  events?: readonly string[];
  signal?: AbortSignal;
  /** Called when the stream drops, before reconnecting (with Last-Event-ID, so nothing is lost or repeated). */
  onDisconnect?: (info: { error: unknown; after: number | undefined; retryInMs: number }) => void;
  /** Called each time the stream is (re)connected and the sandbox is keeping every event for it. */
  onConnect?: (info: { after: number | undefined }) => void;
}

const LONGEST_RECONNECT_MS = 10_000;

/** `…/api/v1` → `…/sandbox/v1`, the sandbox's control API beside the partner API. */
export function sandboxUrlOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/api/v1')) {
    throw new TypeError(`baseUrl must be the API root ending in /api/v1 (got ${baseUrl}); pass sandboxUrl for a sandbox elsewhere`);
  }
  url.pathname = `${path.slice(0, -'/api/v1'.length)}/sandbox/v1`;
  url.search = '';
  return url.toString().replace(/\/+$/, '');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

export function createStarshipTestHelpers(options: StarshipTestHelpersOptions) {
  const transport = createStarshipTransport(options);
  const root = (options.sandboxUrl ?? sandboxUrlOf(options.baseUrl)).replace(/\/+$/, '');
  const client: Client<StarshipTestHelperPaths> = createClient<StarshipTestHelperPaths>({
    baseUrl: root,
    fetch: transport,
    querySerializer: (query) => serializeQuery(query as Record<string, unknown>),
  });
  const order = { params: (orderId: string) => ({ path: { order_id: orderId } }) };

  /**
   * One connection: yields its events and returns when the server ends it (a thrown error is a failure).
   * `onCursor` hears the position the server starts from (its first `id:`, before any event), so a stream
   * asked for "from now on" resumes from there if it drops before its first event.
   */
  async function* connect(
    after: number | undefined,
    streamOptions: StreamOptions,
    onOpen: () => void,
    onCursor: (sequence: number) => void,
  ): AsyncGenerator<StreamedEvent, { retryMs: number | undefined }> {
    const url = new URL(`${root}/test-helpers/events/stream`);
    if (streamOptions.events?.length) url.searchParams.set('events', streamOptions.events.join(','));
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (after !== undefined) headers['Last-Event-ID'] = String(after);
    const response = await transport(new Request(url, { headers, ...(streamOptions.signal ? { signal: streamOptions.signal } : {}) }));
    if (!response.ok || !response.body) throw parseErrorEnvelope(response.status, await response.text(), response.headers);
    onOpen();
    let retryMs: number | undefined;
    const reading = readServerSentEvents(response.body, {
      onId: (id) => onCursor(Number(id)),
      ...(streamOptions.signal ? { signal: streamOptions.signal } : {}),
    });
    for await (const message of reading) {
      retryMs = message.retry;
      if (message.id === undefined) continue;
      yield { sequence: Number(message.id), type: message.event, raw: message.data, envelope: JSON.parse(message.data) as StreamedEvent['envelope'] };
    }
    return { retryMs };
  }

  const events = {
    /** testHelperTriggerEvent: the sandbox creates what emits `eventType` and reports the events it emitted. */
    trigger: async (eventType: WebhookEventName): Promise<Data<'testHelperTriggerEvent'>> =>
      unwrap(await client.POST('/test-helpers/events/trigger', { body: { event_type: eventType } })),
    /**
     * Your events as they happen (testHelperStreamEvents), for as long as you iterate or until `signal` aborts.
     * A dropped connection is reopened with the last sequence number received, so no event is missed or
     * repeated; an error answer (bad credentials, a bad filter) ends the iteration with a StarshipApiError.
     */
    async *stream(streamOptions: StreamOptions = {}): AsyncGenerator<StreamedEvent> {
      let after = streamOptions.after;
      let failures = 0;
      while (!streamOptions.signal?.aborted) {
        let retryMs: number | undefined;
        let error: unknown;
        try {
          const connection = connect(
            after,
            streamOptions,
            () => {
              failures = 0;
              streamOptions.onConnect?.({ after });
            },
            (sequence) => {
              after ??= sequence;
            },
          );
          for (;;) {
            const next = await connection.next();
            if (next.done) {
              retryMs = next.value.retryMs;
              break;
            }
            if (after !== undefined && next.value.sequence <= after) continue;
            after = next.value.sequence;
            yield next.value;
          }
          if (streamOptions.signal?.aborted) return;
          error = new Error('the sandbox ended the stream');
        } catch (thrown) {
          if (streamOptions.signal?.aborted) return;
          // An answer in the error envelope is final (bad credentials, an unknown event type): not retried.
          if ((thrown as { status?: unknown }).status !== undefined && (thrown as { status: number }).status < 500) throw thrown;
          error = thrown;
        }
        failures += 1;
        const waitMs = Math.min(LONGEST_RECONNECT_MS, (retryMs ?? 500) * 2 ** Math.min(failures - 1, 5));
        streamOptions.onDisconnect?.({ error, after, retryInMs: waitMs });
        await sleep(waitMs, streamOptions.signal);
      }
    },
  };

  return {
    /** openapi-fetch over the test-helper paths, typed from the spec, through the signing transport. */
    client,
    orders: {
      deliver: async (orderId: string, body: Body<'testHelperDeliverOrder'> = {}): Promise<Data<'testHelperDeliverOrder'>> =>
        unwrap(await client.POST('/test-helpers/orders/{order_id}/deliver', { params: order.params(orderId), body })),
      cancel: async (orderId: string, body: Body<'testHelperCancelOrder'> = {}): Promise<Data<'testHelperCancelOrder'>> =>
        unwrap(await client.POST('/test-helpers/orders/{order_id}/cancel', { params: order.params(orderId), body })),
      fail: async (orderId: string, body: Body<'testHelperFailOrder'> = {}): Promise<Data<'testHelperFailOrder'>> =>
        unwrap(await client.POST('/test-helpers/orders/{order_id}/fail', { params: order.params(orderId), body })),
    },
    inventory: {
      pump: async (body: Body<'testHelperPumpInventory'>): Promise<Data<'testHelperPumpInventory'>> =>
        unwrap(await client.POST('/test-helpers/inventory/pump', { body })),
    },
    clock: {
      get: async (): Promise<Data<'testHelperGetClock'>> => unwrap(await client.GET('/test-helpers/clock')),
      advance: async (seconds: number): Promise<Data<'testHelperAdvanceClock'>> =>
        unwrap(await client.POST('/test-helpers/clock/advance', { body: { seconds } })),
    },
    faults: {
      inject: async (body: Body<'testHelperInjectFault'>): Promise<Data<'testHelperInjectFault'>> =>
        unwrap(await client.POST('/test-helpers/faults', { body })),
    },
    requests: {
      /** Oldest first: your last `limit` requests, or the first `limit` after `after` (a request-log id). */
      list: async (query: Query<'testHelperListRequests'> = {}): Promise<{ items: Item<'testHelperListRequests'>[]; hasMore: boolean }> => {
        const result = await client.GET('/test-helpers/requests', { params: { query } });
        const items = await unwrap(result);
        return { items, hasMore: result.response.headers.get('X-Has-More') === 'true' };
      },
    },
    webhookDeliveries: {
      list: async (query?: Query<'testHelperListWebhookDeliveries'>): Promise<Page<Item<'testHelperListWebhookDeliveries'>>> =>
        unwrapPage(await client.GET('/test-helpers/webhook-deliveries', { params: { query } })),
      replay: async (deliveryId: string): Promise<Data<'testHelperReplayWebhookDelivery'>> =>
        unwrap(await client.POST('/test-helpers/webhook-deliveries/{delivery_id}/replay', { params: { path: { delivery_id: deliveryId } } })),
    },
    events,
    wallets: {
      fund: async (body: Body<'testHelperFundWallet'>): Promise<Data<'testHelperFundWallet'>> => unwrap(await client.POST('/test-helpers/wallets/fund', { body })),
    },
    certification: {
      createSession: async (body: Body<'testHelperCreateCertificationSession'> = {}): Promise<Data<'testHelperCreateCertificationSession'>> =>
        unwrap(await client.POST('/test-helpers/certification/sessions', { body })),
      grade: async (sessionId: string, body: Body<'testHelperGradeCertificationSession'>): Promise<Data<'testHelperGradeCertificationSession'>> =>
        unwrap(await client.POST('/test-helpers/certification/sessions/{session_id}/grade', { params: { path: { session_id: sessionId } }, body })),
    },
  };
}

export type StarshipTestHelpers = ReturnType<typeof createStarshipTestHelpers>;
