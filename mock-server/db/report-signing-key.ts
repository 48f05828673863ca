/**
 * The Ed25519 key pair the sandbox signs certification reports with, kept like the encryption key
 * (encryption-key.ts) so reports stay verifiable across restarts:
 * 1. `STARSHIP_REPORT_SIGNING_KEY` (PKCS#8 PEM of an Ed25519 private key; instances sharing PostgreSQL share it);
 * 2. a key file beside the database (`.sandbox/starship.db` → `.sandbox/starship.report-key.pem`, mode 0600),
 *    generated on first start;
 * 3. for `:memory:`, a key that lives as long as the process.
 * The public key is published through the control API (getReportSigningKey).
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { MEMORY } from './connect.ts';

export const REPORT_SIGNING_KEY_ENV = 'STARSHIP_REPORT_SIGNING_KEY';

export function reportKeyFileFor(dbFile: string): string {
  return join(dirname(dbFile), `${basename(dbFile, extname(dbFile))}.report-key.pem`);
}

export function generateReportSigningKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

function parse(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`${source} does not hold a PEM private key`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source} holds a ${key.asymmetricKeyType} key; reports are signed with Ed25519`);
  return key;
}

export function loadReportSigningKey(options: { file: string; env?: NodeJS.ProcessEnv }): KeyObject {
  const fromEnv = (options.env ?? process.env)[REPORT_SIGNING_KEY_ENV];
  if (fromEnv) return parse(fromEnv, REPORT_SIGNING_KEY_ENV);
  if (options.file === MEMORY) return generateReportSigningKey();
  const path = reportKeyFileFor(options.file);
  try {
    // 'wx' creates the file only if it does not exist, so two processes starting together agree on one key.
    const pem = generateReportSigningKey().export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parse(readFileSync(path, 'utf8'), path);
}
