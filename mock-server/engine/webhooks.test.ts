import assert from 'node:assert/strict';
import { backendTest, newPartner, rejectsWith } from '../test-support/engine.ts';
import { signingSecrets } from './webhooks.ts';

const frozen = { realNow: () => Date.UTC(2026, 3, 14, 9, 0, 0) };

backendTest('upsert registers once per url and keeps the secret', async (_t, engine) => {
  const partner = await newPartner(engine);
  const first = await engine.upsertWebhook(partner.partner_id, { url: 'https://partner.example/hooks', events: ['order.delivered', 'order.delivered', 'order.pending'], description: 'Prod' });
  assert.equal(first.created, true);
  assert.match(first.endpoint.id, /^wh_[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.match(first.endpoint.secret, /^whsec_[0-9a-f]{48}$/);
  assert.deepEqual([first.endpoint.events, first.endpoint.status, first.endpoint.description], [['order.delivered', 'order.pending'], 'ACTIVE', 'Prod']);

  const again = await engine.upsertWebhook(partner.partner_id, { url: 'https://partner.example/hooks', events: ['order.failed'] });
  assert.equal(again.created, false);
  assert.equal(again.endpoint.id, first.endpoint.id);
  assert.equal(again.endpoint.secret, first.endpoint.secret);
  assert.deepEqual([again.endpoint.events, again.endpoint.description], [['order.failed'], null]);

  const second = await engine.upsertWebhook(partner.partner_id, { url: 'http://localhost:9000/hooks', events: ['order.cancelled'] });
  const listed = await engine.listWebhooks(partner.partner_id, {});
  assert.deepEqual(listed.items.map((e) => e.id), [first.endpoint.id, second.endpoint.id], 'oldest first');
  assert.ok(listed.items.every((e) => !('secret' in e)));
  assert.equal((await engine.listWebhooks((await newPartner(engine)).partner_id, {})).total, 0);
});

backendTest('update replaces settings; delete removes; both scoped to the partner', async (_t, engine) => {
  const partner = await newPartner(engine);
  const other = await newPartner(engine);
  const { endpoint } = await engine.upsertWebhook(partner.partner_id, { url: 'https://a.example/h', events: ['order.delivered'], description: 'A' });
  const { endpoint: b } = await engine.upsertWebhook(partner.partner_id, { url: 'https://b.example/h', events: ['order.delivered'] });
  const updated = await engine.updateWebhook(partner.partner_id, endpoint.id, { url: 'https://c.example/h', events: ['order.failed'], status: 'DISABLED' });
  assert.deepEqual([updated.url, updated.events, updated.status, updated.description], ['https://c.example/h', ['order.failed'], 'DISABLED', null]);
  const reset = await engine.updateWebhook(partner.partner_id, endpoint.id, { url: 'https://c.example/h', events: ['order.failed'] });
  assert.equal(reset.status, 'ACTIVE', 'omitted fields go back to their defaults');
  await rejectsWith(engine.updateWebhook(partner.partner_id, endpoint.id, { url: b.url, events: ['order.failed'] }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.updateWebhook(other.partner_id, endpoint.id, { url: 'https://d.example', events: ['order.failed'] }), 404, 'E_NOT_FOUND');
  await rejectsWith(engine.deleteWebhook(other.partner_id, endpoint.id), 404, 'E_NOT_FOUND');
  await engine.deleteWebhook(partner.partner_id, endpoint.id);
  await rejectsWith(engine.deleteWebhook(partner.partner_id, endpoint.id), 404, 'E_NOT_FOUND');
  assert.deepEqual((await engine.listWebhooks(partner.partner_id, {})).items.map((e) => e.id), [b.id]);
});

backendTest('planned events need their feature flag; urls must be http(s)', async (_t, engine) => {
  const partner = await newPartner(engine);
  await rejectsWith(engine.upsertWebhook(partner.partner_id, { url: 'https://x.example', events: ['reconciliation.drift'] }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.upsertWebhook(partner.partner_id, { url: 'ftp://x.example', events: ['order.delivered'] }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.upsertWebhook(partner.partner_id, { url: 'https://x.example', events: [] }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.upsertWebhook(partner.partner_id, { url: 'https://x.example', events: ['order.shipped' as 'order.pending'] }), 400, 'E_VALIDATION_FAILURE');
  await engine.updateSettings({ feature_flags: { webhook_reconciliation_drift: true } });
  const { endpoint } = await engine.upsertWebhook(partner.partner_id, { url: 'https://x.example', events: ['reconciliation.drift'] });
  assert.deepEqual(endpoint.events, ['reconciliation.drift']);
  await rejectsWith(engine.upsertWebhook(partner.partner_id, { url: 'https://x.example', events: ['wallet.balance_threshold'] }), 400, 'E_VALIDATION_FAILURE');
});

backendTest('rotation keeps the previous secret signing for 24 h', async (_t, engine) => {
  const partner = await newPartner(engine);
  const { endpoint } = await engine.upsertWebhook(partner.partner_id, { url: 'https://partner.example/hooks', events: ['order.delivered'] });
  assert.deepEqual(await signingSecrets(engine.context, endpoint.id), [endpoint.secret]);

  const rotation = await engine.rotateWebhookSecret(partner.partner_id, endpoint.id);
  assert.equal(rotation.webhook_id, endpoint.id);
  assert.equal(rotation.previous_secret_expires_at, '2026-04-15T09:00:00.000Z');
  assert.deepEqual(await signingSecrets(engine.context, endpoint.id), [rotation.secret, endpoint.secret]);

  await engine.advanceClock(3600);
  const again = await engine.rotateWebhookSecret(partner.partner_id, endpoint.id);
  assert.deepEqual(await signingSecrets(engine.context, endpoint.id), [again.secret, rotation.secret], 'at most two secrets are live');

  await engine.advanceClock(86_400);
  assert.deepEqual(await signingSecrets(engine.context, endpoint.id), [again.secret]);
  assert.equal((await engine.upsertWebhook(partner.partner_id, { url: endpoint.url, events: ['order.delivered'] })).endpoint.secret, again.secret);
  await rejectsWith(engine.rotateWebhookSecret((await newPartner(engine)).partner_id, endpoint.id), 404, 'E_NOT_FOUND');
}, frozen);
