import path from 'node:path';

/**
 * The OpenAPI documents this project is built from, relative to the project directory (where `starship
 * generate` and `starship lint` run); `name` prefixes every generated file.
 */
export const specDocuments = [
  { name: 'starship', source: 'openapi/starship.yaml', typePrefix: 'Starship' },
  { name: 'sandbox', source: 'openapi/sandbox.yaml', typePrefix: 'Sandbox' },
] as const;

export type SpecDocument = (typeof specDocuments)[number];

/** The published v1 document that revisions are diffed against; generated/ carries a copy for conformance. */
export const BASELINE_SOURCE = 'openapi/baseline/starship-v1.json';

export const generatedDir = (): string => path.resolve('generated');
