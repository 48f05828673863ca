import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decryptText, DecryptionError, encryptText, generateKey, parseKey } from './voucher-crypto.ts';

test('round-trips and never repeats a ciphertext', () => {
  const key = generateKey();
  const a = encryptText(key, 'AMZN-7K4Q-9XPL-2M8D', 'voucher:vch_1');
  const b = encryptText(key, 'AMZN-7K4Q-9XPL-2M8D', 'voucher:vch_1');
  assert.notEqual(a, b);
  assert.ok(!a.includes('AMZN'));
  assert.equal(decryptText(key, a, 'voucher:vch_1'), 'AMZN-7K4Q-9XPL-2M8D');
});

test('a wrong key, a wrong context or a flipped bit fails authentication', () => {
  const key = generateKey();
  const token = encryptText(key, 'secret', 'partner:ptr_1');
  assert.throws(() => decryptText(generateKey(), token, 'partner:ptr_1'), DecryptionError);
  assert.throws(() => decryptText(key, token, 'partner:ptr_2'), DecryptionError);
  const raw = Buffer.from(token, 'base64url');
  raw[14] = raw[14]! ^ 1;
  assert.throws(() => decryptText(key, raw.toString('base64url'), 'partner:ptr_1'), DecryptionError);
  assert.throws(() => decryptText(key, 'abc', 'partner:ptr_1'), DecryptionError);
});

test('keys are 32 bytes, given as hex or base64', () => {
  const key = generateKey();
  assert.deepEqual(parseKey(key.toString('hex')), key);
  assert.deepEqual(parseKey(key.toString('base64')), key);
  assert.deepEqual(parseKey(key.toString('base64url')), key);
  assert.equal(parseKey('abcd'), undefined);
  assert.equal(parseKey(Buffer.alloc(16).toString('hex')), undefined);
  assert.throws(() => encryptText(Buffer.alloc(16), 'x', 'c'), RangeError);
});
