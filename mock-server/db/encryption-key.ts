/**
 * Where the AES-256 key for secrets at rest comes from, in order:
 * 1. `STARSHIP_ENCRYPTION_KEY` (64 hex characters or base64 of 32 bytes);
 * 2. a key file beside the database (`.sandbox/starship.db` → `.sandbox/starship.key`, mode 0600),
 *    generated on first start, so a restarted sandbox can still decrypt what it stored;
 * 3. for `:memory:`, a random key that lives as long as the process (and the data) does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { generateKey, parseKey } from '../domain/voucher-crypto.ts';
import { MEMORY } from './connect.ts';

export const ENCRYPTION_KEY_ENV = 'STARSHIP_ENCRYPTION_KEY';

export function keyFileFor(dbFile: string): string {
  return join(dirname(dbFile), `${basename(dbFile, extname(dbFile))}.key`);
}

export function loadEncryptionKey(options: { file: string; env?: NodeJS.ProcessEnv }): Buffer {
  const fromEnv = (options.env ?? process.env)[ENCRYPTION_KEY_ENV];
  if (fromEnv) {
    const key = parseKey(fromEnv);
    if (!key) throw new Error(`${ENCRYPTION_KEY_ENV} must be 32 bytes as 64 hex characters or base64`);
    return key;
  }
  if (options.file === MEMORY) return generateKey();
  const path = keyFileFor(options.file);
  try {
    // 'wx' creates the file only if it does not exist, so two processes starting together agree on one key.
    writeFileSync(path, generateKey().toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = parseKey(readFileSync(path, 'utf8'));
  if (!key) throw new Error(`${path} does not hold a 32-byte key (64 hex characters)`);
  return key;
}
