/**
 * The two bundled specs (@starship/spec), read once per process. Everything derived from them (routes,
 * rate-limit classes, enum tables, validators) is compiled once from these objects.
 */
import { createRequire } from 'node:module';
import { isObject } from './pointer.ts';

export type OpenApiDocument = Record<string, unknown> & { openapi: string };

/** The documents this project is built from; `name` prefixes every generated file. */
export type SpecName = 'starship' | 'sandbox';

const require = createRequire(import.meta.url);

/** The parsed bundled spec, shared by the whole process: callers must not mutate it (clone it first). */
export function loadSpec(name: SpecName): OpenApiDocument {
  return require(`@starship/spec/${name}.bundled.json`) as OpenApiDocument;
}

/** The published v1 document every revision is diffed against (openapi/baseline). */
export function loadBaseline(): OpenApiDocument {
  return require('@starship/spec/starship-v1.baseline.json') as OpenApiDocument;
}

/** The path under which the document's operations are served: `/api/v1` for `http://127.0.0.1:4010/api/v1`. */
export function basePathOf(doc: OpenApiDocument): string {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers[0];
  const url = isObject(first) && typeof first.url === 'string' ? first.url : '/';
  return new URL(url, 'http://localhost').pathname.replace(/\/+$/, '');
}
