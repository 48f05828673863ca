/**
 * A read-only view of a bundled OpenAPI document (only internal `#/components/...` refs) as the list of
 * operations and webhook events the docs generators need: method, path, parameters with path-level ones
 * merged and refs resolved, and example values taken from the spec.
 */
import { basePathOf, deref, isObject, type Json, type OpenApiDocument } from '@starship/contract';

export interface ParameterObject {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: Json;
  example?: unknown;
  examples?: Record<string, unknown>;
  content?: Record<string, Json>;
}

export interface ApiOperation {
  /** Uppercase HTTP method. */
  method: string;
  /** The path template as in the spec, relative to the server URL (`/products/{product_id}`). */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  parameters: ParameterObject[];
  /** The operation object inside the document given to `listOperations`, so callers may annotate it. */
  operation: Json;
}

export interface WebhookEventOperation {
  /** The event type (`order.delivered`), the key in the document's `webhooks`. */
  name: string;
  operationId: string;
  summary: string;
  operation: Json;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function parameterList(doc: Json, list: unknown): ParameterObject[] {
  return Array.isArray(list) ? list.map((p) => deref(doc, p) as ParameterObject) : [];
}

export function listOperations(doc: Json): ApiOperation[] {
  const paths = isObject(doc.paths) ? doc.paths : {};
  const operations: ApiOperation[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(doc, rawItem);
    if (!isObject(item)) continue;
    const shared = parameterList(doc, item.parameters);
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const own = parameterList(doc, operation.parameters);
      // An operation-level parameter overrides a path-level one with the same name and location.
      const inherited = shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in));
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: String(operation.operationId ?? `${method} ${path}`),
        summary: String(operation.summary ?? operation.operationId ?? `${method.toUpperCase()} ${path}`),
        tags: Array.isArray(operation.tags) ? operation.tags.map(String) : [],
        parameters: [...inherited, ...own],
        operation,
      });
    }
  }
  return operations;
}

export function listWebhookEvents(doc: Json): WebhookEventOperation[] {
  const webhooks = isObject(doc.webhooks) ? doc.webhooks : {};
  return Object.entries(webhooks).flatMap(([name, rawItem]) => {
    const item = deref(doc, rawItem);
    const operation = isObject(item) ? item.post : undefined;
    if (!isObject(operation)) return [];
    return [{ name, operationId: String(operation.operationId ?? name), summary: String(operation.summary ?? name), operation }];
  });
}

function firstExampleValue(doc: Json, examples: unknown): unknown {
  if (!isObject(examples)) return undefined;
  const first = Object.values(examples)[0];
  const example = deref(doc, first);
  return isObject(example) ? example.value : undefined;
}

function schemaExample(doc: Json, rawSchema: unknown): unknown {
  const schema = deref(doc, rawSchema);
  if (!isObject(schema)) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  return schema.default;
}

/** The value the spec gives as this parameter's example; undefined when it gives none. */
export function parameterExample(doc: Json, parameter: ParameterObject): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const fromExamples = firstExampleValue(doc, parameter.examples);
  if (fromExamples !== undefined) return fromExamples;
  if (parameter.content) {
    const media = Object.values(parameter.content)[0];
    if (media) return media.example ?? firstExampleValue(doc, media.examples) ?? schemaExample(doc, media.schema);
  }
  return schemaExample(doc, parameter.schema);
}

export interface RequestBodyExample {
  contentType: string;
  value: unknown;
}

/**
 * The first example of the operation's request body. A body without any example is an error: samples and
 * the Postman collection would have to invent one, and an invented body teaches partners nothing.
 */
export function requestBodyExample(doc: Json, op: ApiOperation): RequestBodyExample | undefined {
  const body = deref(doc, op.operation.requestBody);
  if (!isObject(body) || !isObject(body.content)) return undefined;
  const [contentType, rawMedia] = Object.entries(body.content)[0] ?? [];
  if (contentType === undefined || !isObject(rawMedia)) return undefined;
  const value = rawMedia.example ?? firstExampleValue(doc, rawMedia.examples) ?? schemaExample(doc, rawMedia.schema);
  if (value === undefined) {
    throw new Error(`${op.operationId}: the request body has no example; add one to the spec so the docs can show it`);
  }
  return { contentType, value };
}

/** The example for a path parameter; path parameters must have one, as they appear in every sample URL. */
export function pathParameterValues(doc: Json, op: ApiOperation): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const parameter of op.parameters.filter((p) => p.in === 'path')) {
    const value = parameterExample(doc, parameter);
    if (value === undefined) throw new Error(`${op.operationId}: path parameter ${parameter.name} has no example`);
    values[parameter.name] = value;
  }
  return values;
}

export function fillPath(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));
}

/** The signing rules the spec declares at its root (`x-starship-signing`). */
export interface SigningScheme {
  appliesTo: string[];
  timestampHeader: string;
  signatureHeader: string;
}

export function signingScheme(doc: Json): SigningScheme | undefined {
  const scheme = doc['x-starship-signing'];
  if (!isObject(scheme)) return undefined;
  const { applies_to: appliesTo, timestamp_header: timestampHeader, signature_header: signatureHeader } = scheme;
  if (!Array.isArray(appliesTo) || typeof timestampHeader !== 'string' || typeof signatureHeader !== 'string') {
    throw new Error('x-starship-signing must declare applies_to, timestamp_header and signature_header');
  }
  return { appliesTo: appliesTo.map(String), timestampHeader, signatureHeader };
}

/** The first server URL, split into origin and the path prefix that is part of every signed path. */
export function primaryServer(doc: Json): { url: string; origin: string; basePath: string } {
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers[0];
  const url = isObject(first) && typeof first.url === 'string' ? first.url.replace(/\/+$/, '') : '';
  return { url, origin: new URL(url).origin, basePath: basePathOf(doc as OpenApiDocument) };
}
