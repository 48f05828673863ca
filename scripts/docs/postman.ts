/**
 * A Postman collection (format v2.1) generated from the partner spec: one folder per tag, one request per
 * operation with the spec's examples and a test script (its documented status; ids it creates kept for the
 * requests that use them), and a collection-level pre-request script that signs writes the way
 * `x-starship-signing` says. The seeds promise partners a Postman collection; this one cannot drift from
 * the spec.
 */
import { deref, isObject, type Json } from '@starship/contract';
import {
  listOperations,
  parameterExample,
  pathParameterValues,
  primaryServer,
  requestBodyExample,
  signingScheme,
  type ApiOperation,
} from './spec-walk.ts';

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
export const POSTMAN_FILE = 'starship.postman_collection.json';

interface PostmanKeyValue {
  key: string;
  value: string;
  description?: string;
  disabled?: boolean;
}

interface PostmanEvent {
  listen: 'prerequest' | 'test';
  script: { type: 'text/javascript'; exec: string[] };
}

export interface PostmanRequestItem {
  name: string;
  /** The item's test script: what its answer must be, and the ids it keeps for later requests. */
  event: PostmanEvent[];
  request: {
    method: string;
    description?: string;
    header: PostmanKeyValue[];
    url: { raw: string; host: string[]; path: string[]; query?: PostmanKeyValue[]; variable?: PostmanKeyValue[] };
    body?: { mode: 'raw'; raw: string; options: { raw: { language: 'json' | 'text' } } };
  };
}

export interface PostmanCollection {
  info: { name: string; description: string; schema: string; version: string };
  variable: PostmanKeyValue[];
  event: PostmanEvent[];
  item: { name: string; description?: string; item: PostmanRequestItem[] }[];
}

/**
 * The collection's pre-request script, run by Postman before every request. It signs exactly what Postman
 * sends: the URL after variable substitution (path variables are already resolved by `url.toString()`),
 * reduced to path and query, and the raw body after substitution. CryptoJS is the library Postman's sandbox
 * provides; it reads strings as UTF-8, as the signing scheme requires. Like the SDK, it gives every POST an
 * Idempotency-Key unless the request already carries one (set the header yourself to retry with the same key).
 */
export function preRequestScript(signedMethods: readonly string[]): string[] {
  return [
    '// Starship request signing (the spec\'s x-starship-signing): every write carries',
    '// X-Timestamp: <unix seconds> and X-Signature: t=<ts>,v1=hex(HMAC-SHA256(apiSecret, ts + METHOD + path_with_query + raw_body)).',
    `const SIGNED_METHODS = ${JSON.stringify(signedMethods)};`,
    'const method = pm.request.method.toUpperCase();',
    "if (method === 'POST' && !pm.request.headers.has('Idempotency-Key')) {",
    "  pm.request.headers.upsert({ key: 'Idempotency-Key', value: pm.variables.replaceIn('{{$guid}}') });",
    '}',
    'if (SIGNED_METHODS.indexOf(method) !== -1) {',
    "  const secret = pm.variables.get('apiSecret');",
    "  if (!secret) throw new Error('Set the collection variable apiSecret (printed by npm start) to sign writes.');",
    '  const url = pm.variables.replaceIn(pm.request.url.toString());',
    "  const pathWithQuery = url.replace(/^[a-z][a-z0-9+.-]*:\\/\\/[^/?#]*/i, '') || '/';",
    "  const body = pm.request.body && pm.request.body.mode === 'raw' ? pm.variables.replaceIn(pm.request.body.raw || '') : '';",
    '  const ts = String(Math.floor(Date.now() / 1000));',
    '  const v1 = CryptoJS.HmacSHA256(ts + method + pathWithQuery + body, secret).toString(CryptoJS.enc.Hex);',
    "  pm.request.headers.upsert({ key: 'X-Timestamp', value: ts });",
    "  pm.request.headers.upsert({ key: 'X-Signature', value: 't=' + ts + ',v1=' + v1 });",
    '}',
  ];
}

/** Query values are stored percent-encoded so that what the script signs is what Postman sends. */
function encodeQueryValue(value: unknown): string {
  return encodeURIComponent(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

function queryParameters(doc: Json, op: ApiOperation): PostmanKeyValue[] {
  return op.parameters
    .filter((p) => p.in === 'query')
    .map((p) => {
      const example = parameterExample(doc, p);
      return {
        key: p.name,
        value: example === undefined ? '' : encodeQueryValue(example),
        ...(p.description ? { description: p.description.trim() } : {}),
        // Optional filters start disabled so that a first Send returns the unfiltered list.
        ...(p.required ? {} : { disabled: true }),
      };
    });
}

/** `#/components/schemas/OrderId` → `OrderId`: the component a schema names, if it names one. */
function componentName(schema: unknown): string | undefined {
  const ref = isObject(schema) && typeof schema.$ref === 'string' ? schema.$ref : undefined;
  return ref?.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
}

const SUCCESS = /^2\d\d$/;

function successStatuses(op: ApiOperation): number[] {
  return Object.keys(isObject(op.operation.responses) ? op.operation.responses : {})
    .filter((status) => SUCCESS.test(status))
    .map(Number);
}

/** The id type a POST creates: the component of `id` in its 2xx JSON answer (allOf branches included). */
function createdIdType(doc: Json, op: ApiOperation): string | undefined {
  if (op.method !== 'POST') return undefined;
  const responses = isObject(op.operation.responses) ? op.operation.responses : {};
  for (const status of successStatuses(op)) {
    const response = deref(doc, responses[String(status)]);
    const media = isObject(response) && isObject(response.content) ? response.content['application/json'] : undefined;
    const pending = [isObject(media) ? media.schema : undefined];
    while (pending.length > 0) {
      const schema = deref(doc, pending.shift());
      if (!isObject(schema)) continue;
      const id = isObject(schema.properties) ? componentName(schema.properties.id) : undefined;
      if (id) return id;
      if (Array.isArray(schema.allOf)) pending.push(...schema.allOf);
    }
  }
  return undefined;
}

/** `OrderId` → `orderId`: the collection variable that carries ids of that type from request to request. */
const variableFor = (idType: string) => idType.charAt(0).toLowerCase() + idType.slice(1);

/**
 * The ids the collection chains: every id type a POST in it creates and a path parameter uses (an order, a
 * webhook endpoint). The creating request keeps the new id in a collection variable; the requests that use
 * one send it, so a run against a fresh sandbox needs no id typed in. The spec's example is the default.
 */
function chainedIds(doc: Json, operations: ApiOperation[]): Map<string, { variable: string; example: string }> {
  const created = new Set(operations.flatMap((op) => createdIdType(doc, op) ?? []));
  const chained = new Map<string, { variable: string; example: string }>();
  for (const op of operations) {
    const examples = pathParameterValues(doc, op);
    for (const parameter of op.parameters.filter((p) => p.in === 'path')) {
      const idType = componentName(parameter.schema);
      if (idType && created.has(idType) && !chained.has(idType)) chained.set(idType, { variable: variableFor(idType), example: String(examples[parameter.name]) });
    }
  }
  return chained;
}

/** The test script of one request: the documented success, the trace id, and the id it creates (if chained). */
function testScript(doc: Json, op: ApiOperation, keeps: string | undefined): string[] {
  const expected = successStatuses(op);
  const label = `${op.method} ${op.path}`;
  const flag = typeof op.operation['x-starship-feature-flag'] === 'string' ? op.operation['x-starship-feature-flag'] : undefined;
  const lines = ['// Generated from the spec: the answer this request must get.'];
  if (flag) {
    lines.push(
      `pm.test(${JSON.stringify(`${label} → ${expected.join(' or ')}, or 404 E_FEATURE_DISABLED while the planned feature ${flag} is off`)}, function () {`,
      '  if (pm.response.code === 404) pm.expect(pm.response.json().error.code).to.equal(\'E_FEATURE_DISABLED\');',
      `  else pm.expect(pm.response.code).to.be.oneOf(${JSON.stringify(expected)});`,
      '});',
    );
  } else {
    lines.push(`pm.test(${JSON.stringify(`${label} → ${expected.join(' or ')}`)}, function () {`, `  pm.expect(pm.response.code).to.be.oneOf(${JSON.stringify(expected)});`, '});');
  }
  lines.push("pm.test('X-Trace-ID is set (quote it to support)', function () {", "  pm.response.to.have.header('X-Trace-ID');", '});');
  if (keeps) {
    lines.push(
      `pm.test(${JSON.stringify(`the new id is kept in {{${keeps}}} for the requests that use it`)}, function () {`,
      '  const id = pm.response.json().id;',
      "  pm.expect(id).to.be.a('string');",
      `  pm.collectionVariables.set(${JSON.stringify(keeps)}, id);`,
      '});',
    );
  }
  return lines;
}

function requestItem(doc: Json, op: ApiOperation, chained: Map<string, { variable: string; example: string }>): PostmanRequestItem {
  const segments = op.path.split('/').filter(Boolean).map((s) => s.replace(/^\{(.+)\}$/, ':$1'));
  const pathValues: Record<string, unknown> = pathParameterValues(doc, op);
  for (const parameter of op.parameters.filter((p) => p.in === 'path')) {
    const idType = componentName(parameter.schema);
    const chain = idType === undefined ? undefined : chained.get(idType);
    if (chain) pathValues[parameter.name] = `{{${chain.variable}}}`;
  }
  const created = createdIdType(doc, op);
  const keeps = created === undefined ? undefined : chained.get(created)?.variable;
  const query = queryParameters(doc, op);
  const body = requestBodyExample(doc, op);
  const header: PostmanKeyValue[] = [
    { key: 'X-API-Key', value: '{{apiKey}}' },
    { key: 'X-API-Secret', value: '{{apiSecret}}' },
  ];
  if (body) header.push({ key: 'Content-Type', value: body.contentType });
  const description = typeof op.operation.description === 'string' ? op.operation.description.trim() : undefined;
  return {
    name: op.summary,
    event: [{ listen: 'test', script: { type: 'text/javascript', exec: testScript(doc, op, keeps) } }],
    request: {
      method: op.method,
      ...(description ? { description } : {}),
      header,
      url: {
        raw: `{{baseUrl}}/${segments.join('/')}`,
        host: ['{{baseUrl}}'],
        path: segments,
        ...(query.length ? { query } : {}),
        ...(Object.keys(pathValues).length
          ? { variable: Object.entries(pathValues).map(([key, value]) => ({ key, value: String(value) })) }
          : {}),
      },
      ...(body
        ? {
            body: {
              mode: 'raw' as const,
              raw: typeof body.value === 'string' ? body.value : JSON.stringify(body.value, null, 2),
              options: { raw: { language: body.contentType.includes('json') ? ('json' as const) : ('text' as const) } },
            },
          }
        : {}),
    },
  };
}

function tagOrder(doc: Json): string[] {
  return Array.isArray(doc.tags) ? doc.tags.flatMap((t) => (isObject(t) && typeof t.name === 'string' ? [t.name] : [])) : [];
}

export function buildPostmanCollection(doc: Json): PostmanCollection {
  const info = isObject(doc.info) ? doc.info : {};
  const signing = signingScheme(doc);
  if (!signing) throw new Error('the spec declares no x-starship-signing; the collection would send unsigned writes');
  const operations = listOperations(doc);
  const chained = chainedIds(doc, operations);
  const folders = new Map<string, ApiOperation[]>(tagOrder(doc).map((name) => [name, []]));
  for (const op of operations) {
    const folder = op.tags[0] ?? 'Other';
    folders.set(folder, [...(folders.get(folder) ?? []), op]);
  }
  // Run in order, a folder creates before it reads, updates and deletes: DELETEs go last.
  const runOrder = (ops: ApiOperation[]) => [...ops.filter((op) => op.method !== 'DELETE'), ...ops.filter((op) => op.method === 'DELETE')];
  const tagDescriptions = new Map(
    (Array.isArray(doc.tags) ? doc.tags : []).flatMap((t) => {
      const tag = deref(doc, t);
      return isObject(tag) && typeof tag.description === 'string' ? [[String(tag.name), tag.description.trim()] as const] : [];
    }),
  );
  return {
    info: {
      name: String(info.title ?? 'Starship Rewards Partner API'),
      description: [
        String(info.summary ?? ''),
        '',
        'Set the collection variables apiKey and apiSecret (the sandbox prints them on `npm start`) and, for',
        'another environment, baseUrl. The collection pre-request script signs every write (X-Timestamp,',
        'X-Signature) and gives every POST an Idempotency-Key unless you set one. Enter query values',
        'percent-encoded: they are signed as written.',
        '',
        'Every request has tests (its documented status, X-Trace-ID). Requests that create an order or a',
        'webhook endpoint keep its id in a collection variable (orderId, webhookId) that the requests using',
        'it send, so Run collection works on a fresh sandbox with nothing typed in.',
      ].join('\n'),
      schema: POSTMAN_SCHEMA,
      version: String(info.version ?? ''),
    },
    variable: [
      { key: 'baseUrl', value: primaryServer(doc).url, description: 'API root including /api/v1' },
      { key: 'apiKey', value: '', description: 'X-API-Key' },
      { key: 'apiSecret', value: '', description: 'X-API-Secret; also the HMAC key for signing writes' },
      ...[...chained].map(([idType, { variable, example }]) => ({
        key: variable,
        value: example,
        description: `${idType}: set by the request that creates one, used by those that read, change or delete it`,
      })),
    ],
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: preRequestScript(signing.appliesTo) } }],
    item: [...folders]
      .filter(([, ops]) => ops.length > 0)
      .map(([name, ops]) => ({
        name,
        ...(tagDescriptions.has(name) ? { description: tagDescriptions.get(name) } : {}),
        item: runOrder(ops).map((op) => requestItem(doc, op, chained)),
      })),
  };
}
