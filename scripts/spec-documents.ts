import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The OpenAPI documents this project is built from; `name` prefixes every generated file. */
export const specDocuments = [
  { name: 'starship', source: 'openapi/starship.yaml', typePrefix: 'Starship' },
  { name: 'sandbox', source: 'openapi/sandbox.yaml', typePrefix: 'Sandbox' },
] as const;

export type SpecDocument = (typeof specDocuments)[number];

export const generatedDir = path.join(repoRoot, 'generated');

export function bundledSpecPath(name: SpecDocument['name']): string {
  return path.join(generatedDir, `${name}.bundled.json`);
}
