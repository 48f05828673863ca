/**
 * Known-answer signing vectors computed outside this codebase (shared/vectors/signing.json). A copy lives in
 * the repository so a plain clone can run the tests; vectors.test.ts keeps it equal to the shared original.
 */
import { readFileSync } from 'node:fs';

export interface RequestSigningVector {
  secret: string;
  timestamp: number;
  method: string;
  path: string;
  body: string;
  canonical: string;
  x_signature: string;
}

export interface WebhookSigningVector {
  secret: string;
  timestamp: number;
  body: string;
  signed_payload: string;
  x_signature: string;
}

export const vectorsUrl = new URL('./signing-vectors.json', import.meta.url);
export const sharedVectorsUrl = new URL('../../shared/vectors/signing.json', import.meta.url);

export const signingVectors = JSON.parse(readFileSync(vectorsUrl, 'utf8')) as {
  request_signing: RequestSigningVector[];
  webhook_signing: WebhookSigningVector[];
};
