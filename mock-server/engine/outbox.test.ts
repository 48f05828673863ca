/** The outbox: events written in the state change's own transaction, one delivery per subscribed endpoint. */
import assert from 'node:assert/strict';
import { backendTest, newPartner, rejectsWith, type TestEngine } from '../test-support/engine.ts';
import { findOrder } from './order-view.ts';
import { recordOrderEvent } from './outbox.ts';

const URL_A = 'https://a.partner.example/hooks';
const URL_B = 'https://b.partner.example/hooks';

async function events(engine: TestEngine) {
  return engine.context.db.selectFrom('webhook_events').selectAll().orderBy('id').execute();
}

async function deliveries(engine: TestEngine) {
  return engine.context.db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();
}

function pendingOrder(engine: TestEngine, partnerId: string, reference = 'SANDBOX_FORCE_PENDING') {
  return engine.placeOrder(partnerId, { product_id: 2001, amount: '10.00', quantity: 1, currency: 'USD', reference });
}

backendTest('no subscriber: placing an order stores no event', async (_t, engine) => {
  const partner = await newPartner(engine);
  await engine.upsertWebhook(partner.partner_id, { url: URL_A, events: ['order.cancelled'] });
  await pendingOrder(engine, partner.partner_id);
  assert.deepEqual(await events(engine), []);
});

backendTest('one event per state change, one delivery per ACTIVE subscribed endpoint', async (_t, engine) => {
  const partner = await newPartner(engine);
  const a = await engine.upsertWebhook(partner.partner_id, { url: URL_A, events: ['order.pending', 'order.cancelled'] });
  const b = await engine.upsertWebhook(partner.partner_id, { url: URL_B, events: ['order.pending'] });
  const off = await engine.upsertWebhook(partner.partner_id, { url: 'https://c.partner.example/hooks', events: ['order.pending'] });
  await engine.updateWebhook(partner.partner_id, off.endpoint.id, { url: 'https://c.partner.example/hooks', events: ['order.pending'], status: 'DISABLED' });
  const order = await pendingOrder(engine, partner.partner_id);
  await engine.cancelOrder(order.id, { reason: 'Changed our mind.' });

  const stored = await events(engine);
  assert.deepEqual(stored.map((e) => e.type), ['order.pending', 'order.cancelled']);
  const list = await deliveries(engine);
  assert.deepEqual(
    list.map((d) => [d.event_type, d.webhook_id, d.status]).sort(),
    [
      ['order.cancelled', a.endpoint.id, 'PENDING'],
      ['order.pending', a.endpoint.id, 'PENDING'],
      ['order.pending', b.endpoint.id, 'PENDING'],
    ].sort(),
  );
  const cancelled = JSON.parse(stored[1]!.payload_json);
  assert.equal(cancelled.event_id, stored[1]!.id);
  assert.equal(cancelled.event, 'order.cancelled');
  assert.equal(cancelled.data.reason, 'Changed our mind.');
  assert.equal(cancelled.data.status, 'CANCELLED');
});

backendTest('a rolled-back change leaves no event; a rejected order stores none', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '5.00' }]);
  await engine.upsertWebhook(partner.partner_id, { url: URL_A, events: ['order.pending', 'order.delivered'] });
  await rejectsWith(pendingOrder(engine, partner.partner_id), 422, 'E_INSUFFICIENT_FUNDS');
  assert.deepEqual(await events(engine), []);

  await engine.fundWallet(partner.partner_id, { currency: 'USD', amount: '100.00' });
  const order = await pendingOrder(engine, partner.partner_id);
  const row = (await findOrder(engine.context.db, order.id))!;
  await assert.rejects(
    engine.context.db.transaction().execute(async (trx) => {
      await recordOrderEvent(engine.context, trx, row);
      throw new Error('the state change failed after its event was written');
    }),
  );
  assert.equal((await events(engine)).length, 1, 'only the placement event');
  assert.equal((await deliveries(engine)).length, 1);
});

backendTest('operator and pump changes emit in their transaction; a retry that changes nothing emits nothing', async (_t, engine) => {
  const partner = await newPartner(engine);
  await engine.upsertWebhook(partner.partner_id, { url: URL_A, events: ['order.pending', 'order.delivered', 'order.partially_delivered', 'order.failed'] });
  const retried = await pendingOrder(engine, partner.partner_id, 'SANDBOX_FORCE_PENDING:1');
  const failed = await pendingOrder(engine, partner.partner_id, 'SANDBOX_FORCE_PENDING:2');
  await engine.retryOrder(retried.id);
  await engine.failOrder(failed.id, {});
  await engine.updateSettings({ disable_auto_order_retry: false });
  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 1 });
  const byOrder = (await events(engine)).map((e) => [e.subject_id, e.type]);
  assert.deepEqual(byOrder, [
    [retried.id, 'order.pending'],
    [failed.id, 'order.pending'],
    [failed.id, 'order.failed'],
    [retried.id, 'order.delivered'],
  ]);
  const delivered = JSON.parse((await events(engine)).at(-1)!.payload_json);
  assert.equal(delivered.data.items[0].status, 'DELIVERED');
  assert.ok(!JSON.stringify(delivered).includes('"code"'));
});

backendTest('wallet.balance_threshold: once per downward crossing, only with its flag on', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '40.00' }]);
  await rejectsWith(engine.upsertWebhook(partner.partner_id, { url: URL_A, events: ['wallet.balance_threshold'] }), 400, 'E_VALIDATION_FAILURE');
  await engine.updateSettings({ feature_flags: { webhook_wallet_balance_threshold: true } });
  await engine.upsertWebhook(partner.partner_id, { url: URL_A, events: ['wallet.balance_threshold'] });
  const set = await engine.setWalletThreshold(partner.partner_id, 'usd', { threshold: '25.00' });
  assert.deepEqual(set, { partner_id: partner.partner_id, currency: 'USD', balance: '40.00', threshold: '25.00' });
  await rejectsWith(engine.setWalletThreshold(partner.partner_id, 'EUR', { threshold: '1.00' }), 404, 'E_NOT_FOUND');

  await pendingOrder(engine, partner.partner_id); // 40.00 → 30.18: still above
  assert.equal((await events(engine)).length, 0);
  await pendingOrder(engine, partner.partner_id); // → 20.36: crosses
  await pendingOrder(engine, partner.partner_id); // → 10.54: already below
  const stored = await events(engine);
  assert.equal(stored.length, 1);
  assert.deepEqual(JSON.parse(stored[0]!.payload_json).data, { currency: 'USD', balance: '20.36', threshold: '25.00' });

  await engine.fundWallet(partner.partner_id, { currency: 'USD', amount: '20.00' }); // back above: re-armed
  await engine.updateSettings({ feature_flags: { webhook_wallet_balance_threshold: false } });
  await pendingOrder(engine, partner.partner_id); // crosses again, flag off
  assert.equal((await events(engine)).length, 1);
});

backendTest('reconciliation drifts: in the report of the order\'s day, with reconciliation.drift behind its flag', async (_t, engine) => {
  const partner = await newPartner(engine);
  const delivered = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 2, currency: 'USD', reference: 'SANDBOX_FORCE_VENDOR' });
  const pending = await pendingOrder(engine, partner.partner_id);
  const date = delivered.created_at.slice(0, 10);
  await rejectsWith(engine.getReconciliation(partner.partner_id, date), 404, 'E_FEATURE_DISABLED');
  await engine.updateSettings({ feature_flags: { reconciliation_api: true, webhook_reconciliation_drift: true } });
  await engine.upsertWebhook(partner.partner_id, { url: URL_A, events: ['reconciliation.drift'] });

  const clean = await engine.getReconciliation(partner.partner_id, date);
  assert.deepEqual(clean.summary, { orders_total: 2, vouchers_allocated: 2, matched: 2, drifted: 0, unmatched: 0 });

  const injected = await engine.injectReconciliationDrift({ order_id: delivered.id, resolution: 'ESCALATED' });
  assert.equal(injected.date, date);
  await engine.injectReconciliationDrift({ order_id: delivered.id, vendor_record: 'VKRT-****-0001' });
  await rejectsWith(engine.injectReconciliationDrift({ order_id: delivered.id }), 409, 'E_INVALID_ORDER_STATE');
  await rejectsWith(engine.injectReconciliationDrift({ order_id: pending.id }), 409, 'E_INVALID_ORDER_STATE');
  await rejectsWith(engine.injectReconciliationDrift({ order_id: 'ord_01KP5JHE5RPHMY8VB485T2M51E' }), 404, 'E_NOT_FOUND');

  const report = await engine.getReconciliation(partner.partner_id, date);
  assert.deepEqual(report.summary, { orders_total: 2, vouchers_allocated: 2, matched: 0, drifted: 2, unmatched: 0 });
  assert.deepEqual(report.drifts.map((d) => [d.order_id, d.vendor, d.resolution, d.vendor_record === 'VKRT-****-0001']), [
    [delivered.id, 'VOUCHERKART', 'ESCALATED', false],
    [delivered.id, 'VOUCHERKART', 'PENDING', true],
  ]);
  const codes = (await engine.getOrder(partner.partner_id, delivered.id)).items.flatMap((i) => [i.voucher?.code, i.voucher?.pin]).filter(Boolean) as string[];
  const text = JSON.stringify(report) + JSON.stringify(await events(engine));
  for (const code of codes) assert.ok(!text.includes(code), 'no voucher code in a drift or its event');

  const stored = await events(engine);
  assert.deepEqual(stored.map((e) => e.type), ['reconciliation.drift', 'reconciliation.drift']);
  assert.deepEqual(JSON.parse(stored[0]!.payload_json).data, {
    date,
    order_id: delivered.id,
    vendor: 'VOUCHERKART',
    product_id: 2001,
    detected_at: injected.drift.detected_at,
    resolution: 'ESCALATED',
  });
  const other = await newPartner(engine);
  assert.equal((await engine.getReconciliation(other.partner_id, date)).drifts.length, 0);
});

backendTest('resetSandbox removes events, deliveries, attempts, faults and drifts', async (_t, engine) => {
  const partner = await newPartner(engine);
  await engine.upsertWebhook(partner.partner_id, { url: URL_A, events: ['order.delivered'] });
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 1, currency: 'USD', reference: 'SANDBOX_FORCE_VENDOR' });
  await engine.injectReconciliationDrift({ order_id: order.id });
  await engine.injectWebhookFault({ kind: 'DUPLICATE' });
  await engine.resetSandbox();
  const { db } = engine.context;
  for (const table of ['webhook_events', 'webhook_deliveries', 'webhook_attempts', 'webhook_faults', 'reconciliation_drifts'] as const) {
    assert.equal((await db.selectFrom(table).select('id').execute()).length, 0, table);
  }
});
