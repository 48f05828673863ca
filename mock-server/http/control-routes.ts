/**
 * Every operator operation of the sandbox control API (openapi/sandbox.yaml; the test helpers are in
 * test-helper-routes.ts), by operationId, on top of the engine. Webhook deliveries come from the engine's
 * outbox and dispatcher: listed with every attempt, replayed on demand (the replay waits for its one send, at
 * most 5 s), and made to misbehave with injectWebhookFault.
 */
import type { RequestHandler } from 'express';
import type { SandboxHandlers, SandboxOperationId } from '@starship/spec/sandbox-operations';
import type { Engine } from '../engine.ts';
import { pageResponse } from './pagination.ts';
import { dispatch } from './send.ts';
import type { TestHelperOperationId } from './test-helper-routes.ts';

export interface ControlContext {
  engine: Engine;
}

export const controlHandlers: Pick<SandboxHandlers<ControlContext>, Exclude<SandboxOperationId, TestHelperOperationId>> = {
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
  getClock: async ({ query }, { engine }) => ({ status: 200, body: await engine.getClock(query.partner_id) }),
  advanceClock: async ({ body }, { engine }) => ({ status: 200, body: await engine.advanceClock(body.seconds, body.partner_id) }),
  injectFault: async ({ body }, { engine }) => ({ status: 201, body: await engine.injectFault(body) }),
  listRequests: async ({ query }, { engine }) => pageResponse(await engine.listRequests(query), query),
  setWalletThreshold: async ({ path, body }, { engine }) => ({ status: 200, body: await engine.setWalletThreshold(path.partner_id, path.currency, body) }),
  listWebhookDeliveries: async ({ query }, { engine }) => pageResponse(await engine.listWebhookDeliveries(query), query),
  replayWebhookDelivery: async ({ path }, { engine }) => ({ status: 200, body: await engine.replayWebhookDelivery(path.delivery_id) }),
  injectWebhookFault: async ({ body }, { engine }) => ({ status: 201, body: await engine.injectWebhookFault(body) }),
  injectReconciliationDrift: async ({ body }, { engine }) => ({ status: 201, body: await engine.injectReconciliationDrift(body) }),
  resetSandbox: async (_request, { engine }) => {
    await engine.resetSandbox();
    return { status: 204, body: undefined };
  },
  getSettings: async (_request, { engine }) => ({ status: 200, body: await engine.getSettings() }),
  updateSettings: async ({ body }, { engine }) => ({ status: 200, body: await engine.updateSettings(body) }),
  createCertificationSession: async ({ body }, { engine }) => ({ status: 201, body: await engine.createCertificationSession(body) }),
  gradeCertificationSession: async ({ path, body }, { engine }) => ({ status: 200, body: await engine.gradeCertificationSession(path.session_id, body) }),
  getReportSigningKey: async (_request, { engine }) => ({ status: 200, body: await engine.getReportSigningKey() }),
};

export function controlRoutes(engine: Engine): RequestHandler {
  return dispatch(controlHandlers, () => ({ engine }));
}
