/**
 * The two bundled specs the sandbox serves, read once at start-up. Everything the HTTP layer derives from
 * them (routes, rate-limit classes, enum tables, validators) is compiled once from these objects.
 */
import { readFileSync } from 'node:fs';
import type { OpenApiDocument } from '../../scripts/bundle.ts';
import { bundledSpecPath, type SpecDocument } from '../../scripts/spec-documents.ts';

export type { OpenApiDocument };
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const cache = new Map<SpecDocument['name'], OpenApiDocument>();

/** The parsed bundled spec; callers must not mutate it (pass a structuredClone to code that does). */
export function loadSpec(name: SpecDocument['name']): OpenApiDocument {
  let doc = cache.get(name);
  if (!doc) {
    doc = JSON.parse(readFileSync(bundledSpecPath(name), 'utf8')) as OpenApiDocument;
    cache.set(name, doc);
  }
  return doc;
}

/** Follows internal `#/…` references until a non-reference node. */
export function deref(doc: OpenApiDocument, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 32) throw new Error(`reference cycle at ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split('/')
      .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((parent, key) => (isObject(parent) ? parent[key] : undefined), doc);
  }
  return current;
}

/** The path under which the document's operations are served: `/api/v1` for `http://127.0.0.1:4010/api/v1`. */
export function basePathOf(doc: OpenApiDocument): string {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers[0];
  const url = isObject(first) && typeof first.url === 'string' ? first.url : '/';
  return new URL(url, 'http://localhost').pathname.replace(/\/+$/, '');
}
