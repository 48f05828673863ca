import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMinor, MAX_MINOR, MoneyFormatError, MoneyRangeError, mulDivHalfUp, numberToMinor, toMinor } from './money.ts';

test('toMinor parses the DecimalAmount forms', () => {
  const cases: Array<[string, number]> = [
    ['25.00', 2500],
    ['25', 2500],
    ['25.5', 2550],
    ['0.01', 1],
    ['0', 0],
    ['007.10', 710],
    ['9999999999999.99', MAX_MINOR],
  ];
  for (const [input, expected] of cases) assert.equal(toMinor(input), expected, input);
});

test('toMinor rejects what the DecimalAmount pattern rejects', () => {
  for (const bad of ['', '1.', '.5', '1.234', '-1', '1e3', ' 1', '1,00']) {
    assert.throws(() => toMinor(bad), MoneyFormatError, bad);
  }
});

test('toMinor refuses amounts above the largest 16-character DecimalAmount as out of range', () => {
  assert.equal(formatMinor(MAX_MINOR), '9999999999999.99');
  for (const big of ['10000000000000', '9999999999999999', '90071992547409.92']) {
    assert.throws(() => toMinor(big), MoneyRangeError, big);
  }
});

test('formatMinor always writes two fraction digits', () => {
  const cases: Array<[number, string]> = [
    [2500, '25.00'],
    [1, '0.01'],
    [0, '0.00'],
    [-50, '-0.50'],
    [4875, '48.75'],
  ];
  for (const [input, expected] of cases) assert.equal(formatMinor(input), expected);
  assert.throws(() => formatMinor(1.5), RangeError);
});

test('numberToMinor accepts catalog numbers with at most two decimals', () => {
  assert.equal(numberToMinor(100), 10000);
  assert.equal(numberToMinor(0.1 + 0.2), 30);
  assert.equal(numberToMinor(19.99), 1999);
  assert.equal(numberToMinor(1.005), undefined);
  assert.equal(numberToMinor(-1), undefined);
  assert.equal(numberToMinor(Number.NaN), undefined);
});

test('mulDivHalfUp rounds half up exactly', () => {
  assert.equal(mulDivHalfUp(5000, 250, 10000), 125); // 2.5 % of 50.00
  assert.equal(mulDivHalfUp(1000, 180, 10000), 18); // 1.8 % of 10.00
  assert.equal(mulDivHalfUp(5, 1, 10), 1); // 0.5 → 1
  assert.equal(mulDivHalfUp(4, 1, 10), 0); // 0.4 → 0
  assert.equal(mulDivHalfUp(MAX_MINOR, 1, 1), MAX_MINOR);
  assert.throws(() => mulDivHalfUp(MAX_MINOR, 2, 1), MoneyRangeError);
  assert.throws(() => mulDivHalfUp(-1, 1, 1), RangeError);
});
