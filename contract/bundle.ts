import { bundle, createConfig } from '@redocly/openapi-core';
import path from 'node:path';
import type { OpenApiDocument } from './spec.ts';

export class SpecBundleError extends Error {
  override name = 'SpecBundleError';
}

/**
 * Bundles a split spec into one document with only internal `#/components/...` refs, the form Prism,
 * the contract validator and openapi-typescript all read. Lint is not run here: `starship lint` owns that,
 * and bundling must not depend on the project's lint plugin loading.
 */
export async function bundleSpec(source: string): Promise<OpenApiDocument> {
  const config = await createConfig({ extends: ['minimal'] });
  const result = await bundle({ ref: path.resolve(source), config, dereference: false });
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((p) => `${p.location[0]?.source.absoluteRef ?? source}: ${p.message}`);
    throw new SpecBundleError(`cannot bundle ${source}:\n${lines.join('\n')}`);
  }
  return result.bundle.parsed as OpenApiDocument;
}
