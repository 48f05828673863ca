import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifyReport } from '../../conformance/partner/report-signature.ts';

export interface VerifyReportOptions {
  publicKey?: string;
  sandboxUrl?: string;
  adminToken?: string;
}

async function publicKeyFrom(options: VerifyReportOptions): Promise<KeyObject> {
  if (options.publicKey) return createPublicKey(readFileSync(options.publicKey, 'utf8'));
  if (!options.sandboxUrl) throw new Error('give the signing key: --public-key FILE, or --sandbox-url URL with --admin-token');
  if (!options.adminToken) throw new Error('--sandbox-url needs --admin-token (the control API is authenticated)');
  const url = `${options.sandboxUrl.replace(/\/+$/, '')}/sandbox/v1/certification/signing-key`;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${options.adminToken}` } });
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
  const body = (await response.json()) as { public_key_pem: string };
  return createPublicKey(body.public_key_pem);
}

/** `starship conformance verify-report FILE`: exit 0 when the signature holds, 1 when it does not. */
export async function verifyReportCommand(file: string, options: VerifyReportOptions): Promise<number> {
  const key = await publicKeyFrom(options);
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not a JSON report: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = verifyReport(report, key);
  if (!result.ok) {
    console.log(`${file}: NOT verified (${result.reason}): ${result.message}`);
    return 1;
  }
  console.log(`${file}: verified, signed by the sandbox key ${result.keyId} and unchanged since`);
  return 0;
}
