import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBaseline, loadSpec, type OpenApiDocument } from './index.ts';
import { createContractValidator } from './validator.ts';

const withSchema = (schema: object): OpenApiDocument => ({
  openapi: '3.1.0',
  paths: {
    '/x': {
      post: {
        operationId: 'x',
        'x-internal': true,
        requestBody: { content: { 'application/json': { schema } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
});

// The validator reads the specs as plain JSON Schema 2020-12; this is what makes that safe.
test('the bundled specs and the v1 baseline use JSON Schema 2020-12 and OpenAPI annotations only: every operation compiles in strict mode', () => {
  for (const doc of [loadSpec('starship'), loadSpec('sandbox'), loadBaseline()]) {
    const validator = createContractValidator(doc);
    assert.doesNotThrow(() => validator.compileAll());
    assert.ok(validator.operationIds.length > 10);
  }
});

test('OpenAPI keywords that would need preprocessing are refused, not silently ignored', () => {
  for (const keyword of ['nullable', 'readOnly', 'writeOnly']) {
    assert.throws(() => createContractValidator(withSchema({ type: 'object', properties: { a: { type: 'string', [keyword]: true } } })), new RegExp(`keyword ${keyword}`));
  }
  const discriminated = createContractValidator(withSchema({ oneOf: [{ type: 'object' }], discriminator: { propertyName: 'kind' } }));
  assert.throws(() => discriminated.validateRequest('x', { body: {} }), /unknown keyword: "discriminator"/);
  // Annotations, extensions, and keywords' names used as data or property names are fine.
  const annotated = createContractValidator(
    withSchema({
      type: 'object',
      example: { nullable: true },
      'x-starship-note': 'annotation',
      properties: { nullable: { type: 'boolean', examples: [{ readOnly: 1 }] } },
    }),
  );
  assert.deepEqual(annotated.validateRequest('x', { contentType: 'application/json', body: { nullable: 'no' } }).problems.length, 1);
});
