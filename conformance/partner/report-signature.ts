/**
 * Signed certification reports: the sandbox signs the canonical JSON (@starship/contract, canonical-json.ts) of the report
 * without its `signature` member with its Ed25519 key; anyone holding the public key checks that nothing in
 * the report was changed. `key_id` names the key (sha256 of its SPKI DER, 16 hex) so a verifier given the
 * wrong key says so instead of "edited".
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@starship/contract';

export const SIGNATURE_ALGORITHM = 'Ed25519';

export interface ReportSignature {
  algorithm: typeof SIGNATURE_ALGORITHM;
  key_id: string;
  /** base64 of the 64-byte Ed25519 signature. */
  value: string;
}

export type SignedReport<T extends object = Record<string, unknown>> = T & { signature: ReportSignature };

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** The bytes that are signed: the report minus `signature`, canonical JSON, UTF-8. */
export function signedBytes(report: object): Buffer {
  const { signature: _omitted, ...body } = report as Record<string, unknown>;
  return Buffer.from(canonicalJson(body), 'utf8');
}

export function signReport<T extends object>(report: T, privateKey: KeyObject): SignedReport<T> {
  const publicKey = createPublicKey(privateKey);
  const value = sign(null, signedBytes(report), privateKey).toString('base64');
  return { ...report, signature: { algorithm: SIGNATURE_ALGORITHM, key_id: keyIdOf(publicKey), value } };
}

export type ReportVerification = { ok: true; keyId: string } | { ok: false; reason: 'UNSIGNED' | 'WRONG_KEY' | 'EDITED' | 'MALFORMED'; message: string };

export function verifyReport(report: unknown, publicKey: KeyObject): ReportVerification {
  if (typeof report !== 'object' || report === null || Array.isArray(report)) {
    return { ok: false, reason: 'MALFORMED', message: 'the report is not a JSON object' };
  }
  const signature = (report as { signature?: Partial<ReportSignature> }).signature;
  if (!signature || typeof signature !== 'object') return { ok: false, reason: 'UNSIGNED', message: 'the report has no signature member' };
  if (signature.algorithm !== SIGNATURE_ALGORITHM || typeof signature.value !== 'string' || typeof signature.key_id !== 'string') {
    return { ok: false, reason: 'MALFORMED', message: `the signature must be { algorithm: "${SIGNATURE_ALGORITHM}", key_id, value }` };
  }
  const keyId = keyIdOf(publicKey);
  if (signature.key_id !== keyId) {
    return { ok: false, reason: 'WRONG_KEY', message: `the report was signed with key ${signature.key_id}; the public key given is ${keyId}` };
  }
  let bytes: Buffer;
  try {
    bytes = signedBytes(report);
  } catch (error) {
    return { ok: false, reason: 'MALFORMED', message: error instanceof Error ? error.message : String(error) };
  }
  if (!verify(null, bytes, publicKey, Buffer.from(signature.value, 'base64'))) {
    return { ok: false, reason: 'EDITED', message: 'the signature does not match the report: it was changed after the sandbox signed it' };
  }
  return { ok: true, keyId };
}
