import { openapi, testRuleCases, type Files, type RuleCase } from '../../test-support/lint-fixture.ts';

const RULE = 'starship/error-envelope';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', properties: { name: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
};
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const errorRef = { $ref: '#/components/schemas/Error' };

/** One GET /orders with the given responses, Error inline in components. */
const withResponses = (responses: Record<string, unknown>, components: Record<string, unknown> = {}): Files => ({
  'openapi.yaml': openapi({
    paths: { '/orders': { get: { operationId: 'listOrders', responses: { '200': { description: 'ok' }, ...responses } } } },
    components: { schemas: { Error: ERROR_SCHEMA }, ...components },
  }),
});

const cases: RuleCase[] = [
  {
    name: 'direct $ref, allOf, a components/responses $ref and a 5XX range pass',
    files: withResponses(
      {
        '400': { description: 'bad', ...json(errorRef) },
        '404': { $ref: '#/components/responses/NotFound' },
        '422': { description: 'unprocessable', ...json({ allOf: [errorRef, { type: 'object', properties: { details: { type: 'object' } } }] }) },
        '5XX': { description: 'server', ...json(errorRef) },
      },
      { responses: { NotFound: { description: 'not found', ...json(errorRef) } } },
    ),
    expected: [],
  },
  {
    name: 'split files: Error aliased in components, referenced by file from paths and shared responses',
    files: {
      'openapi.yaml': openapi({
        paths: { '/orders': { $ref: 'paths/orders.yaml' } },
        components: { schemas: { Error: { $ref: 'components/schemas/Error.yaml' } } },
      }),
      'paths/orders.yaml': {
        get: {
          responses: {
            '200': { description: 'ok' },
            '400': { description: 'bad', ...json({ $ref: '../components/schemas/Error.yaml' }) },
            '401': { $ref: '../components/responses.yaml#/Unauthorized' },
            '409': { description: 'conflict', ...json({ $ref: '../components/schemas/IdempotencyError.yaml' }) },
          },
        },
      },
      'components/responses.yaml': { Unauthorized: { description: 'unauthorized', ...json({ $ref: 'schemas/Error.yaml' }) } },
      'components/schemas/Error.yaml': ERROR_SCHEMA,
      'components/schemas/IdempotencyError.yaml': { allOf: [{ $ref: 'Error.yaml' }] },
    },
    expected: [],
  },
  {
    name: 'error response without a body',
    files: withResponses({ '400': { description: 'bad' } }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/get/responses/400`],
  },
  {
    name: 'error response with a non-JSON body',
    files: withResponses({ '404': { description: 'nf', content: { 'text/plain': { schema: { type: 'string' } } } } }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/get/responses/404`],
  },
  {
    name: 'an inline look-alike of the envelope is not the envelope',
    files: withResponses({ '422': { description: 'bad', ...json(ERROR_SCHEMA) } }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/get/responses/422/content/application~1json/schema`],
  },
  {
    name: 'the legacy {"error": "bad_request"} shape in a 4XX range',
    files: withResponses({ '4XX': { description: 'bad', ...json({ type: 'object', properties: { error: { type: 'string' } } }) } }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/get/responses/4XX/content/application~1json/schema`],
  },
  {
    name: 'a shared bad response is reported once, at its definition',
    files: {
      'openapi.yaml': openapi({
        paths: {
          '/orders': { get: { responses: { '200': { description: 'ok' }, '404': { $ref: 'components/responses.yaml#/NotFound' } } } },
          '/products': { get: { responses: { '200': { description: 'ok' }, '404': { $ref: 'components/responses.yaml#/NotFound' } } } },
        },
        components: { schemas: { Error: ERROR_SCHEMA } },
      }),
      'components/responses.yaml': { NotFound: { description: 'nf' } },
    },
    expected: [`${RULE} @ components/responses.yaml#/NotFound`],
  },
  {
    name: 'a document without components.schemas.Error',
    files: { 'openapi.yaml': openapi({ paths: { '/orders': { get: { responses: { '200': { description: 'ok' } } } } } }) },
    expected: [`${RULE} @ openapi.yaml#/`],
  },
  {
    name: 'webhooks are requests Starship sends: their responses are the partner’s business',
    files: {
      'openapi.yaml': openapi({
        webhooks: { 'order.delivered': { post: { responses: { '200': { description: 'ok' }, '400': { description: 'rejected' } } } } },
        components: { schemas: { Error: ERROR_SCHEMA } },
      }),
    },
    expected: [],
  },
];

testRuleCases(RULE, cases);
