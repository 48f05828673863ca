/**
 * Every sandbox control operation (openapi/sandbox.yaml), by operationId, on top of the engine. Webhook
 * deliveries are not recorded yet (the webhooks issue adds delivery), so their list is empty and a replay
 * finds nothing.
 */
import type { RequestHandler } from 'express';
import type { SandboxHandlers } from '../../generated/sandbox-operations.ts';
import type { Engine } from '../engine.ts';
import { notFound } from './api-errors.ts';
import { pageResponse } from './pagination.ts';
import { dispatch } from './send.ts';

export interface ControlContext {
  engine: Engine;
}

export const controlHandlers: SandboxHandlers<ControlContext> = {
  createPartner: async ({ body }, { engine }) => ({ status: 201, body: await engine.createPartner(body) }),
  fundWallet: async ({ path, body }, { engine }) => ({ status: 200, body: await engine.fundWallet(path.partner_id, body) }),
  pumpInventory: async ({ body }, { engine }) => ({ status: 200, body: await engine.pumpInventory(body) }),
  retryOrder: async ({ path }, { engine }) => ({ status: 200, body: await engine.retryOrder(path.order_id) }),
  fulfillOrderFromVendor: async ({ path, body }, { engine }) => ({
    status: 200,
    body: await engine.fulfillOrderFromVendor(path.order_id, body ?? {}),
  }),
  cancelOrder: async ({ path, body }, { engine }) => ({ status: 200, body: await engine.cancelOrder(path.order_id, body ?? {}) }),
  failOrder: async ({ path, body }, { engine }) => ({ status: 200, body: await engine.failOrder(path.order_id, body ?? {}) }),
  getClock: async (_request, { engine }) => ({ status: 200, body: await engine.getClock() }),
  advanceClock: async ({ body }, { engine }) => ({ status: 200, body: await engine.advanceClock(body.seconds) }),
  injectFault: async ({ body }, { engine }) => ({ status: 201, body: await engine.injectFault(body) }),
  listRequests: async ({ query }, { engine }) => pageResponse(await engine.listRequests(query), query),
  listWebhookDeliveries: async ({ query }) => pageResponse({ items: [], total: 0 }, query),
  replayWebhookDelivery: async ({ path }) => {
    throw notFound(`Webhook delivery ${path.delivery_id} not found.`);
  },
  resetSandbox: async (_request, { engine }) => {
    await engine.resetSandbox();
    return { status: 204, body: undefined };
  },
  getSettings: async (_request, { engine }) => ({ status: 200, body: await engine.getSettings() }),
  updateSettings: async ({ body }, { engine }) => ({ status: 200, body: await engine.updateSettings(body) }),
};

export function controlRoutes(engine: Engine): RequestHandler {
  return dispatch(controlHandlers, () => ({ engine }));
}
