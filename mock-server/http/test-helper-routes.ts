/**
 * The test helpers (openapi/sandbox.yaml, tag "Test helpers"), by operationId, on top of the engine. Requests
 * arrive authenticated with the partner's own key and secret, from its allowlist, signed when they write, and
 * validated; every handler acts for that partner only (the engine scopes each lookup to it, so another partner's
 * order, delivery or session is the same 404 as a missing one). The event stream is served by event-stream.ts.
 */
import type { RequestHandler } from 'express';
import type { SandboxHandlers, SandboxOperationId } from '@starship/spec/sandbox-operations';
import type { Engine, PartnerCredentials } from '../engine.ts';
import { contextOf } from './context.ts';
import { pageResponse } from './pagination.ts';
import { dispatch } from './send.ts';

export type TestHelperOperationId = Extract<SandboxOperationId, `testHelper${string}`>;

export interface TestHelperContext {
  engine: Engine;
  partner: PartnerCredentials;
}

export const testHelperHandlers: Pick<SandboxHandlers<TestHelperContext>, Exclude<TestHelperOperationId, 'testHelperStreamEvents'>> = {
  testHelperDeliverOrder: async ({ path, body }, { engine, partner }) => ({
    status: 200,
    body: await engine.deliverOrder(path.order_id, body ?? {}, { partnerId: partner.partnerId }),
  }),
  testHelperCancelOrder: async ({ path, body }, { engine, partner }) => ({
    status: 200,
    body: await engine.cancelOrder(path.order_id, body ?? {}, { partnerId: partner.partnerId }),
  }),
  testHelperFailOrder: async ({ path, body }, { engine, partner }) => ({
    status: 200,
    body: await engine.failOrder(path.order_id, body ?? {}, { partnerId: partner.partnerId }),
  }),
  testHelperPumpInventory: async ({ body }, { engine, partner }) => ({
    status: 200,
    body: await engine.pumpInventory({ ...body, partner_id: partner.partnerId }),
  }),
  testHelperGetClock: async (_request, { engine, partner }) => ({ status: 200, body: await engine.getClock(partner.partnerId) }),
  testHelperAdvanceClock: async ({ body }, { engine, partner }) => ({
    status: 200,
    body: await engine.advanceClock(body.seconds, partner.partnerId),
  }),
  testHelperInjectFault: async ({ body }, { engine, partner }) => {
    const { target, ...fault } = body;
    const partner_id = partner.partnerId;
    if (target === 'WEBHOOK') {
      const webhookFault = fault as Omit<typeof body & { target: 'WEBHOOK' }, 'target'>;
      return { status: 201, body: await engine.injectWebhookFault({ ...webhookFault, partner_id }) };
    }
    return { status: 201, body: await engine.injectFault({ ...fault, partner_id }) };
  },
  testHelperListRequests: async ({ query }, { engine, partner }) => {
    const { items, hasMore } = await engine.tailRequests(partner.partnerId, query);
    return { status: 200, body: items, headers: { 'X-Has-More': hasMore } };
  },
  testHelperListWebhookDeliveries: async ({ query }, { engine, partner }) =>
    pageResponse(await engine.listWebhookDeliveries({ ...query, partner_id: partner.partnerId }), query),
  testHelperReplayWebhookDelivery: async ({ path }, { engine, partner }) => ({
    status: 200,
    body: await engine.replayWebhookDelivery(path.delivery_id, { partnerId: partner.partnerId }),
  }),
  testHelperTriggerEvent: async ({ body }, { engine, partner }) => ({ status: 201, body: await engine.triggerEvent(partner.partnerId, body.event_type) }),
  testHelperFundWallet: async ({ body }, { engine, partner }) => ({ status: 200, body: await engine.fundWallet(partner.partnerId, body) }),
  testHelperCreateCertificationSession: async ({ body }, { engine, partner }) => ({
    status: 201,
    // The session's command runs where the partner does: the partner's allowlist unless another is given.
    body: await engine.createCertificationSession({ ...body, ip_allowlist: body.ip_allowlist ?? partner.ipAllowlist }, partner.partnerId),
  }),
  testHelperGradeCertificationSession: async ({ path, body }, { engine, partner }) => ({
    status: 200,
    body: await engine.gradeCertificationSession(path.session_id, body, partner.partnerId),
  }),
};

export function testHelperRoutes(engine: Engine): RequestHandler {
  return dispatch(testHelperHandlers, (_req, res) => {
    const partner = contextOf(res).partner;
    if (!partner) throw new Error('test-helper routes must run after authentication');
    return { engine, partner };
  });
}
