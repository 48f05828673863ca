/**
 * AES-256-GCM for everything the sandbox keeps secret at rest: voucher codes/PINs/URLs, partner API secrets,
 * webhook signing secrets and stored idempotent responses (they contain vouchers). Each value gets a fresh
 * 12-byte IV; the token is base64url(iv ‖ ciphertext ‖ tag). `context` is bound as additional authenticated
 * data, so a ciphertext copied to another row (another context) fails to decrypt instead of leaking there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { randomBytesPooled } from './random.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class DecryptionError extends Error {}

export function encryptText(key: Buffer, plaintext: string, context: string): string {
  assertKey(key);
  const iv = randomBytesPooled(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

export function decryptText(key: Buffer, token: string, context: string): string {
  assertKey(key);
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('ciphertext is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('ciphertext failed authentication (wrong key, wrong context or tampered data)');
  }
}

/** A 32-byte key from 64 hex characters or base64/base64url; undefined when the text is neither. */
export function parseKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed, 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  return undefined;
}

export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`AES-256-GCM needs a ${KEY_BYTES}-byte key, got ${key.length}`);
}
