import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenApiDocument } from '../spec.ts';
import { createContractValidator, problemText, type ResponseInput } from '../validator.ts';

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        responses: {
          '200': {
            description: 'ok',
            headers: {
              'X-Trace-ID': { $ref: '#/components/headers/Trace' },
              'X-Count': { schema: { type: 'integer', minimum: 0 } },
              'X-More': { schema: { type: 'boolean' } },
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '204': { description: 'nothing' },
          '4XX': { $ref: '#/components/responses/NotFound' },
          default: { description: 'anything else', content: { 'application/json': { schema: { type: 'object', required: ['fault'] } } } },
        },
      },
    },
  },
  components: {
    headers: { Trace: { required: true, schema: { type: 'string', minLength: 1 } } },
    schemas: {
      Status: { type: 'string', enum: ['ACTIVE', 'GONE'] },
      Thing: {
        type: 'object',
        required: ['id', 'status'],
        properties: {
          id: { type: 'integer' },
          status: { $ref: '#/components/schemas/Status' },
          history: { type: 'array', items: { anyOf: [{ $ref: '#/components/schemas/Status' }, { type: 'integer' }] } },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code'] } } },
    },
    responses: {
      NotFound: { $ref: '#/components/responses/Missing' },
      Missing: { description: 'missing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  },
};

const json = { 'content-type': 'application/json; charset=utf-8' };
const closed = createContractValidator(doc);
const open = createContractValidator(doc, { openResponseEnums: true });
const check = (response: ResponseInput, validator = closed) => validator.validateResponse('getThing', response).map(problemText);
const observed = (status: number, headers: Record<string, string>, body?: unknown): ResponseInput => ({ status, headers: new Headers(headers), body });

test('status: the exact one, else its range, else default; an undocumented status is a problem', () => {
  assert.deepEqual(check(observed(404, json, { error: { code: 'E_NOT_FOUND' } })), [], '4XX, through two response references');
  assert.deepEqual(check(observed(418, json, { error: 'teapot' })), ['error must be object']);
  assert.deepEqual(check(observed(503, json, { fault: true })), [], 'default');
  const strict = createContractValidator({ openapi: '3.1.0', paths: { '/x': { get: { operationId: 'x', responses: { '200': { description: 'ok' } } } } } });
  assert.deepEqual(strict.validateResponse('x', { status: 500 }).map(problemText), ['status 500 is not documented for x']);
  assert.throws(() => closed.validateResponse('nope', { status: 200 }), /unknown operationId nope/);
});

test('headers: required ones present, values coerced from their text to the schema type; unchecked when not given', () => {
  assert.deepEqual(check(observed(200, { ...json, 'X-Trace-ID': 't1', 'X-Count': '3', 'X-More': 'false' }, { id: 1, status: 'ACTIVE', extra: true })), []);
  assert.deepEqual(check(observed(200, json, { id: 1, status: 'ACTIVE' })), ['headers.x-trace-id is required']);
  assert.deepEqual(check(observed(200, { ...json, 'X-Trace-ID': 't', 'X-Count': 'many', 'X-More': 'yes' }, { id: 1, status: 'ACTIVE' })), [
    'headers.x-count must be integer',
    'headers.x-more must be boolean',
  ]);
  assert.deepEqual(check({ status: 200, body: { id: 1, status: 'ACTIVE' } }), [], 'neither headers nor content type given');
  const numbers = { get: (name: string) => ({ 'x-trace-id': 't', 'x-count': 7 })[name] };
  assert.deepEqual(check({ status: 200, headers: numbers, contentType: 'application/json', body: { id: 1, status: 'GONE' } }), []);
});

test('bodies: valid against the schema (formats included), of a documented media type, present exactly when documented', () => {
  const headers = { ...json, 'X-Trace-ID': 't' };
  assert.deepEqual(check(observed(200, headers, { status: 'GONE' })), ["id must have required property 'id'"]);
  assert.deepEqual(check(observed(200, headers, { id: 1, status: 'GONE', created_at: '2026-02-30T10:00:00Z' })), ['created_at must match format "date-time"']);
  const byShape = createContractValidator(doc, { responseFormats: 'fast' });
  assert.deepEqual(byShape.validateResponse('getThing', observed(200, headers, { id: 1, status: 'GONE', created_at: '2026-02-30T10:00:00Z' })), [], 'fast: the shape only');
  assert.equal(byShape.validateResponse('getThing', observed(200, headers, { id: 1, status: 'GONE', created_at: 'yesterday' })).length, 1);
  assert.deepEqual(check(observed(200, { ...headers, 'content-type': 'text/html' }, { id: 1, status: 'GONE' })), ['content-type "text/html" is not documented (application/json)']);
  assert.deepEqual(check(observed(200, { 'X-Trace-ID': 't' }, { id: 1, status: 'GONE' })), ['content-type "" is not documented (application/json)']);
  assert.deepEqual(check(observed(200, { ...headers, 'content-type': 'application/problem+json' }, { id: 1, status: 'GONE' })), []);
  assert.deepEqual(check(observed(200, headers)), ['body is required: application/json is documented for getThing 200']);
  assert.deepEqual(check(observed(204, {}, { id: 1 })), ['body must be empty: no body is documented for getThing 204']);
  assert.deepEqual(check(observed(204, {})), []);
});

test('closed enums (the sandbox): any value outside the enum breaks the contract', () => {
  const headers = { ...json, 'X-Trace-ID': 't' };
  assert.deepEqual(check(observed(200, headers, { id: 1, status: 'PAUSED' })), ['status must be equal to one of the allowed values: ACTIVE, GONE']);
  assert.deepEqual(check(observed(200, headers, { id: 1, status: 'active' })), ['status must be equal to one of the allowed values: ACTIVE, GONE']);
});

test('open enums (conformance): a new value is the spec lagging, a case variant or a wrong type still breaks the contract', () => {
  const headers = { ...json, 'X-Trace-ID': 't' };
  const problems = (body: unknown) => open.validateResponse('getThing', observed(200, headers, body));
  assert.deepEqual(problems({ id: 1, status: 'ACTIVE' }), []);

  const added = problems({ id: 1, status: 'PAUSED', history: ['ACTIVE', 'ARCHIVED', 3] });
  assert.deepEqual(added.map((p) => [problemText(p), p.newEnumValue]), [
    ['status must be equal to one of the allowed values: ACTIVE, GONE', true],
    ['history.1 must be equal to one of the allowed values: ACTIVE, GONE', true],
  ], 'only the new values are reported, not the anyOf they made fail');

  const recased = problems({ id: 1, status: 'Active' });
  assert.deepEqual(recased.map((p) => [problemText(p), p.newEnumValue]), [['status must be equal to one of the allowed values: ACTIVE, GONE', undefined]]);

  const mixed = problems({ id: 'one', status: 'PAUSED' });
  assert.deepEqual(mixed.map((p) => [problemText(p), p.newEnumValue]), [
    ['id must be integer', undefined],
    ['status must be equal to one of the allowed values: ACTIVE, GONE', true],
  ]);
  assert.deepEqual(problems({ id: 1, status: 7 }).map((p) => p.newEnumValue), [undefined, undefined], 'a number is no new string value');
});

test('a body text found valid is not walked again for the same operation and status; nothing else is remembered', () => {
  const validator = createContractValidator(doc);
  const headers = new Headers({ ...json, 'X-Trace-ID': 't' });
  const thing = { id: 1, status: 'ACTIVE' };
  const text = JSON.stringify(thing);
  assert.deepEqual(validator.validateResponse('getThing', { status: 200, headers, body: thing, bodyText: text }), []);
  // The body is not walked again: what is sent is the text, and that text was valid.
  assert.deepEqual(validator.validateResponse('getThing', { status: 200, headers, body: {}, bodyText: text }), []);
  assert.notDeepEqual(validator.validateResponse('getThing', { status: 404, headers, body: thing, bodyText: text }), [], 'valid for 200 says nothing about 404');
  const broken = { id: 1, status: 'SOON' };
  for (let i = 0; i < 2; i++) assert.notDeepEqual(validator.validateResponse('getThing', { status: 200, headers, body: broken, bodyText: JSON.stringify(broken) }), []);
  assert.notDeepEqual(validator.validateResponse('getThing', { status: 200, headers: new Headers(json), body: thing, bodyText: text }), [], 'headers are still checked');
});

test('a deeply frozen body found valid is remembered by identity; an unfrozen one, or another status, is walked again', () => {
  const validator = createContractValidator(doc);
  const headers = new Headers({ ...json, 'X-Trace-ID': 't' });
  let reads = 0;
  const counted = () => {
    const thing = { status: 'ACTIVE' } as { id?: number; status: string };
    Object.defineProperty(thing, 'id', { enumerable: true, get: () => (reads++, 1) });
    return thing;
  };
  const frozen = Object.freeze(counted());
  assert.deepEqual(validator.validateResponse('getThing', { status: 200, headers, body: frozen, frozenBody: true }), []);
  const walked = reads;
  assert.ok(walked > 0);
  assert.deepEqual(validator.validateResponse('getThing', { status: 200, headers, body: frozen, frozenBody: true }), []);
  assert.equal(reads, walked, 'the same frozen body is not walked again');
  assert.notDeepEqual(validator.validateResponse('getThing', { status: 404, headers, body: frozen, frozenBody: true }), [], 'valid for 200 says nothing about 404');
  assert.notDeepEqual(validator.validateResponse('getThing', { status: 200, headers: new Headers(json), body: frozen, frozenBody: true }), [], 'headers are still checked');
  const open = counted();
  validator.validateResponse('getThing', { status: 200, headers, body: open, frozenBody: true });
  const before = reads;
  validator.validateResponse('getThing', { status: 200, headers, body: open, frozenBody: true });
  assert.ok(reads > before, 'a body that is not frozen is walked every time, whatever the caller says');
  const broken = Object.freeze({ id: 1, status: 'SOON' });
  for (let i = 0; i < 2; i++) assert.notDeepEqual(validator.validateResponse('getThing', { status: 200, headers, body: broken, frozenBody: true }), []);
});
