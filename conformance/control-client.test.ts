import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { startSandbox } from '@starship/sandbox/server';
import { sandboxOperations } from '@starship/spec/sandbox-operations';
import { ControlApiError, createControlClient, type ControlClient } from './control-client.ts';

const ADMIN_TOKEN = 'adm_control_client_test';

test('one method per operationId of the control API, typed from the generated sandbox types', async (t) => {
  const sandbox = await startSandbox({ port: 0, db: ':memory:', adminToken: ADMIN_TOKEN, logger: pino({ level: 'silent' }), print: () => {}, handleSignals: false });
  t.after(() => sandbox.close());
  const control = createControlClient({ origin: `${sandbox.origin}/`, adminToken: ADMIN_TOKEN });
  assert.equal(control.origin, sandbox.origin);
  for (const operationId of Object.keys(sandboxOperations)) assert.equal(typeof control[operationId as keyof ControlClient], 'function', operationId);

  const partner = await control.createPartner({ body: { name: 'Control client', wallets: [{ currency: 'USD', balance: '10.00' }] } });
  assert.match(partner.partner_id, /^ptr_/);
  const funded = await control.fundWallet({ path: { partner_id: partner.partner_id }, body: { currency: 'USD', amount: '5.00' } });
  assert.equal(funded.wallet.balance, '15.00');
  const pumped = await control.pumpInventory({ body: { partner_id: partner.partner_id, product_id: 2001, amount: '10.00', currency: 'USD', count: 2 } });
  assert.equal(pumped.added, 2);
  const before = Date.parse((await control.getClock()).now);
  const after = Date.parse((await control.advanceClock({ body: { seconds: 3600 } })).now);
  assert.ok(after - before >= 3_600_000);
  const settings = await control.updateSettings({ body: { feature_flags: { order_simulation: true } } });
  assert.equal(settings.feature_flags.order_simulation, true);
  const requests = await control.listRequests({ query: { limit: 2 } });
  assert.equal(requests.length, 0, 'the control API logs only partner traffic');
  assert.equal(await control.resetSandbox(), undefined, '204: no body');

  const missing = await control.fundWallet({ path: { partner_id: 'ptr_01KP5JFKJRHZ9SB1SVVD0X1QTN' }, body: { currency: 'USD', amount: '1.00' } }).catch((e: unknown) => e);
  assert.ok(missing instanceof ControlApiError);
  assert.equal(missing.status, 404);
  assert.equal(missing.code, 'E_NOT_FOUND');
  assert.equal(missing.operationId, 'fundWallet');
  assert.match(missing.message, /^control API fundWallet \(POST \/partners\/\{partner_id\}\/wallets\/fund\) answered 404 E_NOT_FOUND: /);

  const refused = await control.send('retryOrder', { path: { order_id: 'ord_01KP5JFKJRHZ9SB1SVVD0X1QTN' } });
  assert.equal(refused.status, 404, 'send answers a refusal instead of throwing');
  assert.equal(refused.headers.get('content-type')?.startsWith('application/json'), true);

  const stranger = createControlClient({ origin: sandbox.origin, adminToken: 'adm_wrong' });
  await assert.rejects(stranger.getSettings(), (error: unknown) => error instanceof ControlApiError && error.status === 401 && error.code === 'E_UNAUTHORIZED');
});

/** Compile-time only (typecheck): requests are checked against the spec. */
export function typedRequests(control: ControlClient): void {
  // @ts-expect-error fundWallet needs its partner_id path parameter
  void control.fundWallet({ body: { currency: 'USD', amount: '1.00' } });
  // @ts-expect-error createPartner needs a body
  void control.createPartner();
  // @ts-expect-error pumpInventory's count is a number
  void control.pumpInventory({ body: { product_id: 1, amount: '1.00', currency: 'USD', count: 'two' } });
  // @ts-expect-error no such operation
  void control.deleteEverything();
  void control.retryOrder({ path: { order_id: 'ord_1' } });
  void control.getClock();
}
