import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpecValidator } from './spec-validator.ts';
import type { OpenApiDocument } from '@starship/contract';

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
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': { $ref: '#/components/responses/NotFound' },
        },
      },
    },
  },
  components: {
    headers: { Trace: { required: true, schema: { type: 'string', minLength: 1 } } },
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'status'],
        properties: { id: { type: 'integer' }, status: { enum: ['ACTIVE', 'GONE'] } },
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
const cases: { name: string; status: number; headers: Record<string, string>; body: unknown; expected: string[] }[] = [
  { name: 'conforming', status: 200, headers: { ...json, 'X-Trace-ID': 't1', 'X-Count': '3' }, body: { id: 1, status: 'ACTIVE', extra: true }, expected: [] },
  { name: 'required header missing', status: 200, headers: json, body: { id: 1, status: 'ACTIVE' }, expected: ['header X-Trace-ID is required but missing'] },
  { name: 'header of the wrong type', status: 200, headers: { ...json, 'X-Trace-ID': 't', 'X-Count': 'many' }, body: { id: 1, status: 'ACTIVE' }, expected: ['header X-Count must be integer'] },
  { name: 'lowercase enum', status: 200, headers: { ...json, 'X-Trace-ID': 't' }, body: { id: 1, status: 'active' }, expected: ['body/status must be equal to one of the allowed values'] },
  { name: 'missing body field', status: 200, headers: { ...json, 'X-Trace-ID': 't' }, body: { status: 'GONE' }, expected: ["body must have required property 'id'"] },
  { name: 'not JSON', status: 200, headers: { 'content-type': 'text/html', 'X-Trace-ID': 't' }, body: { id: 1, status: 'GONE' }, expected: ['content-type "text/html" is not JSON'] },
  { name: 'error through two response refs', status: 404, headers: json, body: { error: 'not_found' }, expected: ['body/error must be object'] },
  { name: 'undocumented status', status: 500, headers: json, body: {}, expected: ['status 500 is not documented for getThing'] },
];

const validator = new SpecValidator(doc);
for (const c of cases) {
  test(`validateResponse: ${c.name}`, () => {
    assert.deepEqual(validator.validateResponse('getThing', { status: c.status, headers: new Headers(c.headers), body: c.body }), c.expected);
  });
}

test('unknown operationId is a programming error', () => {
  assert.throws(() => validator.validateResponse('nope', { status: 200, headers: new Headers(), body: {} }), /unknown operationId/);
});
