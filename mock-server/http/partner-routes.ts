/**
 * Every partner operation, by operationId, on top of the engine. Requests arrive authenticated, signed,
 * validated and with their Idempotency-Key claimed; handlers only translate between the spec's request and
 * response shapes and the engine. The claim is settled for them (idempotency.ts completeIdempotencyKey);
 * only a write that stores it in its own transaction (placeOrder) is handed the scope.
 */
import type { RequestHandler } from 'express';
import type { StarshipHandlers } from '@starship/spec/starship-operations';
import type { Engine, IdempotencyScope } from '../engine.ts';
import { contextOf } from './context.ts';
import { completeIdempotencyKey } from './idempotency.ts';
import { pageResponse } from './pagination.ts';
import { dispatch } from './send.ts';

export interface PartnerContext {
  engine: Engine;
  partnerId: string;
  /** The claimed Idempotency-Key, when the request carries one. */
  idempotency?: IdempotencyScope;
}

export const partnerHandlers: StarshipHandlers<PartnerContext> = {
  listCategories: async ({ query }, { engine }) => pageResponse(await engine.listCategories(query), query),
  listProducts: async ({ query }, { engine, partnerId }) => pageResponse(await engine.listProducts(partnerId, query), query),
  getProduct: async ({ path }, { engine, partnerId }) => ({ status: 200, body: await engine.getProduct(partnerId, path.product_id) }),
  checkProductAvailability: async ({ path, body }, { engine, partnerId }) => ({
    status: 200,
    body: await engine.checkAvailability(partnerId, path.product_id, body),
  }),
  calculateCharges: async ({ body }, { engine, partnerId }) => ({
    status: 200,
    body: await engine.calculateCharges(partnerId, body),
  }),
  createOrder: async ({ body }, { engine, partnerId, idempotency }) => ({
    status: 200,
    body: await engine.placeOrder(partnerId, body, idempotency),
  }),
  listOrders: async ({ query }, { engine, partnerId }) => pageResponse(await engine.listOrders(partnerId, query), query),
  getOrder: async ({ path }, { engine, partnerId }) => ({ status: 200, body: await engine.getOrder(partnerId, path.order_id) }),
  simulateOrder: async ({ body }, { engine, partnerId }) => ({
    status: 200,
    body: await engine.simulateOrder(partnerId, body),
  }),
  listWallets: async ({ query }, { engine, partnerId }) => pageResponse(await engine.listWallets(partnerId, query), query),
  listTransactions: async ({ query }, { engine, partnerId }) =>
    pageResponse(await engine.listTransactions(partnerId, query), query),
  upsertWebhook: async ({ body }, { engine, partnerId }) => {
    const { created, endpoint } = await engine.upsertWebhook(partnerId, body);
    return { status: created ? 201 : 200, body: endpoint };
  },
  listWebhooks: async ({ query }, { engine, partnerId }) => pageResponse(await engine.listWebhooks(partnerId, query), query),
  updateWebhook: async ({ path, body }, { engine, partnerId }) => ({
    status: 200,
    body: await engine.updateWebhook(partnerId, path.webhook_id, body),
  }),
  deleteWebhook: async ({ path }, { engine, partnerId }) => {
    await engine.deleteWebhook(partnerId, path.webhook_id);
    return { status: 204, body: undefined };
  },
  rotateWebhookSecret: async ({ path }, { engine, partnerId }) => ({
    status: 200,
    body: await engine.rotateWebhookSecret(partnerId, path.webhook_id),
  }),
  getReconciliation: async ({ path }, { engine, partnerId }) => ({
    status: 200,
    body: await engine.getReconciliation(partnerId, path.date),
  }),
};

export function partnerRoutes(engine: Engine, handlers: StarshipHandlers<PartnerContext> = partnerHandlers): RequestHandler {
  return dispatch(
    handlers,
    (_req, res) => {
      const partner = contextOf(res).partner;
      if (!partner) throw new Error('partner routes must run after authentication');
      const idempotency = res.locals.idempotency;
      return { engine, partnerId: partner.partnerId, ...(idempotency ? { idempotency } : {}) };
    },
    completeIdempotencyKey(engine),
  );
}
