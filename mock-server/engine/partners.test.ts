import assert from 'node:assert/strict';
import { backendTest, balanceOf, rejectsWith } from '../test-support/engine.ts';

backendTest('createPartner issues test credentials, wallets and an allowlist', async (_t, engine) => {
  const partner = await engine.createPartner({
    name: 'Acme Rewards',
    wallets: [
      { currency: 'usd', balance: '5000.00' },
      { currency: 'EUR', balance: '0' },
    ],
    ip_allowlist: ['127.0.0.1/32', '::1/128'],
    rate_limit_overrides: { orders: 2, burst: 3 },
  });
  assert.match(partner.partner_id, /^ptr_[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.match(partner.api_key, /^pk_test_[A-Za-z0-9]+$/);
  assert.match(partner.api_secret, /^sk_test_[A-Za-z0-9]+$/);
  assert.deepEqual(partner.wallets.map((w) => [w.currency, w.balance]), [['EUR', '0.00'], ['USD', '5000.00']]);
  assert.deepEqual(partner.rate_limit_overrides, { orders: 2, burst: 3 });

  assert.deepEqual(await engine.findPartnerByApiKey(partner.api_key), {
    partnerId: partner.partner_id,
    apiKey: partner.api_key,
    apiSecret: partner.api_secret,
    ipAllowlist: ['127.0.0.1/32', '::1/128'],
    rateLimitOverrides: { orders: 2, burst: 3 },
  });
  assert.equal(await engine.findPartnerByApiKey('pk_test_nope'), undefined);

  const open = await engine.createPartner({ name: 'Open' });
  assert.deepEqual([open.ip_allowlist, open.wallets, open.rate_limit_overrides], [['0.0.0.0/0', '::/0'], [], {}]);

  for (const body of [
    { name: 'x', wallets: [{ currency: 'JPY', balance: '1.00' }] },
    { name: 'x', wallets: [{ currency: 'USD', balance: '1.00' }, { currency: 'USD', balance: '2.00' }] },
    { name: 'x', wallets: [{ currency: 'USD', balance: '-1' }] },
    { name: 'x', ip_allowlist: ['10.0.0.0/33'] },
    { name: 'x', ip_allowlist: ['not-an-ip/8'] },
    { name: '   ' },
  ]) {
    await rejectsWith(engine.createPartner(body), 400, 'E_VALIDATION_FAILURE');
  }
});

backendTest('fundWallet credits (creating the wallet) and records a CREDIT', async (_t, engine) => {
  const partner = await engine.createPartner({ name: 'Acme', wallets: [{ currency: 'USD', balance: '100.00' }] });
  const funded = await engine.fundWallet(partner.partner_id, { currency: 'USD', amount: '1000.00' });
  assert.equal(funded.wallet.balance, '1100.00');
  assert.deepEqual([funded.transaction.type, funded.transaction.amount, funded.transaction.balance_after, funded.transaction.order_id], ['CREDIT', '1000.00', '1100.00', null]);
  const gbp = await engine.fundWallet(partner.partner_id, { currency: 'gbp', amount: '20' });
  assert.deepEqual([gbp.wallet.currency, gbp.wallet.balance], ['GBP', '20.00']);
  assert.equal(await balanceOf(engine, partner.partner_id, 'GBP'), '20.00');

  await rejectsWith(engine.fundWallet('ptr_01KP5JFKJRHZ9SB1SVVD0X1QTN', { currency: 'USD', amount: '1.00' }), 404, 'E_NOT_FOUND');
  await rejectsWith(engine.fundWallet(partner.partner_id, { currency: 'USD', amount: '0.00' }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.fundWallet(partner.partner_id, { currency: 'XTS', amount: '1.00' }), 400, 'E_VALIDATION_FAILURE');
});

backendTest('wallets and transactions list with filters, newest first', async (_t, engine) => {
  const partner = await engine.createPartner({ name: 'Acme', wallets: [{ currency: 'USD', balance: '100.00' }, { currency: 'AED', balance: '50.00' }] });
  const order = await engine.placeOrder(partner.partner_id, { product_id: 2001, amount: '10.00', quantity: 1 });
  await engine.cancelOrder(order.id, {});

  const wallets = await engine.listWallets(partner.partner_id, {});
  assert.deepEqual(wallets.items.map((w) => [w.currency, w.balance]), [['AED', '50.00'], ['USD', '100.00']]);
  assert.equal(wallets.total, 2);

  const all = await engine.listTransactions(partner.partner_id, {});
  assert.deepEqual(all.items.map((t) => [t.type, t.currency, t.amount, t.balance_after]), [
    ['REFUND', 'USD', '9.82', '100.00'],
    ['DEBIT', 'USD', '9.82', '90.18'],
    ['CREDIT', 'AED', '50.00', '50.00'],
    ['CREDIT', 'USD', '100.00', '100.00'],
  ]);
  assert.equal((await engine.listTransactions(partner.partner_id, { currency: 'aed' })).total, 1);
  assert.equal((await engine.listTransactions(partner.partner_id, { type: 'DEBIT' })).items[0]?.order_id, order.id);
  assert.deepEqual((await engine.listTransactions(partner.partner_id, { limit: 1, page: 2 })).items.map((t) => t.type), ['DEBIT']);
  const later = new Date(Date.parse((await engine.getClock()).now) + 1).toISOString();
  assert.equal((await engine.listTransactions(partner.partner_id, { from: later })).total, 0);
  assert.equal((await engine.listTransactions(partner.partner_id, { to: later })).total, 4);
  await rejectsWith(engine.listTransactions(partner.partner_id, { type: 'GIFT' as 'DEBIT' }), 400, 'E_VALIDATION_FAILURE');
  await rejectsWith(engine.listTransactions(partner.partner_id, { from: later, to: '2000-01-01T00:00:00Z' }), 400, 'E_VALIDATION_FAILURE');
});
