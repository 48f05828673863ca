import { openapi, testRuleCases, type RuleCase } from '../../test-support/lint-fixture.ts';

const RULE = 'starship/no-unused-components';

const get = (parameters: unknown[], schema: unknown) => ({
  '/orders': { get: { parameters, responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } } },
});

const cases: RuleCase[] = [
  {
    name: 'every component referenced, in one file',
    files: {
      'openapi.yaml': openapi({
        paths: get([{ $ref: '#/components/parameters/Page' }], { $ref: '#/components/schemas/Order' }),
        components: { parameters: { Page: { name: 'page', in: 'query', schema: { type: 'integer' } } }, schemas: { Order: { type: 'object' } } },
      }),
    },
    expected: [],
  },
  {
    name: 'an unused parameter and schema, in one file',
    files: {
      'openapi.yaml': openapi({
        paths: get([], { type: 'object' }),
        components: { parameters: { Currency: { name: 'currency', in: 'query', schema: { type: 'string' } } }, schemas: { Order: { type: 'object' } } },
      }),
    },
    expected: [`${RULE} @ openapi.yaml#/components/parameters/Currency`, `${RULE} @ openapi.yaml#/components/schemas/Order`],
    mentions: ['Component parameters/Currency is never referenced'],
  },
  {
    name: 'split spec: paths reference the component files directly; the root aliases do not count as uses',
    files: {
      'openapi.yaml': openapi({
        paths: { '/orders': { $ref: 'paths/orders.yaml' } },
        components: {
          parameters: { Page: { $ref: 'components/parameters.yaml#/Page' }, Currency: { $ref: 'components/parameters.yaml#/Currency' } },
          schemas: { Order: { $ref: 'components/schemas/Order.yaml' } },
        },
      }),
      'paths/orders.yaml': { get: { parameters: [{ $ref: '../components/parameters.yaml#/Page' }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '../components/schemas/Order.yaml' } } } } } } },
      'components/parameters.yaml': { Page: { name: 'page', in: 'query', schema: { type: 'integer' } }, Currency: { name: 'currency', in: 'query', schema: { type: 'string' } } },
      'components/schemas/Order.yaml': { type: 'object' },
    },
    expected: [`${RULE} @ openapi.yaml#/components/parameters/Currency`],
  },
  {
    name: 'a schema used only by a webhook, or only by another component, is used',
    files: {
      'openapi.yaml': openapi({
        webhooks: { 'order.delivered': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' } } } }, responses: { '200': { description: 'ok' } } } } },
        components: { schemas: { Event: { type: 'object', properties: { data: { $ref: '#/components/schemas/Data' } } }, Data: { type: 'object' } } },
      }),
    },
    expected: [],
  },
];

testRuleCases(RULE, cases);
