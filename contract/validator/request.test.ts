import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenApiDocument } from '../spec.ts';
import { createContractValidator, problemText, type RequestInput } from '../validator.ts';

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/things/{id}/{tags}': {
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
        { name: 'tags', in: 'path', required: true, schema: { type: 'array', items: { type: 'string' } } },
      ],
      get: {
        operationId: 'getThing',
        parameters: [
          { $ref: '#/components/parameters/Page' },
          { name: 'sizes', in: 'query', schema: { type: 'array', items: { type: 'integer' }, maxItems: 3 } },
          { name: 'ids', in: 'query', explode: false, schema: { type: 'array', items: { type: 'integer' } } },
          { name: 'colours', in: 'query', style: 'pipeDelimited', explode: false, schema: { type: 'array', items: { enum: ['RED', 'BLUE'] } } },
          { name: 'filter', in: 'query', content: { 'application/json': { schema: { $ref: '#/components/schemas/Filter' } } } },
          { name: 'flag', in: 'query', allowEmptyValue: true, schema: { type: 'string' } },
          { name: 'exact', in: 'query', schema: { type: 'boolean' } },
          { name: 'X-Request-Count', in: 'header', required: true, schema: { type: 'integer', maximum: 5 } },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/things': {
      post: {
        operationId: 'createThing',
        parameters: [{ name: 'mode', in: 'query', required: true, schema: { enum: ['FAST', 'SLOW'] } }],
        requestBody: { $ref: '#/components/requestBodies/Thing' },
        responses: { '201': { description: 'created' } },
      },
      put: {
        operationId: 'replaceThing',
        requestBody: { content: { 'application/json': { schema: { type: 'object' } }, 'text/plain': { schema: { type: 'string' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  components: {
    parameters: { Page: { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } } },
    requestBodies: {
      Thing: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              additionalProperties: false,
              required: ['count'],
              properties: { count: { type: 'integer', default: 1 }, email: { type: 'string', format: 'email' }, size: { type: 'integer', default: 9 } },
            },
          },
        },
      },
    },
    schemas: { Filter: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, min: { type: 'integer' } } } },
  },
};

const validator = createContractValidator(doc);
const get = (request: RequestInput) => validator.validateRequest('getThing', { pathParams: { id: '7', tags: 'a,b' }, headers: { 'x-request-count': '1' }, ...request });
const texts = (request: RequestInput, operationId = 'getThing') =>
  (operationId === 'getThing' ? get(request) : validator.validateRequest(operationId, request)).problems.map(problemText);

test('path parameters: decoded, then coerced (integers) or split before decoding (arrays)', () => {
  const verdict = get({ pathParams: { id: '%37', tags: 'a%2Cb,c%20d' } });
  assert.deepEqual(verdict.problems, []);
  assert.deepEqual(verdict.pathParams, { id: 7, tags: ['a,b', 'c d'] });
  assert.deepEqual(texts({ pathParams: { id: 'x', tags: 'a' } }), ['params.id must be an integer written in decimal digits']);
  assert.deepEqual(texts({ pathParams: { id: '%E0%A4%A', tags: '%zz' } }), ['params.id must be percent-encoded UTF-8', 'params.tags must be percent-encoded UTF-8']);
  assert.deepEqual(texts({ pathParams: { id: '0', tags: 'a' } }), ['params.id must be >= 1']);
});

// Regression (issue 18): Ajv's coercion reads with Number(), so /products/0x7D1 was product 2001.
test('numeric parameters are decimal text: hex, binary, exponents, blanks and Infinity are refused before coercion', () => {
  for (const id of ['0x7D1', '0b11', '0o7', '1e3', '%207', '7%20', 'Infinity', '+7', '7.0']) {
    assert.deepEqual(texts({ pathParams: { id, tags: 'a' } }), ['params.id must be an integer written in decimal digits'], id);
  }
  assert.deepEqual(texts({ query: { page: '0x2' } }), ['query.page must be an integer written in decimal digits']);
  assert.deepEqual(texts({ headers: { 'x-request-count': '0x2' } }), ['headers.x-request-count must be an integer written in decimal digits']);
  assert.deepEqual(get({ pathParams: { id: '007', tags: 'a' } }).pathParams.id, 7);
});

test('query parameters: coerced, arrays per style and explode, JSON content parsed, defaults filled in', () => {
  const verdict = get({ query: { sizes: ['1', '2'], ids: '3,4', colours: 'RED|BLUE', filter: '{"name":"x","min":2}', exact: 'true', flag: '' } });
  assert.deepEqual(verdict.problems, []);
  assert.deepEqual(verdict.query, { page: 1, sizes: [1, 2], ids: [3, 4], colours: ['RED', 'BLUE'], filter: { name: 'x', min: 2 }, exact: true, flag: '' });
  assert.deepEqual(get({ query: { sizes: '5', page: '2' } }).query, { page: 2, sizes: [5] }, 'one exploded value is a one-item array');
});

test('query problems: unknown, repeated, empty, wrong type, bad JSON — all reported at once', () => {
  assert.deepEqual(texts({ query: { colour: 'red', page: ['1', '2'], exact: '', sizes: ['1', 'x', '3', '4'], filter: '{"name":1', ids: ['1', '2'] } }), [
    "query.colour Unknown query parameter 'colour'",
    'query.page must be given at most once',
    'query.ids must be given at most once',
    'query.filter must be valid JSON',
    "query.exact Empty value found for query parameter 'exact'",
    'query.sizes must NOT have more than 3 items',
    'query.sizes.1 must be integer',
  ]);
  assert.deepEqual(texts({ query: { filter: '{"name":1,"max":2}', colours: 'RED|GREEN' } }), [
    'query.filter.max must NOT have additional properties',
    'query.filter.name must be string',
    'query.colours.1 must be equal to one of the allowed values: RED, BLUE',
  ]);
});

test('headers: by lower-case name, required, coerced from their text', () => {
  assert.deepEqual(texts({ headers: {} }), ['headers.x-request-count is required']);
  assert.deepEqual(texts({ headers: { 'x-request-count': '9' } }), ['headers.x-request-count must be <= 5']);
  assert.deepEqual(texts({ headers: { 'x-request-count': '2', 'x-other': 'anything' } }), []);
});

test('bodies: validated as sent (no coercion, no defaults inserted), formats checked, required ones present', () => {
  const body = { count: 2 };
  const created = validator.validateRequest('createThing', { query: { mode: 'FAST' }, contentType: 'application/json', body });
  assert.deepEqual(created.problems, []);
  assert.deepEqual(body, { count: 2 }, 'no default was inserted into the body');
  assert.deepEqual(texts({ query: { mode: 'FAST' }, contentType: 'application/json', body: { count: '2', email: 'nope', extra: 1 } }, 'createThing'), [
    'extra must NOT have additional properties',
    'count must be integer',
    'email must match format "email"',
  ]);
  assert.deepEqual(texts({ query: {}, contentType: 'application/json' }, 'createThing'), ['query.mode is required', 'body is required']);
  assert.deepEqual(texts({ query: { mode: 'fast' }, body: [] }, 'createThing'), [
    'query.mode must be equal to one of the allowed values: FAST, SLOW',
    'body must be object',
  ]);
});

test('Content-Type: documented types by their essence, any +json as JSON; another type is one problem and the body is left alone', () => {
  for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/vnd.thing+json; v=2']) {
    assert.deepEqual(texts({ query: { mode: 'SLOW' }, contentType: type, body: { count: 1 } }, 'createThing'), [], type);
  }
  const text = validator.validateRequest('createThing', { query: { mode: 'SLOW' }, contentType: 'text/plain; charset=utf-8' });
  assert.deepEqual(text.problems.map(problemText), ['unsupported media type text/plain']);
  assert.deepEqual(text.problems[0]!.params, { supported: ['application/json'] });
  assert.deepEqual(texts({ query: { mode: 'SLOW' }, contentType: '' }, 'createThing'), ['unsupported media type ""']);
  assert.deepEqual(texts({ contentType: 'text/plain' }, 'replaceThing'), [], 'a documented type that is not JSON is not parsed here');
  assert.deepEqual(texts({ contentType: 'text/html', body: undefined }), [], 'an operation without a body ignores the type');
});

test('what the validator cannot read is refused when the operation is compiled, not passed unchecked', () => {
  const withParameter = (parameter: object): OpenApiDocument => ({
    openapi: '3.1.0',
    paths: { '/x': { get: { operationId: 'x', parameters: [parameter], responses: { '200': { description: 'ok' } } } } },
  });
  const compile = (parameter: object) => createContractValidator(withParameter(parameter)).validateRequest('x', {});
  assert.throws(() => compile({ name: 's', in: 'cookie', schema: { type: 'string' } }), /in cookie is not supported/);
  assert.throws(() => compile({ name: 'o', in: 'query', schema: { type: 'object' } }), /object without content/);
  assert.throws(() => compile({ name: 'd', in: 'query', style: 'deepObject', schema: { type: 'object' } }), /object without content/);
  assert.throws(() => compile({ name: 'x', in: 'query', content: { 'text/csv': { schema: { type: 'string' } } } }), /only one JSON media type/);
  assert.throws(() => validator.validateRequest('nope', {}), /unknown operationId nope/);
});
