/**
 * A Postman collection (format v2.1) generated from the partner spec: one folder per tag, one request per
 * operation with the spec's examples, and a collection-level pre-request script that signs writes the way
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

export interface PostmanRequestItem {
  name: string;
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
  event: { listen: 'prerequest'; script: { type: 'text/javascript'; exec: string[] } }[];
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

function requestItem(doc: Json, op: ApiOperation): PostmanRequestItem {
  const segments = op.path.split('/').filter(Boolean).map((s) => s.replace(/^\{(.+)\}$/, ':$1'));
  const pathValues = pathParameterValues(doc, op);
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
  const folders = new Map<string, PostmanRequestItem[]>(tagOrder(doc).map((name) => [name, []]));
  for (const op of listOperations(doc)) {
    const folder = op.tags[0] ?? 'Other';
    folders.set(folder, [...(folders.get(folder) ?? []), requestItem(doc, op)]);
  }
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
      ].join('\n'),
      schema: POSTMAN_SCHEMA,
      version: String(info.version ?? ''),
    },
    variable: [
      { key: 'baseUrl', value: primaryServer(doc).url, description: 'API root including /api/v1' },
      { key: 'apiKey', value: '', description: 'X-API-Key' },
      { key: 'apiSecret', value: '', description: 'X-API-Secret; also the HMAC key for signing writes' },
    ],
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: preRequestScript(signing.appliesTo) } }],
    item: [...folders]
      .filter(([, items]) => items.length > 0)
      .map(([name, items]) => ({ name, ...(tagDescriptions.has(name) ? { description: tagDescriptions.get(name) } : {}), item: items })),
  };
}
