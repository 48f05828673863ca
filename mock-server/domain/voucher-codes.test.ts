import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codePrefix, generateVoucher, REDEMPTION_BASE_URL } from './voucher-codes.ts';

test('voucher material follows the delivery type', () => {
  const code = generateVoucher('Amazon Gift Card - USD', 'CODE');
  assert.match(code.code, /^AMZN-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  assert.deepEqual([code.pin, code.url], [null, null]);

  const withPin = generateVoucher('Google Play Gift Card - USD', 'CODE_WITH_PIN');
  assert.match(withPin.code, /^[0-9A-Z]{16}$/);
  assert.match(withPin.pin ?? '', /^\d{4}$/);
  assert.equal(withPin.url, null);

  const url = generateVoucher('Netflix', 'URL');
  assert.equal(url.url, REDEMPTION_BASE_URL + url.code);
  assert.equal(url.pin, null);
});

test('codes do not repeat', () => {
  const codes = new Set(Array.from({ length: 2000 }, () => generateVoucher('Steam', 'CODE').code));
  assert.equal(codes.size, 2000);
});

test('prefixes are four characters from the first word', () => {
  assert.equal(codePrefix('Amazon Gift Card - USD'), 'AMZN');
  assert.equal(codePrefix('Uber'), 'UBRB');
  assert.equal(codePrefix('7-Eleven'), '7XXX');
  assert.equal(codePrefix('—'), 'SHPH');
});
