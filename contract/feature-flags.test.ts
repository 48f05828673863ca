import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featureTable, flagSettingKey } from './feature-flags.ts';
import { loadSpec } from './spec.ts';

const planned = (flag: string) => ({ 'x-starship-planned': true, 'x-starship-feature-flag': flag });

test('the bundled partner spec: two planned operations and two planned events, each behind its own flag', () => {
  const table = featureTable(loadSpec('starship'));
  assert.deepEqual(Object.fromEntries(table.operations), { simulateOrder: 'ORDER_SIMULATION', getReconciliation: 'RECONCILIATION_API' });
  assert.equal(table.events.get('reconciliation.drift'), 'WEBHOOK_RECONCILIATION_DRIFT');
  assert.equal(table.events.get('wallet.balance_threshold'), 'WEBHOOK_WALLET_BALANCE_THRESHOLD');
  assert.equal(table.events.get('order.delivered'), undefined);
  assert.ok(table.events.has('order.delivered'), 'released events are listed too');
  assert.deepEqual(table.flags, ['ORDER_SIMULATION', 'RECONCILIATION_API', 'WEBHOOK_RECONCILIATION_DRIFT', 'WEBHOOK_WALLET_BALANCE_THRESHOLD']);
  assert.deepEqual(featureTable(loadSpec('sandbox')).flags, [], 'the control API plans nothing');
});

test('operations behind references, path items behind references, webhooks and flags shared by several', () => {
  const doc = {
    paths: {
      '/a': { get: { operationId: 'getA', ...planned('NEW_THINGS') }, post: { operationId: 'postA' } },
      '/b': { $ref: '#/components/pathItems/B' },
    },
    webhooks: { 'thing.created': { post: planned('NEW_THINGS') }, 'order.done': { post: {} }, 'odd.entry': {} },
    components: { pathItems: { B: { put: { operationId: 'putB', ...planned('B_FLAG') } } } },
  };
  const table = featureTable(doc);
  assert.deepEqual(Object.fromEntries(table.operations), { getA: 'NEW_THINGS', putB: 'B_FLAG' });
  assert.deepEqual(Object.fromEntries(table.events), { 'thing.created': 'NEW_THINGS', 'order.done': undefined, 'odd.entry': undefined });
  assert.deepEqual(table.flags, ['B_FLAG', 'NEW_THINGS']);
});

test('the two extensions must agree', () => {
  const cases: [what: string, operation: Record<string, unknown>, error: RegExp][] = [
    ['planned without a flag', { operationId: 'x', 'x-starship-planned': true }, /x is planned but names no UPPER_SNAKE/],
    ['a flag that is not UPPER_SNAKE', { operationId: 'x', ...planned('lower_case') }, /UPPER_SNAKE/],
    ['a flag on a released operation', { operationId: 'x', 'x-starship-feature-flag': 'SOME_FLAG' }, /x names feature flag SOME_FLAG but is not x-starship-planned/],
  ];
  for (const [what, operation, error] of cases) assert.throws(() => featureTable({ paths: { '/x': { get: operation } } }), error, what);
  assert.throws(() => featureTable({ webhooks: { 'a.b': { post: { 'x-starship-planned': true } } } }), /webhook a\.b is planned/);
});

test('a flag is switched in the settings under its lower-case name', () => {
  assert.equal(flagSettingKey('WEBHOOK_RECONCILIATION_DRIFT'), 'webhook_reconciliation_drift');
});
