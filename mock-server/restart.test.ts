/** State survives a restart: a sandbox on a SQLite file, stopped and started again on the same file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signRequest } from '@starship/sdk';
import { demoFileFor } from './demo-partner.ts';
import { TestSandbox } from './test-support/sandbox.ts';

test('orders, wallets, idempotency keys, the clock and the demo partner are still there after a restart', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-restart-'));
  const file = path.join(dir, 'sandbox.db');
  try {
    const first = await TestSandbox.start({ db: file });
    let orderId: string;
    let balance: string;
    let partnerKey: string;
    let partnerId: string;
    const demo = first.sandbox.demoPartner;
    const body = JSON.stringify({ product_id: 2001, amount: '15.00', quantity: 1, currency: 'USD' });
    try {
      const { client, call, partner } = await first.partner();
      partnerKey = partner.api_key;
      await first.pump(2001, '15.00', 'USD', 1);
      const placed = await call('POST', '/api/v1/orders', { body, headers: { 'Idempotency-Key': 'survives' } });
      assert.equal(placed.body.status, 'DELIVERED');
      orderId = placed.body.id;
      balance = (await client.v1.wallets.list()).items.find((w) => w.currency === 'USD')!.balance;
      await first.admin('POST', '/clock/advance', { seconds: 3600 });
      await first.admin('POST', '/clock/advance', { seconds: 7200, partner_id: partner.partner_id });
      partnerId = partner.partner_id;
      first.assertConforming();
    } finally {
      await first.close();
    }
    assert.equal(statSync(demoFileFor(file)).mode & 0o777, 0o600, 'the demo credentials file is private');

    const second = await TestSandbox.start({ db: file });
    try {
      assert.deepEqual(second.sandbox.demoPartner, demo, 'the same demo partner, not a new one');
      const clock = await second.admin('GET', '/clock');
      assert.ok(clock.offset_seconds >= 3600);
      const partnerClock = await second.admin('GET', `/clock?partner_id=${partnerId}`);
      assert.equal(partnerClock.offset_seconds - clock.offset_seconds, 7200, "the partner's own clock survives too");

      const restored = await second.sandbox.engine.findPartnerByApiKey(partnerKey);
      assert.ok(restored, 'the partner from before the restart still authenticates');
      const headers = { 'X-API-Key': partnerKey, 'X-API-Secret': restored.apiSecret };
      const signed = signRequest({ secret: restored.apiSecret, method: 'POST', path: '/api/v1/orders', body });
      const replay = await second.fetch(`${second.baseUrl}/orders`, {
        method: 'POST',
        headers: { ...headers, ...signed.headers, 'Content-Type': 'application/json', 'Idempotency-Key': 'survives' },
        body,
      });
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(((await replay.json()) as { id: string }).id, orderId);

      const order = await second.fetch(`${second.baseUrl}/orders/${orderId}`, { headers });
      assert.equal(order.status, 200);
      const fetched = (await order.json()) as { status: string; items: { voucher?: { code: string } }[] };
      assert.equal(fetched.status, 'DELIVERED');
      assert.ok(fetched.items[0]?.voucher?.code, 'vouchers still decrypt with the persisted key');
      const wallets = (await (await second.fetch(`${second.baseUrl}/wallets`, { headers })).json()) as { currency: string; balance: string }[];
      assert.equal(wallets.find((w) => w.currency === 'USD')?.balance, balance);
      second.assertConforming();
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
