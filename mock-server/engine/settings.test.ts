import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureTable, loadSpec, locate } from '@starship/contract';
import { DEFAULT_SETTINGS, settingOf, WEBHOOK_EVENT_FLAGS } from './settings.ts';

test('every flag the partner spec plans behind can be switched: the control API lists it in its settings, off by default', () => {
  const sandbox = loadSpec('sandbox');
  const keysOf = (pointer: string) => Object.keys(locate(sandbox, pointer)?.node.properties ?? {}).sort();
  const planned = featureTable(loadSpec('starship')).flags.map(settingOf).sort();
  assert.deepEqual(keysOf('/components/schemas/FeatureFlags'), planned);
  assert.deepEqual(keysOf('/components/schemas/SettingsPatch/properties/feature_flags'), planned);
  assert.deepEqual(DEFAULT_SETTINGS.feature_flags, Object.fromEntries(planned.map((key) => [key, false])));
});

test('webhook events come from the spec, planned ones with their flag', () => {
  assert.deepEqual([...WEBHOOK_EVENT_FLAGS.keys()].sort(), Object.keys(loadSpec('starship').webhooks as object).sort());
  assert.equal(WEBHOOK_EVENT_FLAGS.get('order.delivered'), undefined);
  assert.equal(WEBHOOK_EVENT_FLAGS.get('wallet.balance_threshold'), 'WEBHOOK_WALLET_BALANCE_THRESHOLD');
});
