import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createControlClient } from '@starship/conformance/control-client';
import { verifyReport } from '@starship/conformance/partner/report-signature';
import { reportFromHtml } from '@starship/conformance/partner/signed-html';

export interface VerifyReportOptions {
  publicKey?: string;
  sandboxUrl?: string;
}

/** The key to check with: a PEM file, or the one a sandbox publishes (public: no credentials). */
async function publicKeyFrom(options: VerifyReportOptions): Promise<KeyObject> {
  if (options.publicKey) return createPublicKey(readFileSync(options.publicKey, 'utf8'));
  if (!options.sandboxUrl) throw new Error('give the signing key: --public-key FILE, or --sandbox-url URL (the sandbox that signed the report)');
  const key = await createControlClient({ origin: options.sandboxUrl }).getReportSigningKey();
  return createPublicKey(key.public_key_pem);
}

/** `starship conformance verify-report FILE` (the JSON or the HTML report): exit 0 when the signature holds, 1 when it does not. */
export async function verifyReportCommand(file: string, options: VerifyReportOptions): Promise<number> {
  const key = await publicKeyFrom(options);
  const text = readFileSync(file, 'utf8');
  let report: unknown;
  if (text.trimStart().startsWith('<')) {
    const page = reportFromHtml(text);
    if ('problem' in page) {
      console.log(`${file}: NOT verified (EDITED): ${page.problem}`);
      return 1;
    }
    report = page.report;
  } else {
    try {
      report = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file} is neither a JSON nor an HTML report: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const result = verifyReport(report, key);
  if (!result.ok) {
    console.log(`${file}: NOT verified (${result.reason}): ${result.message}`);
    return 1;
  }
  console.log(`${file}: verified, signed by the sandbox key ${result.keyId} and unchanged since`);
  return 0;
}
