/**
 * The typed Starship client. `client` is openapi-fetch over the generated `paths` (every operation, typed
 * request and `{ data, error }` result); `v1` is the seed's `starship.v1.products.list()` facade, which
 * returns data and throws StarshipApiError, so callers branch on `error.code`. Both go through one transport
 * that signs, adds Idempotency-Keys and retries.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { operations, paths } from '@starship/spec/starship';
import type { StarshipOperationErrorCode, StarshipOperationId } from '@starship/spec/starship-operations';
import type { StarshipApiError } from './errors.ts';
import type { ClientPaths, DataOf, ItemOf, JsonBodyOf, QueryOf } from './operation-types.ts';
import type { Page } from './pagination.ts';
import { serializeQuery } from './query.ts';
import { unwrap, unwrapPage } from './results.ts';
import { createStarshipTransport, type TransportOptions } from './transport.ts';

export type StarshipClientPaths = ClientPaths<paths>;

export interface StarshipClientOptions extends Omit<TransportOptions, 'fetch'> {
  /** The API root including `/api/v1`, e.g. `http://127.0.0.1:4010/api/v1`. */
  baseUrl: string;
  fetch?: TransportOptions['fetch'];
}

type JsonBody<Id extends keyof operations> = JsonBodyOf<operations[Id]>;
type Query<Id extends keyof operations> = QueryOf<operations[Id]>;
type Data<Id extends keyof operations> = DataOf<operations[Id]>;
type Item<Id extends keyof operations> = ItemOf<operations[Id]>;

/** A StarshipApiError whose code is one this operation documents (or a future, unknown one). */
export type OperationError<Id extends StarshipOperationId> = StarshipApiError & {
  code: StarshipOperationErrorCode<Id> | (string & {});
};

export interface WriteOptions {
  /** Reuse across process restarts by passing your own; by default one is generated per call. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Walks every page of a list operation, one request per page. */
async function* eachItem<T>(fetchPage: (page: number) => Promise<Page<T>>): AsyncGenerator<T> {
  for (let page = 1; ; page++) {
    const { items, pagination } = await fetchPage(page);
    yield* items;
    if (!pagination.has_more || items.length === 0) return;
  }
}

function writeHeaders(options: WriteOptions | undefined) {
  return options?.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : undefined;
}

export function createStarshipClient(options: StarshipClientOptions) {
  const transport = createStarshipTransport(options);
  const client: Client<StarshipClientPaths> = createClient<StarshipClientPaths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: transport,
    querySerializer: (query) => serializeQuery(query as Record<string, unknown>),
  });

  const products = {
    list: async (query?: Query<'listProducts'>): Promise<Page<Item<'listProducts'>>> =>
      unwrapPage(await client.GET('/products', { params: { query } })),
    listAll: (query?: Omit<Query<'listProducts'>, 'page'>) =>
      eachItem((page) => products.list({ ...query, page })),
    get: async (productId: number): Promise<Data<'getProduct'>> =>
      unwrap(await client.GET('/products/{product_id}', { params: { path: { product_id: productId } } })),
    checkAvailability: async (
      productId: number,
      body: JsonBody<'checkProductAvailability'>,
    ): Promise<Data<'checkProductAvailability'>> =>
      unwrap(
        await client.POST('/products/{product_id}/availability', {
          params: { path: { product_id: productId } },
          body,
        }),
      ),
  };

  const orders = {
    create: async (body: JsonBody<'createOrder'>, write?: WriteOptions): Promise<Data<'createOrder'>> =>
      unwrap(await client.POST('/orders', { body, headers: writeHeaders(write), signal: write?.signal })),
    list: async (query?: Query<'listOrders'>): Promise<Page<Item<'listOrders'>>> =>
      unwrapPage(await client.GET('/orders', { params: { query } })),
    listAll: (query?: Omit<Query<'listOrders'>, 'page'>) => eachItem((page) => orders.list({ ...query, page })),
    get: async (orderId: string): Promise<Data<'getOrder'>> =>
      unwrap(await client.GET('/orders/{order_id}', { params: { path: { order_id: orderId } } })),
    /** Planned: served only where the ORDER_SIMULATION feature flag is on. */
    simulate: async (body: JsonBody<'simulateOrder'>): Promise<Data<'simulateOrder'>> =>
      unwrap(await client.POST('/orders/simulate', { body })),
  };

  const transactions = {
    list: async (query?: Query<'listTransactions'>): Promise<Page<Item<'listTransactions'>>> =>
      unwrapPage(await client.GET('/transactions', { params: { query } })),
    listAll: (query?: Omit<Query<'listTransactions'>, 'page'>) =>
      eachItem((page) => transactions.list({ ...query, page })),
  };

  const webhooks = {
    upsert: async (body: JsonBody<'upsertWebhook'>, write?: WriteOptions): Promise<Data<'upsertWebhook'>> =>
      unwrap(await client.POST('/webhooks', { body, headers: writeHeaders(write), signal: write?.signal })),
    list: async (query?: Query<'listWebhooks'>): Promise<Page<Item<'listWebhooks'>>> =>
      unwrapPage(await client.GET('/webhooks', { params: { query } })),
    update: async (webhookId: string, body: JsonBody<'updateWebhook'>): Promise<Data<'updateWebhook'>> =>
      unwrap(await client.PUT('/webhooks/{webhook_id}', { params: { path: { webhook_id: webhookId } }, body })),
    delete: async (webhookId: string): Promise<void> => {
      await unwrap(await client.DELETE('/webhooks/{webhook_id}', { params: { path: { webhook_id: webhookId } } }));
    },
    rotateSecret: async (webhookId: string, write?: WriteOptions): Promise<Data<'rotateWebhookSecret'>> =>
      unwrap(
        await client.POST('/webhooks/{webhook_id}/rotate-secret', {
          params: { path: { webhook_id: webhookId } },
          headers: writeHeaders(write),
        }),
      ),
  };

  const v1 = {
    categories: {
      list: async (query?: Query<'listCategories'>): Promise<Page<Item<'listCategories'>>> =>
        unwrapPage(await client.GET('/categories', { params: { query } })),
    },
    products,
    charges: {
      calculate: async (body: JsonBody<'calculateCharges'>): Promise<Data<'calculateCharges'>> =>
        unwrap(await client.POST('/charges', { body })),
    },
    orders,
    wallets: {
      list: async (query?: Query<'listWallets'>): Promise<Page<Item<'listWallets'>>> =>
        unwrapPage(await client.GET('/wallets', { params: { query } })),
    },
    transactions,
    webhooks,
    reconciliation: {
      /** Planned: served only where the RECONCILIATION_API feature flag is on. */
      get: async (date: string): Promise<Data<'getReconciliation'>> =>
        unwrap(await client.GET('/reconciliation/{date}', { params: { path: { date } } })),
    },
  };

  return { client, v1 };
}

export type StarshipClient = ReturnType<typeof createStarshipClient>;
