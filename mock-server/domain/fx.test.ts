import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CURRENCIES, currencyInfo, fxRate, isSupportedCurrency } from './fx.ts';

test('cross rates are per_usd(to) / per_usd(from) rounded to 6 decimals', () => {
  const cases: Array<[string, string, string]> = [
    ['USD', 'USD', '1'],
    ['USD', 'EUR', '0.92'],
    ['EUR', 'USD', '1.086957'],
    ['USD', 'INR', '83.2'],
    ['INR', 'USD', '0.012019'],
    ['GBP', 'AED', '4.648734'],
    ['AED', 'AED', '1'],
  ];
  for (const [from, to, rate] of cases) assert.equal(fxRate(from, to).decimal, rate, `${from}→${to}`);
  assert.equal(fxRate('EUR', 'USD').scaled, 1086957);
});

test('every pair of catalog currencies has a rate matching the Charges rate pattern', () => {
  for (const a of CURRENCIES) {
    for (const b of CURRENCIES) assert.match(fxRate(a.code, b.code).decimal, /^\d+(\.\d{1,10})?$/);
  }
});

test('unknown currencies have no rate; lookups take any case', () => {
  assert.throws(() => fxRate('USD', 'JPY'), RangeError);
  assert.equal(isSupportedCurrency('jpy'), false);
  assert.equal(currencyInfo('usd')?.id, 1);
});
