/**
 * Bad requests for every operation of both specs, generated with fast-check from the operation's own
 * parameters and request body (valid values first, from the schemas), then mutated: malformed JSON, wrong
 * types, huge/negative/zero/odd amounts, odd unicode (lone surrogates, RTL and zero-width marks, NUL,
 * invalid UTF-8 bytes), bodies over the size limit, deep nesting, unknown and duplicated query parameters,
 * bad path parameters, odd content types and encodings, missing and extra fields. A case is the request
 * minus authentication: the runner adds credentials and signs the exact bytes, so every case gets past
 * auth to validation.
 */
import fc from 'fast-check';
import { DEFAULT_BODY_LIMIT_BYTES } from '@starship/sandbox/http/raw-body';
import { buildOperationTable, type Operation } from '@starship/sandbox/http/operations';
import { deref, isObject, loadSpec, type Json, type OpenApiDocument } from '@starship/contract';
import { sandboxErrorCodes, sandboxOperations } from '@starship/spec/sandbox-operations';
import { starshipErrorCodes, starshipOperations } from '@starship/spec/starship-operations';
import { admittedTypes, valueArbitrary, type Hints } from './schema-arbitrary.ts';

export type Api = 'partner' | 'control';

export interface Target {
  api: Api;
  doc: OpenApiDocument;
  operation: Operation;
  basePath: string;
  /** The error codes the spec documents for this operation (generated route table). */
  errorCodes: readonly string[];
  /** Every error code the spec names, for requests that address no operation. */
  apiErrorCodes: readonly string[];
}

export const KINDS = [
  'valid',
  'malformed-json',
  'wrong-type',
  'amount',
  'unicode',
  'invalid-utf8',
  'oversize',
  'deep-nesting',
  'duplicate-query',
  'unknown-query',
  'path-param',
  'content-type',
  'missing-required',
  'extra-property',
  'header-value',
] as const;
export type Kind = (typeof KINDS)[number];

export interface Case {
  target: Target;
  kind: Kind;
  /** Path and query as sent, starting with the base path. */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** What was changed, for the report of a failing case. */
  note: string;
  /** False when the mutation moved the request off every operation (a path suffix). */
  addressesOperation: boolean;
}

export function targets(): Target[] {
  const out: Target[] = [];
  for (const [api, name, codes, apiErrorCodes] of [
    ['partner', 'starship', starshipOperations, starshipErrorCodes],
    ['control', 'sandbox', sandboxOperations, sandboxErrorCodes],
  ] as const) {
    const doc = loadSpec(name);
    const table = buildOperationTable(doc);
    for (const operation of table.operations) {
      // An event stream answers a valid request with a response that never ends; its bad input is tested
      // where it is served (mock-server/test-helpers.test.ts).
      if (operation.operationId === 'testHelperStreamEvents') continue;
      const generated = (codes as Record<string, { errorCodes: readonly string[] }>)[operation.operationId];
      if (!generated) throw new Error(`${operation.operationId} is not in the generated route table`);
      out.push({ api, doc, operation, basePath: table.basePath, errorCodes: generated.errorCodes, apiErrorCodes });
    }
  }
  return out;
}

// ---- building blocks -------------------------------------------------------------------------------

const HUGE = ['99999999999999999999999999.99', '1e309', '9'.repeat(400), '18446744073709551616', '9007199254740993', 1e308, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, 1e21];
const NEGATIVE = ['-1', '-0.01', '-25.00', -1, -1e308, -0.5, '-9999999999999999999'];
const ZERO = [0, '0', '0.00', '-0', '0.0', -0, '.0', '0.'];
const ODD_NUMBERS = ['NaN', 'Infinity', '-Infinity', ' 5', '5 ', '0x10', '1_000', '٣', '５', '1e2', '1.005', '0.001', 1.5, 0.1 + 0.2, '', ' ', true, null, [], {}];
const AMOUNTS = [...HUGE, ...NEGATIVE, ...ZERO, ...ODD_NUMBERS];

const ODD_UNICODE = [
  '\ud800',
  '\udfff',
  'a\ud83dz',
  '\u202eevil\u202c',
  '\u200f\u0627\u0644\u200e',
  '\u200b\u200c\u200d\u2060\ufeff',
  'nul\u0000byte',
  '\u0000',
  '\u0085\u2028\u2029',
  'e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301',
  '𝕳𝖊𝖑𝖑𝖔 🏳️‍🌈 👩‍👩‍👧‍👦',
  '\uffff\ufffe',
  '\u001b[31mred\u001b[0m',
  '../../etc/passwd',
  "' OR 1=1 --",
  '{"$gt":""}',
  '%00%0d%0a',
  '<script>alert(1)</script>',
];

/** Byte sequences that are not UTF-8: a stray continuation byte, an overlong '/', a CESU-8 surrogate, 0xFF. */
const INVALID_UTF8 = [Buffer.from([0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe]), Buffer.from([0xe2, 0x82])];

const NUMERIC_NAMES = new Set(['amount', 'balance', 'denomination', 'quantity', 'count', 'seconds', 'product_id', 'status', 'delay_ms', 'retry_after', 'page', 'limit']);

const BAD_PATH_VALUES = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%ED%A0%80',
  '%00',
  '..',
  '%2e%2e%2f%2e%2e',
  '%2F',
  '-1',
  '0',
  '1e3',
  '00001001',
  '1001.0',
  '%20',
  '9'.repeat(400),
  'ord_' + '0'.repeat(26),
  encodeURIComponent('\u202e\u200b'),
  encodeURIComponent('ord_\u0000'),
  'x'.repeat(4000),
];

const MALFORMED = [
  (json: string) => json.slice(0, Math.max(0, json.length - 1)),
  (json: string) => json.slice(0, Math.floor(json.length / 2)),
  (json: string) => `${json},`,
  (json: string) => `${json}}`,
  (json: string) => json.replace(/"/g, "'"),
  (json: string) => `\ufeff${json}`,
  (json: string) => `${json}\u0000`,
  () => '{',
  () => '[1,]',
  () => '{"a":01}',
  () => 'NaN',
  () => '{"a":1,}',
  () => '"unterminated',
  () => '{"a":"\\x41"}',
  () => '{"a":"\\ud800"',
  () => 'undefined',
  () => '{}{}',
  () => '\u0000',
  () => ' ',
];

type Step = string | number;

/** Every (path, schema) in a value that a mutation may replace, root included. */
function slots(doc: OpenApiDocument, schema: unknown, value: unknown, at: Step[] = []): { at: Step[]; schema: unknown }[] {
  const out = [{ at, schema }];
  const node = deref(doc, schema);
  if (isObject(value) && isObject(node) && isObject(node.properties)) {
    for (const [key, child] of Object.entries(value)) out.push(...slots(doc, node.properties[key], child, [...at, key]));
  } else if (Array.isArray(value) && isObject(node)) {
    value.forEach((child, i) => out.push(...slots(doc, node.items, child, [...at, i])));
  }
  return out;
}

function setAt(value: unknown, at: Step[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as Json) };
  copy[at[0]!] = setAt(copy[at[0]!], at.slice(1), replacement);
  return copy;
}

const TYPE_SAMPLES: Record<string, unknown[]> = {
  string: ['5', 'text', ''],
  number: [5, -1, 0.5],
  boolean: [true, false],
  null: [null],
  array: [[], [1, 'a'], [[]]],
  object: [{}, { a: 1 }],
};

function jsonOf(value: unknown): string {
  return JSON.stringify(value) ?? '';
}

// ---- cases ----------------------------------------------------------------------------------------

interface ValidParts {
  pathParams: Record<string, unknown>;
  query: [string, string][];
  headers: Record<string, string>;
  /** undefined: the operation takes no body. */
  body: unknown;
}

function paramString(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function validParts(target: Target, hints: Hints): fc.Arbitrary<ValidParts> {
  const { doc, operation } = target;
  const pathModel: Record<string, fc.Arbitrary<unknown>> = {};
  const queryModel: Record<string, fc.Arbitrary<unknown>> = {};
  const optionalQuery: string[] = [];
  for (const parameter of operation.parameters) {
    const name = String(parameter.name);
    const content = isObject(parameter.content) ? parameter.content['application/json'] : undefined;
    const schema = isObject(content) ? content.schema : parameter.schema;
    const arbitrary = hints[name] ?? valueArbitrary(doc, schema, hints);
    if (parameter.in === 'path') pathModel[name] = arbitrary;
    if (parameter.in === 'query') {
      queryModel[name] = isObject(content) ? arbitrary.map((v) => JSON.stringify(v)) : arbitrary;
      if (parameter.required !== true) optionalQuery.push(name);
    }
  }
  const body = operation.bodySchema === undefined ? fc.constant(undefined) : valueArbitrary(doc, operation.bodySchema, hints);
  const requiredQuery = Object.keys(queryModel).filter((n) => !optionalQuery.includes(n));
  return fc
    .record({
      pathParams: fc.record(pathModel),
      query: fc.record(queryModel, { requiredKeys: requiredQuery }),
      key: fc.uuid(),
      sendKey: fc.boolean(),
      body,
    })
    .map(({ pathParams, query, key, sendKey, body }) => ({
      pathParams,
      query: Object.entries(query).map(([k, v]) => [k, paramString(v)] as [string, string]),
      headers: (operation.idempotencyKey === 'REQUIRED' || (operation.idempotencyKey === 'OPTIONAL' && sendKey) ? { 'Idempotency-Key': key } : {}) as Record<string, string>,
      body,
    }));
}

/** encodeURIComponent, but total: a lone surrogate goes out as the UTF-8 of U+FFFD instead of throwing. */
function encode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

function buildPath(target: Target, pathParams: Record<string, unknown>, query: [string, string][], rawParam?: { name: string; value: string }): string {
  const path = target.operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    rawParam?.name === name ? rawParam.value : encode(paramString(pathParams[name])),
  );
  const search = query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  return `${target.basePath}${path}${search ? `?${search}` : ''}`;
}

function jsonBody(value: unknown): Buffer | undefined {
  return value === undefined ? undefined : Buffer.from(jsonOf(value), 'utf8');
}

function finish(target: Target, kind: Kind, parts: ValidParts, note: string, overrides: Partial<Case> = {}): Case {
  const body = 'body' in overrides ? overrides.body : jsonBody(parts.body);
  return {
    target,
    kind,
    path: overrides.path ?? buildPath(target, parts.pathParams, parts.query),
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...parts.headers, ...overrides.headers },
    ...(body ? { body } : {}),
    note,
    addressesOperation: overrides.addressesOperation ?? true,
  };
}

/** One mutation of valid parts, chosen and parameterised by `pick` (an integer stream from fast-check). */
function mutate(target: Target, kind: Kind, parts: ValidParts, pick: number[]): Case {
  const { doc, operation } = target;
  const n = (i: number, size: number) => (size <= 0 ? 0 : (pick[i] ?? 0) % size);
  switch (kind) {
    case 'valid':
      return finish(target, kind, parts, 'as generated');
    case 'malformed-json': {
      const corrupt = MALFORMED[n(0, MALFORMED.length)]!;
      const text = corrupt(jsonOf(parts.body ?? { a: 1 }));
      return finish(target, kind, parts, `body ${JSON.stringify(text.slice(0, 60))}`, {
        body: Buffer.from(text, 'utf8'),
        headers: { 'Content-Type': 'application/json' },
      });
    }
    case 'wrong-type': {
      if (operation.bodySchema === undefined) {
        const query = parts.query.length ? parts.query : [['page', '1'] as [string, string]];
        const i = n(0, query.length);
        const mutated = query.map(([k, v], j) => (j === i ? ([k, n(1, 2) ? '[object Object]' : 'true'] as [string, string]) : [k, v]));
        return finish(target, kind, parts, `query ${query[i]![0]} of the wrong type`, { path: buildPath(target, parts.pathParams, mutated as [string, string][]) });
      }
      const places = slots(doc, operation.bodySchema, parts.body);
      const place = places[n(0, places.length)]!;
      const admitted = admittedTypes(doc, place.schema);
      const wrong = Object.keys(TYPE_SAMPLES).filter((t) => admitted.size > 0 && !admitted.has(t));
      const type = wrong[n(1, wrong.length)] ?? 'array';
      const samples = TYPE_SAMPLES[type]!;
      const replacement = samples[n(2, samples.length)];
      return finish(target, kind, parts, `body${place.at.map((s) => `.${s}`).join('')} = ${jsonOf(replacement)}`, {
        body: jsonBody(setAt(parts.body, place.at, replacement)),
      });
    }
    case 'amount': {
      const value = AMOUNTS[n(0, AMOUNTS.length)];
      const numericBody = operation.bodySchema === undefined ? [] : slots(doc, operation.bodySchema, parts.body).filter((s) => NUMERIC_NAMES.has(String(s.at.at(-1))));
      const numericQuery = parts.query.filter(([k]) => NUMERIC_NAMES.has(k));
      if (numericBody.length && (n(1, 2) === 0 || numericQuery.length === 0)) {
        const place = numericBody[n(2, numericBody.length)]!;
        return finish(target, kind, parts, `body${place.at.map((s) => `.${s}`).join('')} = ${jsonOf(value)}`, {
          body: jsonBody(setAt(parts.body, place.at, value)),
        });
      }
      const query: [string, string][] = numericQuery.length ? [...parts.query] : [...parts.query, ['limit', '1']];
      const names = query.map(([k], i) => [k, i] as const).filter(([k]) => NUMERIC_NAMES.has(k));
      const [name, index] = names[n(2, names.length)]!;
      query[index] = [name, paramString(value)];
      return finish(target, kind, parts, `query ${name}=${paramString(value)}`, { path: buildPath(target, parts.pathParams, query) });
    }
    case 'unicode': {
      const odd = ODD_UNICODE[n(0, ODD_UNICODE.length)]!;
      const where = n(1, 3);
      const strings = operation.bodySchema === undefined ? [] : slots(doc, operation.bodySchema, parts.body).filter((s) => s.at.length > 0);
      if (where === 0 && strings.length) {
        const place = strings[n(2, strings.length)]!;
        return finish(target, kind, parts, `body${place.at.map((s) => `.${s}`).join('')} = ${JSON.stringify(odd)}`, {
          body: jsonBody(setAt(parts.body, place.at, odd)),
        });
      }
      const pathNames = Object.keys(parts.pathParams);
      if (where === 1 && pathNames.length) {
        const name = pathNames[n(2, pathNames.length)]!;
        return finish(target, kind, parts, `path ${name} = ${JSON.stringify(odd)}`, {
          path: buildPath(target, { ...parts.pathParams, [name]: odd }, parts.query),
        });
      }
      const query: [string, string][] = parts.query.length ? [...parts.query] : [['page', '1']];
      const i = n(2, query.length);
      query[i] = [query[i]![0], odd];
      return finish(target, kind, parts, `query ${query[i]![0]} = ${JSON.stringify(odd)}`, { path: buildPath(target, parts.pathParams, query) });
    }
    case 'invalid-utf8': {
      const bytes = INVALID_UTF8[n(0, INVALID_UTF8.length)]!;
      const text = jsonOf(parts.body ?? { reason: 'x' });
      const quote = text.indexOf('"', 1);
      const at = quote > 0 ? quote : text.length;
      const body = Buffer.concat([Buffer.from(text.slice(0, at), 'utf8'), bytes, Buffer.from(text.slice(at), 'utf8')]);
      return finish(target, kind, parts, `bytes ${bytes.toString('hex')} in the body`, { body, headers: { 'Content-Type': 'application/json' } });
    }
    case 'oversize': {
      const over = DEFAULT_BODY_LIMIT_BYTES + 1 + n(0, 16_384);
      const base = isObject(parts.body) ? parts.body : { value: parts.body ?? null };
      const body = Buffer.from(jsonOf({ ...base, padding: 'x'.repeat(over) }), 'utf8');
      return finish(target, kind, parts, `${body.length}-byte body`, { body, headers: { 'Content-Type': 'application/json' } });
    }
    case 'deep-nesting': {
      const depth = 500 + n(0, 49_000);
      const style = n(1, 3);
      const deep = style === 0 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : style === 1 ? `${'{"a":'.repeat(depth / 5)}1${'}'.repeat(depth / 5)}` : undefined;
      if (deep !== undefined) return finish(target, kind, parts, `depth ${depth} body`, { body: Buffer.from(deep), headers: { 'Content-Type': 'application/json' } });
      const nested = `{"customer_info":${'{"name":'.repeat(depth / 8)}"x"${'}'.repeat(depth / 8)},"sort":${'['.repeat(depth / 8)}${']'.repeat(depth / 8)}}`;
      const query: [string, string][] = [...parts.query, ['sort', `${'['.repeat(200)}${']'.repeat(200)}`]];
      return finish(target, kind, parts, `nested property values (depth ${depth / 8})`, {
        body: Buffer.from(nested),
        path: buildPath(target, parts.pathParams, operation.operationId === 'listProducts' ? query : parts.query),
        headers: { 'Content-Type': 'application/json' },
      });
    }
    case 'duplicate-query': {
      const declared = operation.parameters.filter((p) => p.in === 'query').map((p) => String(p.name));
      const name = declared.length ? declared[n(0, declared.length)]! : 'page';
      const values = ['1', '2', '', 'ASC', '{"field":"id","direction":"ASC"}'];
      const query: [string, string][] = [...parts.query, [name, values[n(1, values.length)]!], [name, values[n(2, values.length)]!]];
      return finish(target, kind, parts, `${name} given twice`, { path: buildPath(target, parts.pathParams, query) });
    }
    case 'unknown-query': {
      const names = ['foo', '__proto__', 'constructor', 'page[x]', 'limit[]', 'a.b', '', 'PAGE', 'toString', '%'];
      const name = names[n(0, names.length)]!;
      const query: [string, string][] = [...parts.query, [name, 'x']];
      return finish(target, kind, parts, `unknown query parameter ${JSON.stringify(name)}`, { path: buildPath(target, parts.pathParams, query) });
    }
    case 'path-param': {
      const pathNames = Object.keys(parts.pathParams);
      const value = BAD_PATH_VALUES[n(0, BAD_PATH_VALUES.length)]!;
      if (!pathNames.length) {
        // No parameter to break: break the path itself instead (a suffix the route table must not match).
        const suffix = ['/%', '/..', '/%2e%2e', '/x', '%00'][n(1, 5)]!;
        return finish(target, kind, parts, `path suffix ${suffix}`, { path: `${target.basePath}${operation.path}${suffix}`, addressesOperation: false });
      }
      const name = pathNames[n(1, pathNames.length)]!;
      return finish(target, kind, parts, `path ${name} = ${value.slice(0, 40)}`, {
        path: buildPath(target, parts.pathParams, parts.query, { name, value }),
      });
    }
    case 'content-type': {
      const variants: Record<string, string>[] = [
        { 'Content-Type': 'text/plain' },
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        { 'Content-Type': 'application/json; charset=utf-16' },
        { 'Content-Type': 'application/json; charset=latin1' },
        { 'Content-Type': 'application/vnd.evil+json' },
        { 'Content-Type': 'multipart/form-data; boundary=x' },
        { 'Content-Type': '' },
        { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        { 'Content-Type': 'application/json', 'Content-Encoding': 'br' },
        { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' },
      ];
      const headers = variants[n(0, variants.length)]!;
      return finish(target, kind, parts, `headers ${JSON.stringify(headers)}`, { headers, body: jsonBody(parts.body ?? {}) });
    }
    case 'missing-required': {
      const body = parts.body;
      if (isObject(body) && Object.keys(body).length) {
        const keys = Object.keys(body);
        const drop = keys[n(0, keys.length)]!;
        const { [drop]: _dropped, ...rest } = body;
        return finish(target, kind, parts, `body without ${drop}`, { body: jsonBody(rest) });
      }
      if (operation.idempotencyKey === 'REQUIRED') {
        return finish(target, kind, { ...parts, headers: {} }, 'no Idempotency-Key');
      }
      return finish(target, kind, parts, 'empty body', { body: undefined, headers: { 'Content-Type': 'application/json' } });
    }
    case 'extra-property': {
      const extras = ['__proto__', 'constructor', 'prototype', 'unknown_field', 'AMOUNT', 'product_id '];
      const name = extras[n(0, extras.length)]!;
      const base = isObject(parts.body) ? parts.body : {};
      const text = jsonOf(base).replace(/^\{/, `{${JSON.stringify(name)}:{"polluted":true}${Object.keys(base).length ? ',' : ''}`);
      return finish(target, kind, parts, `extra property ${name}`, { body: Buffer.from(text), headers: { 'Content-Type': 'application/json' } });
    }
    case 'header-value': {
      const variants: Record<string, string | string[]>[] = [
        { 'Idempotency-Key': 'k'.repeat(256) },
        { 'Idempotency-Key': 'has space' },
        { 'Idempotency-Key': '\u00e9t\u00e9' },
        { 'Idempotency-Key': '' },
        { 'Idempotency-Key': ['a', 'b'] },
        { 'X-Trace-ID': 'x'.repeat(500) },
        { 'X-Trace-ID': '../\u00ff' },
        { 'Content-Type': ['application/json', 'text/plain'] },
        { Accept: 'text/html' },
        { 'X-Forwarded-For': '10.0.0.1, 999.1.1.1' },
        { 'Accept-Encoding': 'gzip, br' },
        { 'X-HTTP-Method-Override': 'DELETE' },
      ];
      const headers = variants[n(0, variants.length)]!;
      return finish(target, kind, parts, `headers ${JSON.stringify(headers)}`, { headers });
    }
  }
}

/** `count` cases for one target, deterministic for a seed, kinds spread evenly. */
export function casesFor(target: Target, hints: Hints, count: number, seed: number): Case[] {
  const arbitrary = fc.tuple(validParts(target, hints), fc.array(fc.nat(), { minLength: 4, maxLength: 4 }));
  return fc.sample(arbitrary, { numRuns: count, seed }).map(([parts, pick], i) => mutate(target, KINDS[i % KINDS.length]!, parts, pick));
}

/**
 * Kinds that break the contract for this operation, so a 2xx would mean validation let bad input
 * through (the others may be legitimately accepted, e.g. odd unicode in a free-text field).
 */
export function mustReject(c: Case): boolean {
  const hasBody = c.target.operation.bodySchema !== undefined;
  switch (c.kind) {
    case 'malformed-json':
    case 'oversize':
    case 'unknown-query':
      return true;
    case 'wrong-type':
    case 'deep-nesting':
    case 'extra-property':
      return hasBody;
    default:
      return false;
  }
}
