import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, type NormalizedProblem } from '@redocly/openapi-core';
import { lintFixture, openapi, type Files } from '../test-support/lint-fixture.ts';

// The real redocly.yaml: proves the plugin path, the configurable snake_case rule and the per-API
// overrides, which the rule tests (inline configs) do not see.
const CONFIG_PATH = fileURLToPath(new URL('../../redocly.yaml', import.meta.url));

const ours = (id: string) => id.startsWith('starship/') || id.startsWith('rule/') || id === 'operation-operationId' || id === 'operation-description';

function countByRule(problems: NormalizedProblem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { ruleId } of problems.filter((p) => ours(p.ruleId))) counts[ruleId] = (counts[ruleId] ?? 0) + 1;
  return counts;
}

const traceOnly = { 'X-Trace-ID': { schema: { type: 'string' } } };

/** Breaks every contract rule once (the Error schema is never referenced, no operation has a description); the 201 carries X-Trace-ID only, enough for the sandbox alone. */
const violatesEverything: Files = {
  'openapi.yaml': openapi({
    paths: {
      '/orders': {
        get: {
          operationId: 'listOrders',
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } } } } } },
        },
        post: {
          responses: { '201': { description: 'created', headers: traceOnly }, '400': { description: 'bad', headers: traceOnly } },
        },
      },
    },
    components: {
      schemas: {
        Error: { type: 'object', properties: { error: { type: 'object' } } },
        Order: { type: 'object', properties: { pendingItems: { type: 'integer' }, status: { type: 'string', enum: ['pending'] } } },
      },
    },
  }),
};

test('redocly.yaml: the partner API gets every contract rule', async () => {
  const config = (await loadConfig({ configPath: CONFIG_PATH })).forAlias('starship@v1');
  assert.deepEqual(countByRule(await lintFixture(violatesEverything, config)), {
    'operation-description': 2,
    'operation-operationId': 1,
    'rule/snake-case-properties': 1,
    'starship/error-envelope': 1,
    'starship/idempotency-key-on-create': 1,
    'starship/no-unused-components': 1,
    'starship/pagination-headers-on-lists': 2,
    'starship/signature-headers-on-writes': 2,
    'starship/signing-extension': 2,
    'starship/trace-and-rate-limit-headers': 3,
    'starship/uppercase-enum-values': 1,
  });
});

test('redocly.yaml: the sandbox API skips partner-only rules and needs only X-Trace-ID', async () => {
  const config = (await loadConfig({ configPath: CONFIG_PATH })).forAlias('sandbox@v1');
  assert.deepEqual(countByRule(await lintFixture(violatesEverything, config)), {
    'operation-description': 2,
    'operation-operationId': 1,
    'rule/snake-case-properties': 1,
    'starship/error-envelope': 1,
    'starship/no-unused-components': 1,
    'starship/trace-and-rate-limit-headers': 1,
    'starship/uppercase-enum-values': 1,
  });
});
