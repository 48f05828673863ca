/**
 * Regression (issue 18): a partner whose receiver hangs placed 160 orders, and another partner's
 * order.delivered reached its healthy endpoint 49 s later (16 send slots shared by all, taken oldest first).
 * Now a hanging receiver holds its partner's share of the slots and no more: the healthy partner's event
 * arrives while most of the hanging partner's deliveries have not even been tried (the old dispatcher sent
 * every one of them, 5 s per round of 16, before anything newer).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestSandbox, type TestPartner } from '../test-support/sandbox.ts';
import { TestReceiver } from '../test-support/webhook-receiver.ts';

let keys = 0;
const UNLIMITED = { product_list: 1_000_000, product_details: 1_000_000, orders: 1_000_000, default: 1_000_000, burst: 1_000_000 };

async function subscribe(partner: TestPartner, url: string) {
  const reply = await partner.call('POST', '/api/v1/webhooks', {
    body: JSON.stringify({ url, events: ['order.delivered', 'order.pending'] }),
    headers: { 'Idempotency-Key': `fair-${++keys}` },
  });
  assert.equal(reply.status, 201);
}

function order(partner: TestPartner) {
  const n = ++keys;
  return partner.call('POST', '/api/v1/orders', {
    body: JSON.stringify({ product_id: 1001, amount: '10.00', quantity: 1, reference: `fair-${n}` }),
    headers: { 'Idempotency-Key': `fair-${n}` },
  });
}

test("a hanging receiver delays only its own partner: another partner's event arrives before that partner's backlog", { timeout: 60_000 }, async () => {
  const ts = await TestSandbox.start();
  const hanging = await Promise.all([TestReceiver.start('/a'), TestReceiver.start('/b')]);
  const healthy = await TestReceiver.start();
  for (const r of hanging) r.answer = () => 'hang';
  try {
    const wallets = [{ currency: 'USD', balance: '100000.00' }];
    const flooder = await ts.partner({ wallets, rate_limit_overrides: UNLIMITED });
    const other = await ts.partner({ wallets });
    for (const r of hanging) await subscribe(flooder, r.url);
    await subscribe(other, healthy.url);

    // 2 endpoints × 60 orders: 120 deliveries that each hang for 5 s, more than every send slot.
    const flood = await Promise.all(Array.from({ length: 60 }, () => order(flooder)));
    assert.ok(flood.every((r) => r.status === 200));
    await hanging[0]!.until(() => hanging[0]!.received.length > 0, 'the first hanging send');
    const placed = await order(other);
    assert.equal(placed.status, 200);
    await healthy.until(() => healthy.received.some((r) => r.body.includes(placed.body.id)), "the other partner's delivery", 20_000);

    const tried = hanging.reduce((n, r) => n + r.received.length, 0);
    assert.ok(tried <= 64, `when the other partner's event arrived, ${tried} of the 120 hanging deliveries had been tried`);
  } finally {
    await ts.close();
    await Promise.all([...hanging, healthy].map((r) => r.close()));
  }
});
