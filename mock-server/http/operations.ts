/**
 * The operations of one spec, compiled once into a matcher. Matching is case-insensitive and ignores one
 * trailing slash, as Express routes by default, so `/API/V1/Products/` is the same endpoint (and rate-limit
 * bucket) as `/api/v1/products`.
 */
import { basePathOf, deref, isObject, type Json, type OpenApiDocument } from '@starship/contract';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface Operation {
  operationId: string;
  /** Uppercase HTTP method. */
  method: string;
  /** OpenAPI path, relative to the base path (`/products/{product_id}`). */
  path: string;
  rateLimitClass: string;
  idempotencyKey: 'REQUIRED' | 'OPTIONAL' | 'NONE';
  /** `security: []`: served without credentials (the report-signing key). */
  public: boolean;
  /** Dereferenced parameters (path item's and operation's). */
  parameters: Json[];
  /** Schema of the application/json request body, if any. */
  bodySchema?: unknown;
}

export type OperationMatch =
  /** `pathParams`: the path's segments by template name, still percent-encoded (the validator decodes them). */
  | { kind: 'FOUND'; operation: Operation; pathParams: Record<string, string> }
  | { kind: 'METHOD_NOT_ALLOWED'; allow: string[] }
  | { kind: 'NOT_FOUND' };

interface CompiledPath {
  pattern: RegExp;
  /** Template names, in the order of the pattern's groups. */
  names: string[];
  operations: Map<string, Operation>;
}

export interface OperationTable {
  basePath: string;
  operations: Operation[];
  byId: Map<string, Operation>;
  /** `path` is the request path without the query string, including the base path. */
  match(method: string, path: string): OperationMatch;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compilePattern(basePath: string, path: string): RegExp {
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '([^/]+)' : escapeRegExp(part)))
    .join('');
  return new RegExp(`^${escapeRegExp(basePath)}${source}/?$`, 'i');
}

export function buildOperationTable(doc: OpenApiDocument): OperationTable {
  const basePath = basePathOf(doc);
  const compiled: CompiledPath[] = [];
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    const item = deref(doc, rawItem);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    const byMethod = new Map<string, Operation>();
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op) || typeof op.operationId !== 'string') continue;
      const parameters = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]
        .map((p) => deref(doc, p))
        .filter(isObject);
      const idempotency = parameters.find((p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key');
      const body = deref(doc, op.requestBody);
      const media = isObject(body) && isObject(body.content) ? body.content['application/json'] : undefined;
      const operation: Operation = {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        rateLimitClass: typeof op['x-starship-rate-limit-class'] === 'string' ? op['x-starship-rate-limit-class'] : 'DEFAULT',
        idempotencyKey: idempotency ? (idempotency.required === true ? 'REQUIRED' : 'OPTIONAL') : 'NONE',
        public: Array.isArray(op.security) && op.security.length === 0,
        parameters,
      };
      if (isObject(media) && media.schema !== undefined) operation.bodySchema = media.schema;
      byMethod.set(operation.method, operation);
      operations.push(operation);
    }
    compiled.push({ pattern: compilePattern(basePath, path), names: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!), operations: byMethod });
  }
  // A literal segment wins over a template: `/orders/simulate` before `/orders/{order_id}`.
  compiled.sort((a, b) => a.names.length - b.names.length);

  return {
    basePath,
    operations,
    byId: new Map(operations.map((op) => [op.operationId, op])),
    match(method, path) {
      for (const entry of compiled) {
        const matched = entry.pattern.exec(path);
        if (!matched) continue;
        const operation = entry.operations.get(method.toUpperCase());
        if (operation) {
          const pathParams: Record<string, string> = {};
          entry.names.forEach((name, i) => (pathParams[name] = matched[i + 1]!));
          return { kind: 'FOUND', operation, pathParams };
        }
        return { kind: 'METHOD_NOT_ALLOWED', allow: [...entry.operations.keys()] };
      }
      return { kind: 'NOT_FOUND' };
    },
  };
}
