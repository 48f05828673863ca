/**
 * Webhook delivery end to end: the sandbox on a loopback port, a real node:http receiver, events caused
 * through the partner and control APIs, and the delivery log read back through the control API.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { signingVectors } from '../../testdata/vectors.ts';
import { verifyWebhook } from '@starship/sdk';
import { TestSandbox, type TestPartner } from '../test-support/sandbox.ts';
import { TestReceiver, eventually } from '../test-support/webhook-receiver.ts';

const ALL_ORDER_EVENTS = ['order.pending', 'order.delivered', 'order.partially_delivered', 'order.cancelled', 'order.failed'];

/** The shared vectors' algorithm written out again, independently of the SDK: hex(HMAC-SHA256(secret, t + "." + body)). */
function independentlyVerifies(body: string, header: string, secret: string): boolean {
  const parts = header.split(',').map((p) => p.split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  if (!t) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest();
  return parts.filter(([k]) => k === 'v1').some(([, v]) => {
    const got = Buffer.from(v ?? '', 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

test('the independent verifier agrees with the shared webhook vectors', () => {
  for (const v of signingVectors.webhook_signing) assert.ok(independentlyVerifies(v.body, v.x_signature, v.secret));
  const [v] = signingVectors.webhook_signing;
  assert.ok(!independentlyVerifies(v!.body + ' ', v!.x_signature, v!.secret));
});

interface Setup {
  sandbox: TestSandbox;
  receiver: TestReceiver;
  partner: TestPartner;
  webhookId: string;
  secret: string;
  close(): Promise<void>;
}

async function setup(events = ALL_ORDER_EVENTS): Promise<Setup> {
  const sandbox = await TestSandbox.start();
  const receiver = await TestReceiver.start();
  const partner = await sandbox.partner();
  const endpoint = await partner.client.v1.webhooks.upsert({ url: receiver.url, events: events as never });
  return {
    sandbox,
    receiver,
    partner,
    webhookId: endpoint.id,
    secret: endpoint.secret,
    close: async () => {
      await sandbox.close();
      await receiver.close();
    },
  };
}

let keys = 0;
async function order(partner: TestPartner, body: Record<string, unknown>): Promise<any> {
  const reply = await partner.call('POST', '/api/v1/orders', {
    body: JSON.stringify({ currency: 'USD', quantity: 1, ...body }),
    headers: { 'Idempotency-Key': `webhook-test-${process.pid}-${++keys}` },
  });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

async function deliveries(sandbox: TestSandbox, query = ''): Promise<any[]> {
  return sandbox.admin('GET', `/webhook-deliveries?limit=1000${query}`);
}

test('every lifecycle event arrives signed (SDK and independent check), with its headers and no voucher secrets', async () => {
  const s = await setup();
  try {
    await s.sandbox.pump(1001, '25.00', 'USD', 2);
    const delivered = await order(s.partner, { product_id: 1001, amount: '25.00', quantity: 2 });
    const pending = await order(s.partner, { product_id: 2001, amount: '10.00', reference: 'SANDBOX_FORCE_PENDING:a' });
    const partial = await order(s.partner, { product_id: 2001, amount: '10.00', quantity: 3, reference: 'SANDBOX_FORCE_PARTIAL:b' });
    const toFail = await order(s.partner, { product_id: 2001, amount: '10.00', reference: 'SANDBOX_FORCE_PENDING:c' });
    const vendor = await s.sandbox.admin('POST', `/orders/${pending.id}/fulfill-from-vendor`, {});
    await s.sandbox.admin('POST', `/orders/${partial.id}/cancel`, { reason: 'Out of stock everywhere.' });
    await s.sandbox.admin('POST', `/orders/${toFail.id}/fail`, {});
    assert.equal(delivered.status, 'DELIVERED');
    assert.equal(vendor.status, 'DELIVERED');

    const expected = [
      [delivered.id, 'order.delivered'],
      [pending.id, 'order.pending'],
      [pending.id, 'order.delivered'],
      [partial.id, 'order.partially_delivered'],
      [partial.id, 'order.cancelled'],
      [toFail.id, 'order.pending'],
      [toFail.id, 'order.failed'],
    ];
    await s.receiver.until(() => s.receiver.received.length >= expected.length, 'seven events');

    const now = Math.floor(Date.now() / 1000);
    const got = s.receiver.received.map((r) => {
      const event = verifyWebhook(r.body, String(r.headers['x-signature']), s.secret, { now }) as any;
      assert.ok(independentlyVerifies(r.body, String(r.headers['x-signature']), s.secret), 'the shared vectors algorithm verifies it too');
      assert.equal(r.headers['x-event-id'], event.event_id);
      assert.equal(r.headers['x-event-type'], event.event_type);
      assert.equal(event.event, event.event_type);
      assert.equal(r.headers['x-timestamp'], /t=(\d+)/.exec(String(r.headers['x-signature']))![1]);
      assert.equal(r.headers['content-type'], 'application/json');
      return [event.data.order_id, event.event_type];
    });
    assert.deepEqual(new Set(got.map((g) => g.join(' '))), new Set(expected.map((e) => e.join(' '))));
    assert.equal(s.receiver.received.length, expected.length, 'one delivery per event and endpoint');

    const cancelled = s.receiver.received.map((r) => JSON.parse(r.body)).find((e) => e.event_type === 'order.cancelled');
    assert.equal(cancelled.data.reason, 'Out of stock everywhere.');
    assert.equal(cancelled.data.sub_status, 'REFUNDED');
    const deliveredEvent = s.receiver.received.map((r) => JSON.parse(r.body)).find((e) => e.data.order_id === delivered.id);
    assert.equal(deliveredEvent.data.fulfilled_from_cache, 2);
    assert.ok(deliveredEvent.data.items.every((i: any) => typeof i.expiry === 'string' && !('voucher' in i)));

    // No voucher secret of any order appears in any delivered body (or header). Codes and URLs are long enough
    // to search for as text; a 4-digit PIN would also match inside a signature or an id by chance, so PINs are
    // looked for as values.
    const secrets: string[] = [];
    const pins = new Set<string>();
    for (const id of [delivered.id, pending.id, partial.id, toFail.id]) {
      const full = (await s.partner.call('GET', `/api/v1/orders/${id}`)).body;
      for (const item of full.items) {
        for (const value of [item.voucher?.code, item.voucher?.url]) if (value) secrets.push(value);
        if (item.voucher?.pin) pins.add(item.voucher.pin);
      }
    }
    assert.ok(secrets.length >= 4, 'there were voucher secrets to look for');
    const values = (node: unknown): unknown[] =>
      node !== null && typeof node === 'object' ? Object.values(node).flatMap(values) : [node];
    for (const r of s.receiver.received) {
      const seen = r.body + JSON.stringify(r.headers);
      for (const secret of secrets) assert.ok(!seen.includes(secret), `voucher secret leaked into ${r.eventType}`);
      for (const value of values(JSON.parse(r.body))) assert.ok(!pins.has(String(value)), `voucher PIN leaked into ${r.eventType}`);
    }

    const log = await deliveries(s.sandbox);
    assert.equal(log.length, expected.length);
    for (const d of log) {
      assert.equal(d.status, 'SUCCEEDED');
      assert.equal(d.attempts.length, 1);
      assert.equal(d.attempts[0].status_code, 204);
      assert.equal(d.next_attempt_at, null);
      assert.equal(d.webhook_id, s.webhookId);
    }
    assert.equal((await deliveries(s.sandbox, `&order_id=${pending.id}`)).length, 2);
    assert.equal((await deliveries(s.sandbox, '&event_type=order.failed')).length, 1);
    assert.equal((await deliveries(s.sandbox, '&status=RETRYING')).length, 0);
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});

test('a receiver down for its first three attempts gets the event once the clock reaches the retry; the log shows every attempt', async () => {
  const s = await setup();
  try {
    const answers: Array<'close' | number> = [500, 503, 'close', 204];
    s.receiver.answer = (_d, i) => answers[i] ?? 204;
    const placed = await order(s.partner, { product_id: 2001, amount: '10.00', reference: 'SANDBOX_FORCE_DELIVERED' });
    await s.receiver.until(() => s.receiver.received.length === 1, 'the first attempt');
    // 30 s, 1 min, 2 min: the schedule's figures (jitter only ever shortens them).
    for (const [n, seconds] of [[2, 30], [3, 60], [4, 120]] as const) {
      const [before] = await deliveries(s.sandbox);
      assert.equal(before.status, 'RETRYING');
      assert.ok(before.next_attempt_at > before.attempts.at(-1).at);
      await s.sandbox.admin('POST', '/clock/advance', { seconds });
      await s.receiver.until(() => s.receiver.received.length === n, `attempt ${n}`);
    }
    await eventually(async () => (await deliveries(s.sandbox))[0].status === 'SUCCEEDED', 'SUCCEEDED');
    const [delivery] = await deliveries(s.sandbox);
    assert.deepEqual(delivery.attempts.map((a: any) => a.status_code), [500, 503, null, 204]);
    assert.equal(delivery.attempts[0].error, null);
    assert.match(delivery.attempts[2].error, /\S/);
    assert.ok(delivery.attempts.every((a: any) => Number.isInteger(a.latency_ms) && a.latency_ms >= 0));
    assert.equal(new Set(s.receiver.received.map((r) => r.eventId)).size, 1, 'every retry carries the same event_id');
    assert.equal(JSON.parse(s.receiver.received[3]!.body).data.order_id, placed.id);
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});

test('a receiver that never recovers: FAILED once the next retry would fall outside 24 h', async () => {
  const s = await setup();
  try {
    s.receiver.answer = () => 500;
    await order(s.partner, { product_id: 2001, amount: '10.00', reference: 'SANDBOX_FORCE_PENDING' });
    await s.receiver.until(() => s.receiver.received.length === 1, 'the first attempt');
    await s.sandbox.admin('POST', '/clock/advance', { seconds: 23 * 3600 });
    await s.receiver.until(() => s.receiver.received.length === 2, 'the attempt after 23 h');
    await eventually(async () => (await deliveries(s.sandbox))[0].attempts.length === 2, 'recorded');
    await s.sandbox.admin('POST', '/clock/advance', { seconds: 3600 });
    const failed = await eventually(async () => {
      const [d] = await deliveries(s.sandbox, '&status=FAILED');
      return d;
    }, 'FAILED');
    assert.equal(failed.next_attempt_at, null);
    assert.equal(failed.attempts.length, 3);
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});

test('replay sends the same event again (same event_id and body) and appends the attempt', async () => {
  const s = await setup();
  try {
    await order(s.partner, { product_id: 2001, amount: '10.00', reference: 'SANDBOX_FORCE_PENDING' });
    await s.receiver.until(() => s.receiver.received.length === 1, 'the delivery');
    const [delivery] = await eventually(async () => {
      const list = await deliveries(s.sandbox);
      return list[0]?.status === 'SUCCEEDED' && list;
    }, 'SUCCEEDED');
    s.receiver.answer = () => 202;
    const replayed = await s.sandbox.admin('POST', `/webhook-deliveries/${delivery.id}/replay`);
    assert.equal(replayed.attempts.length, 2);
    assert.equal(replayed.attempts[1].status_code, 202);
    assert.equal(s.receiver.received.length, 2);
    assert.equal(s.receiver.received[1]!.body, s.receiver.received[0]!.body);
    assert.equal((await s.sandbox.control('POST', '/webhook-deliveries/dlv_01KP5KZ70RZGZ351G3XWVTP42Y/replay')).status, 404);
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});

test('during a rotation every delivery carries two v1, new secret first, each verifying alone', async () => {
  const s = await setup();
  try {
    const rotated = await s.partner.client.v1.webhooks.rotateSecret(s.webhookId);
    await order(s.partner, { product_id: 2001, amount: '10.00', reference: 'SANDBOX_FORCE_PENDING' });
    await s.receiver.until(() => s.receiver.received.length === 1, 'the delivery');
    const [r] = s.receiver.received;
    const header = String(r!.headers['x-signature']);
    assert.equal(header.match(/v1=/g)?.length, 2);
    const now = Math.floor(Date.now() / 1000);
    verifyWebhook(r!.body, header, rotated.secret, { now });
    verifyWebhook(r!.body, header, s.secret, { now });
    assert.ok(independentlyVerifies(r!.body, `t=${/t=(\d+)/.exec(header)![1]},${header.split(',')[1]}`, rotated.secret));
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});

test('only ACTIVE endpoints subscribed to the type get a delivery; none is stored for an unsubscribed event', async () => {
  const s = await setup(['order.delivered']);
  try {
    const other = await TestReceiver.start();
    try {
      const disabled = await s.partner.client.v1.webhooks.upsert({ url: other.url, events: ['order.delivered'] });
      await s.partner.client.v1.webhooks.update(disabled.id, { url: other.url, events: ['order.delivered'], status: 'DISABLED' });
      await order(s.partner, { product_id: 2001, amount: '10.00', reference: 'SANDBOX_FORCE_PENDING' });
      await order(s.partner, { product_id: 2001, amount: '10.00', reference: 'SANDBOX_FORCE_DELIVERED' });
      await s.receiver.until(() => s.receiver.received.length === 1, 'the delivered event');
      const log = await deliveries(s.sandbox);
      assert.deepEqual(log.map((d) => [d.event_type, d.webhook_id]), [['order.delivered', s.webhookId]]);
      const events = await s.sandbox.sandbox.engine.listWebhookDeliveries({ event_type: 'order.pending' });
      assert.equal(events.total, 0);
      assert.equal(other.received.length, 0);
    } finally {
      await other.close();
    }
    s.sandbox.assertConforming();
  } finally {
    await s.close();
  }
});

test('planned events over HTTP: wallet.balance_threshold and reconciliation.drift, with the drift in GET /reconciliation/{date}', async () => {
  const sandbox = await TestSandbox.start();
  const receiver = await TestReceiver.start();
  try {
    await sandbox.admin('PATCH', '/settings', { feature_flags: { reconciliation_api: true, webhook_reconciliation_drift: true, webhook_wallet_balance_threshold: true } });
    const partner = await sandbox.partner({ wallets: [{ currency: 'USD', balance: '30.00' }] });
    const endpoint = await partner.client.v1.webhooks.upsert({ url: receiver.url, events: ['reconciliation.drift', 'wallet.balance_threshold'] });
    const threshold = await sandbox.admin('PUT', `/partners/${partner.partner.partner_id}/wallets/USD/threshold`, { threshold: '25.00' });
    assert.deepEqual(threshold, { partner_id: partner.partner.partner_id, currency: 'USD', balance: '30.00', threshold: '25.00' });
    assert.equal((await sandbox.control('PUT', `/partners/${partner.partner.partner_id}/wallets/JPY/threshold`, { threshold: null })).status, 404);

    const placed = await order(partner, { product_id: 2001, amount: '10.00', reference: 'SANDBOX_FORCE_VENDOR' });
    const drift = await sandbox.admin('POST', '/reconciliation/drifts', { order_id: placed.id });
    assert.equal(drift.drift.order_id, placed.id);
    await receiver.until(() => receiver.received.length === 2, 'both planned events');
    const now = Math.floor(Date.now() / 1000);
    const got = receiver.received.map((r) => verifyWebhook(r.body, String(r.headers['x-signature']), endpoint.secret, { now }) as any);
    assert.deepEqual(got.map((e) => e.event_type).sort(), ['reconciliation.drift', 'wallet.balance_threshold']);
    assert.deepEqual(got.find((e) => e.event_type === 'wallet.balance_threshold').data, { currency: 'USD', balance: '20.18', threshold: '25.00' });

    const report = await partner.call('GET', `/api/v1/reconciliation/${drift.date}`);
    assert.equal(report.status, 200);
    assert.equal(report.body.summary.drifted, 1);
    assert.deepEqual(report.body.drifts, [drift.drift]);
    sandbox.assertConforming();
  } finally {
    await sandbox.close();
    await receiver.close();
  }
});
