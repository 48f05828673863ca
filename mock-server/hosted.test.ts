/**
 * Hosted mode (DESIGN "Hosted mode"), regressions of issue 18's SSRF findings: a partner could register the
 * metadata service, private networks, loopback in any of its spellings and the sandbox's own control API,
 * and a URL with credentials whose attempt error repeated the password. Only loopback receivers are used:
 * allowed explicitly with allowWebhookHosts, as an operator would with --allow-webhook-host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestSandbox, type TestPartner } from './test-support/sandbox.ts';
import { eventually, TestReceiver } from './test-support/webhook-receiver.ts';

let keys = 0;
const register = (partner: TestPartner, url: string) =>
  partner.call('POST', '/api/v1/webhooks', { body: JSON.stringify({ url, events: ['order.delivered', 'order.pending'] }), headers: { 'Idempotency-Key': `hosted-${++keys}` } });

async function placeOrder(partner: TestPartner, key: string) {
  const reply = await partner.call('POST', '/api/v1/orders', { body: JSON.stringify({ product_id: 1001, amount: '10.00', quantity: 1 }), headers: { 'Idempotency-Key': key } });
  assert.equal(reply.status, 200);
  return reply.body;
}

test('hosted: no demo partner; internal URLs are 400 naming the rule; an allowed loopback receiver gets deliveries', async () => {
  const receiver = await TestReceiver.start();
  const ts = await TestSandbox.start({ hosted: true, allowWebhookHosts: ['127.0.0.1'] });
  try {
    assert.equal(ts.sandbox.demoPartner, undefined);
    const partner = await ts.partner();
    const origin = ts.sandbox.origin.replace('127.0.0.1', 'localhost');
    const refused: [string, string][] = [
      ['http://169.254.169.254/latest/meta-data/', 'LINK_LOCAL'],
      ['http://10.0.0.1/', 'PRIVATE'],
      ['http://[::1]:22/', 'LOOPBACK'],
      ['http://2130706434/', 'LOOPBACK'],
      ['http://metadata.google.internal/computeMetadata/v1/', 'METADATA'],
      [`${origin}/sandbox/v1/reset`, 'LOOPBACK'],
      ['http://127.0.0.2/', 'LOOPBACK'],
      ['http://user:hunter2-pw@hooks.example.com/', 'CREDENTIALS'],
    ];
    for (const [url, rule] of refused) {
      const reply = await register(partner, url);
      assert.equal(reply.status, 400, `${url}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error.code, 'E_VALIDATION_FAILURE');
      assert.match(reply.body.error.message, new RegExp(`\\(${rule}\\)`), url);
      assert.doesNotMatch(JSON.stringify(reply.body), /hunter2/);
    }
    assert.equal((await register(partner, receiver.url)).status, 201);
    const order = await placeOrder(partner, 'hosted-allowed');
    await receiver.until(() => receiver.received.some((r) => r.body.includes(order.id)), 'the delivery to the allowed host');
    ts.assertConforming();
  } finally {
    await ts.close();
    await receiver.close();
  }
});

test('the per-partner endpoint cap: registering one more is 400 ENDPOINT_LIMIT, updating one is not; other partners are not affected', async () => {
  const ts = await TestSandbox.start({ maxWebhookEndpoints: 2 });
  try {
    const partner = await ts.partner();
    assert.equal((await register(partner, 'https://a.example.com/hooks')).status, 201);
    assert.equal((await register(partner, 'https://b.example.com/hooks')).status, 201);
    const third = await register(partner, 'https://c.example.com/hooks');
    assert.equal(third.status, 400);
    assert.match(third.body.error.message, /ENDPOINT_LIMIT: a partner may register at most 2 webhook endpoints/);
    assert.equal((await register(partner, 'https://a.example.com/hooks')).status, 200, 'the same URL again is an update');
    assert.equal((await register(await ts.partner(), 'https://c.example.com/hooks')).status, 201);
    ts.assertConforming();
  } finally {
    await ts.close();
  }
});

test('every delivery checks the URL again: an endpoint registered before hosting was turned on is not sent to', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'starship-hosted-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'starship.db');
  const receiver = await TestReceiver.start();
  try {
    const local = await TestSandbox.start({ db });
    const partner = await local.partner();
    assert.equal((await register(partner, receiver.url)).status, 201, 'loopback is fine for a local sandbox');
    await local.close();

    const hosted = await TestSandbox.start({ db, hosted: true });
    try {
      const order = await hosted.sandbox.engine.placeOrder(partner.partner.partner_id, { product_id: 1001, amount: '10.00', quantity: 1 });
      const attempt = await eventually(async () => {
        const [delivery] = await hosted.admin('GET', `/webhook-deliveries?order_id=${order.id}`);
        return delivery?.attempts?.[0];
      }, 'the first attempt');
      assert.equal(attempt.status_code, null);
      assert.match(attempt.error, /^url is refused \(LOOPBACK\)/);
      assert.equal(receiver.received.length, 0);
    } finally {
      await hosted.close();
    }
  } finally {
    await receiver.close();
  }
});
