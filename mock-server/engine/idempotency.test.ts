import assert from 'node:assert/strict';
import { backendTest, newPartner } from '../test-support/engine.ts';

/** Real time stands still in these tests, so only advanceClock moves the sandbox clock. */
const frozen = { realNow: () => Date.UTC(2026, 3, 14, 8, 43, 15) };

backendTest('claim outcomes: NEW, IN_USE, MISMATCH, REPLAYED, and NEW again after 24 h', async (_t, engine) => {
  const partner = await newPartner(engine);
  const scope = { partnerId: partner.partner_id, key: 'order-1', fingerprint: 'fp-a' };
  assert.deepEqual(await engine.claimIdempotencyKey(scope), { outcome: 'NEW' });
  assert.deepEqual(await engine.claimIdempotencyKey(scope), { outcome: 'IN_USE' });
  assert.deepEqual(await engine.claimIdempotencyKey({ ...scope, fingerprint: 'fp-b' }), { outcome: 'MISMATCH' });

  const order = await engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1 }, scope);
  // The HTTP layer completes every claim after its handler; the order's own transaction already did.
  await engine.completeIdempotencyKey(scope, { status: 200, body: order, headers: {} });
  const replay = await engine.claimIdempotencyKey(scope);
  assert.deepEqual(replay, { outcome: 'REPLAYED', response: { status: 200, body: order, headers: {} } });
  assert.deepEqual(await engine.claimIdempotencyKey({ ...scope, fingerprint: 'fp-b' }), { outcome: 'MISMATCH' });

  // Keys are per partner.
  const other = await newPartner(engine);
  assert.deepEqual(await engine.claimIdempotencyKey({ ...scope, partnerId: other.partner_id }), { outcome: 'NEW' });

  await engine.advanceClock(86_400);
  assert.equal((await engine.claimIdempotencyKey({ ...scope, fingerprint: 'fp-b' })).outcome, 'MISMATCH', 'kept for 24 h');
  await engine.advanceClock(1);
  assert.deepEqual(await engine.claimIdempotencyKey({ ...scope, fingerprint: 'fp-b' }), { outcome: 'NEW' });
}, frozen);

backendTest('release frees a key whose request failed; completion outside placeOrder is stored too', async (_t, engine) => {
  const partner = await newPartner(engine);
  const scope = { partnerId: partner.partner_id, key: 'k', fingerprint: 'fp' };
  await engine.claimIdempotencyKey(scope);
  await engine.releaseIdempotencyKey(scope);
  assert.deepEqual(await engine.claimIdempotencyKey({ ...scope, fingerprint: 'other' }), { outcome: 'NEW' });

  const webhookScope = { partnerId: partner.partner_id, key: 'wh', fingerprint: 'fp' };
  await engine.claimIdempotencyKey(webhookScope);
  const stored = { status: 201, body: { id: 'wh_1' }, headers: { location: '/webhooks/wh_1' } };
  await engine.completeIdempotencyKey(webhookScope, stored);
  await engine.releaseIdempotencyKey(webhookScope);
  assert.deepEqual(await engine.claimIdempotencyKey(webhookScope), { outcome: 'REPLAYED', response: stored });
});

backendTest('an order that fails rolls back its idempotency completion', async (_t, engine) => {
  const partner = await newPartner(engine, [{ currency: 'USD', balance: '1.00' }]);
  const scope = { partnerId: partner.partner_id, key: 'broke', fingerprint: 'fp' };
  assert.equal((await engine.claimIdempotencyKey(scope)).outcome, 'NEW');
  await assert.rejects(engine.placeOrder(partner.partner_id, { product_id: 1001, amount: '25.00', quantity: 1 }, scope));
  assert.equal((await engine.claimIdempotencyKey(scope)).outcome, 'IN_USE', 'still IN_PROGRESS until the HTTP layer releases it');
  await engine.releaseIdempotencyKey(scope);
  assert.equal((await engine.claimIdempotencyKey(scope)).outcome, 'NEW');
});

backendTest('an IN_PROGRESS claim abandoned for 5 minutes can be claimed again', async (_t, engine) => {
  const partner = await newPartner(engine);
  const scope = { partnerId: partner.partner_id, key: 'crashed', fingerprint: 'fp' };
  await engine.claimIdempotencyKey(scope);
  await engine.advanceClock(300);
  assert.equal((await engine.claimIdempotencyKey(scope)).outcome, 'IN_USE');
  await engine.advanceClock(1);
  assert.equal((await engine.claimIdempotencyKey(scope)).outcome, 'NEW');
}, frozen);
