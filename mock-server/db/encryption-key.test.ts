import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENCRYPTION_KEY_ENV, keyFileFor, loadEncryptionKey } from './encryption-key.ts';

test('the key file is created once beside the database, mode 0600, and reused', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'starship-key-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'starship.db');
  const first = loadEncryptionKey({ file, env: {} });
  const second = loadEncryptionKey({ file, env: {} });
  assert.equal(first.length, 32);
  assert.deepEqual(second, first);
  assert.equal(keyFileFor(file), join(dir, 'starship.key'));
  assert.equal(statSync(keyFileFor(file)).mode & 0o777, 0o600);
  assert.equal(readFileSync(keyFileFor(file), 'utf8').trim(), first.toString('hex'));
});

test('the environment variable wins, as hex or base64, and must be 32 bytes', () => {
  const hex = 'ab'.repeat(32);
  assert.deepEqual(loadEncryptionKey({ file: ':memory:', env: { [ENCRYPTION_KEY_ENV]: hex } }), Buffer.from(hex, 'hex'));
  const b64 = Buffer.alloc(32, 7).toString('base64');
  assert.deepEqual(loadEncryptionKey({ file: ':memory:', env: { [ENCRYPTION_KEY_ENV]: b64 } }), Buffer.alloc(32, 7));
  assert.throws(() => loadEncryptionKey({ file: ':memory:', env: { [ENCRYPTION_KEY_ENV]: 'short' } }), /32 bytes/);
});

test(':memory: gets a fresh random key', () => {
  const a = loadEncryptionKey({ file: ':memory:', env: {} });
  const b = loadEncryptionKey({ file: ':memory:', env: {} });
  assert.equal(a.length, 32);
  assert.notDeepEqual(a, b);
});
