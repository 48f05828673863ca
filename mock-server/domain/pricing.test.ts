import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDenomination, quote } from './pricing.ts';

test('quotes follow the Charges formula (the spec examples included)', () => {
  const cases = [
    // Amazon USD 2 × 25.00 at 2.5 % → 48.75 (createOrder example)
    { unitMinor: 2500, quantity: 2, discountBp: 250, productCurrency: 'USD', settlementCurrency: 'USD', discount: 125, fees: [], total: 4875 },
    // Google Play USD 10.00 at 1.8 % → 9.82
    { unitMinor: 1000, quantity: 1, discountBp: 180, productCurrency: 'USD', settlementCurrency: 'USD', discount: 18, fees: [], total: 982 },
    // bulk 100 × 10.00 at 2.5 % → 975.00
    { unitMinor: 1000, quantity: 100, discountBp: 250, productCurrency: 'USD', settlementCurrency: 'USD', discount: 2500, fees: [], total: 97500 },
    // EUR product settled in USD: net 48.75, fee 0.49, (48.75 + 0.49) × 1.086957 = 53.5217… → 53.52
    { unitMinor: 2500, quantity: 2, discountBp: 250, productCurrency: 'EUR', settlementCurrency: 'USD', discount: 125, fees: [49], total: 5352 },
    // INR product settled in USD: 1 × 500.00 at 0 %, fee 5.00, 505.00 × 0.012019 = 6.069595 → 6.07
    { unitMinor: 50000, quantity: 1, discountBp: 0, productCurrency: 'INR', settlementCurrency: 'USD', discount: 0, fees: [500], total: 607 },
  ];
  for (const c of cases) {
    const q = quote(c);
    assert.equal(q.subtotalMinor, c.unitMinor * c.quantity);
    assert.equal(q.discountMinor, c.discount);
    assert.deepEqual(q.fees.map((f) => f.amountMinor), c.fees);
    assert.equal(q.totalMinor, c.total, JSON.stringify(c));
    if (c.fees.length) assert.equal(q.fees[0]!.type, 'FX_FEE');
  }
});

test('findDenomination picks the range an amount falls in', () => {
  const denominations = [
    { minMinor: 1000, maxMinor: 1000, discountBp: 100 },
    { minMinor: 2000, maxMinor: 50000, discountBp: 250 },
  ];
  assert.equal(findDenomination(denominations, 1000)?.discountBp, 100);
  assert.equal(findDenomination(denominations, 2500)?.discountBp, 250);
  assert.equal(findDenomination(denominations, 50000)?.discountBp, 250);
  assert.equal(findDenomination(denominations, 1500), undefined);
  assert.equal(findDenomination(denominations, 50001), undefined);
});
