/**
 * Delivery faults (injectWebhookFault) against a receiver built with the SDK's Express helper: forged and
 * stale deliveries are rejected and then retried correctly signed; duplicates repeat the event_id; a delay
 * waits for the clock; out-of-order swaps two deliveries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { starshipWebhooks } from '@starship/sdk';
import type { WebhookEvent } from '@starship/sdk';
import { TestSandbox, type TestPartner } from '../test-support/sandbox.ts';
import { eventually } from '../test-support/webhook-receiver.ts';

interface Setup {
  sandbox: TestSandbox;
  partner: TestPartner;
  accepted: WebhookEvent[];
  rejected: string[];
  webhookId: string;
  close(): Promise<void>;
}

async function setup(): Promise<Setup> {
  const sandbox = await TestSandbox.start();
  const partner = await sandbox.partner();
  const accepted: WebhookEvent[] = [];
  const rejected: string[] = [];
  // The URL is needed to register the endpoint, and registering gives the secret the handler needs.
  let handler: RequestHandler = (_req, res) => void res.sendStatus(503);
  const app = express();
  app.post('/hooks', (req, res, next) => handler(req, res, next));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  const endpoint = await partner.client.v1.webhooks.upsert({ url, events: ['order.pending', 'order.delivered'] });
  handler = starshipWebhooks({
    secret: endpoint.secret,
    onEvent: (event) => void accepted.push(event),
    onRejected: (error) => void rejected.push(error.code),
  });
  return {
    sandbox,
    partner,
    accepted,
    rejected,
    webhookId: endpoint.id,
    close: async () => {
      await sandbox.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let keys = 0;
async function pendingOrder(partner: TestPartner, reference = 'SANDBOX_FORCE_PENDING'): Promise<string> {
  const reply = await partner.call('POST', '/api/v1/orders', {
    body: JSON.stringify({ product_id: 2001, amount: '10.00', quantity: 1, currency: 'USD', reference }),
    headers: { 'Idempotency-Key': `fault-test-${process.pid}-${++keys}` },
  });
  assert.equal(reply.status, 200);
  return reply.body.id;
}

async function onlyDelivery(sandbox: TestSandbox): Promise<any> {
  const list = await sandbox.admin('GET', '/webhook-deliveries');
  assert.equal(list.length, 1);
  return list[0];
}

for (const [kind, code, status] of [
  ['FORGED_SIGNATURE', 'E_SIGNATURE_INVALID', 401],
  ['STALE_TIMESTAMP', 'E_TIMESTAMP_OUT_OF_WINDOW', 400],
] as const) {
  test(`${kind}: the Express helper answers ${status} ${code}; the retry is signed correctly and accepted`, async () => {
    const s = await setup();
    try {
      const fault = await s.sandbox.admin('POST', '/webhook-faults', { kind, webhook_id: s.webhookId });
      assert.equal(fault.remaining, 1);
      await pendingOrder(s.partner);
      await eventually(async () => (await onlyDelivery(s.sandbox)).status === 'RETRYING', 'the rejected attempt');
      assert.deepEqual(s.rejected, [code]);
      assert.equal(s.accepted.length, 0);
      await s.sandbox.admin('POST', '/clock/advance', { seconds: 30 });
      await eventually(async () => (await onlyDelivery(s.sandbox)).status === 'SUCCEEDED', 'the retry');
      const delivery = await onlyDelivery(s.sandbox);
      assert.deepEqual(delivery.attempts.map((a: any) => [a.status_code, a.fault]), [[status, kind], [204, null]]);
      assert.equal(s.accepted.length, 1);
      s.sandbox.assertConforming();
    } finally {
      await s.close();
    }
  });
}

test('DUPLICATE: the same event (same event_id) arrives twice, both attempts recorded', async () => {
  const s = await setup();
  try {
    await s.sandbox.admin('POST', '/webhook-faults', { kind: 'DUPLICATE', event_type: 'order.pending' });
    await pendingOrder(s.partner);
    await eventually(async () => (await onlyDelivery(s.sandbox)).status === 'SUCCEEDED', 'the delivery');
    assert.equal(s.accepted.length, 2);
    assert.equal(s.accepted[0]!.event_id, s.accepted[1]!.event_id);
    assert.deepEqual((await onlyDelivery(s.sandbox)).attempts.map((a: any) => a.fault), ['DUPLICATE', 'DUPLICATE']);
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});

test('DELAY: nothing is sent until the sandbox clock passes delay_seconds', async () => {
  const s = await setup();
  try {
    await s.sandbox.admin('POST', '/webhook-faults', { kind: 'DELAY', delay_seconds: 120 });
    await pendingOrder(s.partner);
    const held = await eventually(async () => {
      const d = await onlyDelivery(s.sandbox);
      return d.next_attempt_at > d.created_at && d;
    }, 'the postponement');
    assert.equal(held.status, 'PENDING');
    assert.equal(held.attempts.length, 0);
    await s.sandbox.admin('POST', '/clock/advance', { seconds: 120 });
    await eventually(async () => (await onlyDelivery(s.sandbox)).status === 'SUCCEEDED', 'the delayed delivery');
    assert.equal(s.accepted.length, 1);
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});

test('OUT_OF_ORDER: the held delivery is sent right after the endpoint\'s next one', async () => {
  const s = await setup();
  try {
    await s.sandbox.admin('POST', '/webhook-faults', { kind: 'OUT_OF_ORDER' });
    const first = await pendingOrder(s.partner);
    await eventually(async () => (await s.sandbox.admin('GET', '/webhook-deliveries'))[0]?.next_attempt_at > s.sandbox.sandbox.engine.clock.now().toISOString(), 'the hold');
    const second = await pendingOrder(s.partner);
    await eventually(async () => s.accepted.length === 2, 'both deliveries');
    assert.deepEqual(
      s.accepted.map((e) => (e.data as { order_id: string }).order_id),
      [second, first],
    );
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});

test('injectWebhookFault validates its body', async () => {
  const s = await setup();
  try {
    assert.equal((await s.sandbox.control('POST', '/webhook-faults', { kind: 'DUPLICATE', delay_seconds: 5 })).status, 400);
    assert.equal((await s.sandbox.control('POST', '/webhook-faults', { kind: 'NOPE' })).status, 400);
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});
