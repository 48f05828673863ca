import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { formatMinor } from '../domain/money.ts';
import { openEngine } from './index.ts';
import { backendTest, logEntry, newPartner, type TestEngine } from '../test-support/engine.ts';

async function availableVouchers(engine: TestEngine): Promise<number> {
  const row = await engine.context.db
    .selectFrom('inventory_vouchers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'AVAILABLE')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

test('state survives closing and reopening the same file; vouchers still decrypt with the key file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'starship-restart-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'starship.db');

  const first = await openEngine({ file, env: {} });
  const partner = await newPartner(first);
  const scope = { partnerId: partner.partner_id, key: 'restart-1', fingerprint: 'fp' };
  await first.claimIdempotencyKey(scope);
  const order = await first.placeOrder(partner.partner_id, { product_id: 1001, amount: '50.00', quantity: 2 }, scope);
  const { endpoint } = await first.upsertWebhook(partner.partner_id, { url: 'https://partner.example/hooks', events: ['order.delivered'] });
  await first.updateSettings({ disable_auto_order_retry: false });
  await first.advanceClock(3600);
  await first.injectFault({ operation_id: 'getOrder' });
  void first.logRequest(logEntry(1, partner.partner_id, 'getOrder', '2026-04-14T08:00:00Z'));
  const stock = await availableVouchers(first);
  await first.close();

  const second = await openEngine({ file, env: {} });
  t.after(() => second.close());
  assert.deepEqual(await second.getOrder(partner.partner_id, order.id), order);
  assert.equal((await second.findPartnerByApiKey(partner.api_key))?.apiSecret, partner.api_secret);
  assert.deepEqual(await second.claimIdempotencyKey(scope), { outcome: 'REPLAYED', response: { status: 200, body: order, headers: {} } });
  assert.equal((await second.getClock()).offset_seconds, 3600);
  assert.equal((await second.getSettings()).disable_auto_order_retry, false);
  assert.equal(await availableVouchers(second), stock, 'the initial stock is not minted twice');
  assert.equal((await second.listRequests({})).total, 1, 'close writes the buffered request log');
  assert.equal((await second.takeFault('getOrder', `/api/v1/orders/${order.id}`))?.remaining, 0, 'armed faults are counted from the database on restart');
  const rotation = await second.rotateWebhookSecret(partner.partner_id, endpoint.id);
  assert.notEqual(rotation.secret, endpoint.secret);
});

test('a database reopened with another key is refused at startup', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'starship-key-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'starship.db');
  await (await openEngine({ file, env: {} })).close();
  await assert.rejects(openEngine({ file, env: { STARSHIP_ENCRYPTION_KEY: 'cd'.repeat(32) } }), /encryption key does not match/);
});

// PINs are encrypted in the same token as their code; at 4 digits they are too short to search a dump for.
backendTest('voucher codes, URLs and secrets are never stored in plaintext', async (_t, engine) => {
  const partner = await newPartner(engine);
  await engine.pumpInventory({ product_id: 2001, amount: '10.00', currency: 'USD', count: 2 });
  const scope = { partnerId: partner.partner_id, key: 'plain', fingerprint: 'fp' };
  await engine.claimIdempotencyKey(scope);
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 2 }, scope);
  const urlProduct = [...engine.context.catalog.all()].find((p) => p.deliveryType === 'URL' && p.currency === 'USD')!;
  const urlAmount = formatMinor(urlProduct.denominations[0]!.minMinor);
  const urlOrder = await engine.placeOrder(partner.partner_id, { product_id: urlProduct.id, amount: urlAmount, quantity: 1, reference: 'SANDBOX_FORCE_VENDOR' });
  assert.ok(urlOrder.items[0]?.voucher?.url);
  const { endpoint } = await engine.upsertWebhook(partner.partner_id, { url: 'https://partner.example/hooks', events: ['order.delivered'] });
  const rotated = await engine.rotateWebhookSecret(partner.partner_id, endpoint.id);

  const secrets = [
    partner.api_secret,
    endpoint.secret,
    rotated.secret,
    ...[...order.items, ...urlOrder.items].flatMap((i) => [i.voucher?.code, i.voucher?.url]).filter((v): v is string => !!v),
  ];
  assert.ok(secrets.length >= 6);
  const { db } = engine.context;
  const tables = (await db.introspection.getTables()).map((t) => t.name);
  for (const table of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    const dump = JSON.stringify(rows.rows);
    for (const secret of secrets) assert.ok(!dump.includes(secret), `${table} holds a secret in plaintext`);
  }
});
