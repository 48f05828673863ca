import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadReportSigningKey, REPORT_SIGNING_KEY_ENV, reportKeyFileFor } from './report-signing-key.ts';

const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

test('a key file beside the database is created once (0600) and reused, so reports stay verifiable after a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-key-'));
  const file = join(dir, 'starship.db');
  const first = loadReportSigningKey({ file, env: {} });
  const path = reportKeyFileFor(file);
  assert.equal(path, join(dir, 'starship.report-key.pem'));
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(first.asymmetricKeyType, 'ed25519');
  assert.equal(pem(loadReportSigningKey({ file, env: {} })), pem(first));
  assert.equal(readFileSync(path, 'utf8'), pem(first));
});

test('the environment wins; in-memory databases get a key per process; a non-Ed25519 key is refused', () => {
  const shared = generateKeyPairSync('ed25519').privateKey;
  assert.equal(pem(loadReportSigningKey({ file: ':memory:', env: { [REPORT_SIGNING_KEY_ENV]: pem(shared) } })), pem(shared));
  assert.notEqual(pem(loadReportSigningKey({ file: ':memory:', env: {} })), pem(loadReportSigningKey({ file: ':memory:', env: {} })));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
  assert.throws(() => loadReportSigningKey({ file: ':memory:', env: { [REPORT_SIGNING_KEY_ENV]: pem(rsa) } }), /holds a rsa key/);
  assert.throws(() => loadReportSigningKey({ file: ':memory:', env: { [REPORT_SIGNING_KEY_ENV]: 'nope' } }), /does not hold a PEM private key/);
});
