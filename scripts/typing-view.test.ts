import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typingView } from './typing-view.ts';

const sort = { $ref: '#/components/schemas/Sort' };
const doc = {
  openapi: '3.1.0',
  paths: {
    '/products': {
      parameters: [{ name: 'filter', in: 'query', content: { 'application/json': { schema: { type: 'object' } } } }],
      get: {
        parameters: [
          { name: 'sort', in: 'query', content: { 'application/json': { schema: sort } } },
          { name: 'page', in: 'query', schema: { type: 'integer' } },
          { $ref: '#/components/parameters/Shared' },
        ],
      },
    },
  },
  components: { parameters: { Shared: { name: 'shared', in: 'query', content: { 'application/json': { schema: sort } } } } },
};

test('typingView gives every content parameter its media type schema and leaves the input alone', () => {
  const view = typingView(doc) as unknown as typeof doc & Record<string, any>;
  const [sortParam, pageParam] = view.paths['/products'].get.parameters as any[];
  assert.deepEqual(sortParam.schema, sort);
  assert.deepEqual(pageParam.schema, { type: 'integer' });
  assert.deepEqual((view.paths['/products'].parameters[0] as any).schema, { type: 'object' });
  assert.deepEqual((view.components.parameters.Shared as any).schema, sort);
  assert.equal('schema' in doc.paths['/products'].get.parameters[0]!, false);
});
