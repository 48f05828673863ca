import { openapi, testRuleCases, type Files, type RuleCase } from '../../test-support/lint-fixture.ts';

const RULE = 'starship/idempotency-key-on-create';

const ok = { '200': { description: 'ok' } };
const keyParam = (required: boolean) => ({ name: 'Idempotency-Key', in: 'header', required, schema: { type: 'string' } });
const withPaths = (paths: Record<string, unknown>, extra: Files = {}): Files => ({
  'openapi.yaml': openapi({ paths, components: { parameters: { IdempotencyKey: keyParam(false), IdempotencyKeyRequired: keyParam(true) } } }),
  ...extra,
});

const cases: RuleCase[] = [
  {
    name: 'creating POSTs with the header (inline, $ref, split file, path level, any case); safe POSTs and GETs without',
    files: withPaths(
      {
        '/orders': {
          post: { operationId: 'createOrder', parameters: [{ $ref: '#/components/parameters/IdempotencyKeyRequired' }], responses: ok },
          get: { operationId: 'listOrders', responses: ok },
        },
        '/webhooks': { post: { operationId: 'upsertWebhook', parameters: [{ ...keyParam(false), name: 'idempotency-key' }], responses: ok } },
        '/webhooks/{webhook_id}/rotate-secret': { $ref: 'paths/rotate.yaml' },
        '/charges': { post: { operationId: 'calculateCharges', 'x-starship-safe': true, responses: ok } },
      },
      {
        'paths/rotate.yaml': {
          parameters: [{ $ref: '../components/parameters.yaml#/IdempotencyKey' }],
          post: { operationId: 'rotateWebhookSecret', responses: ok },
        },
        'components/parameters.yaml': { IdempotencyKey: keyParam(false) },
      },
    ),
    expected: [],
  },
  {
    name: 'a creating POST without the header',
    files: withPaths({ '/orders': { post: { operationId: 'createOrder', responses: ok } } }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/post`],
  },
  {
    name: 'Idempotency-Key in the query is not the header',
    files: withPaths({ '/webhooks': { post: { parameters: [{ ...keyParam(false), in: 'query' }], responses: ok } } }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1webhooks/post`],
  },
  {
    name: 'x-starship-safe must be the boolean true',
    files: withPaths({ '/charges': { post: { 'x-starship-safe': 'yes', responses: ok } } }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1charges/post`],
  },
  {
    name: 'createOrder must make the key required',
    files: withPaths({ '/orders': { post: { operationId: 'createOrder', parameters: [{ $ref: '#/components/parameters/IdempotencyKey' }], responses: ok } } }),
    expected: [`${RULE} @ openapi.yaml#/components/parameters/IdempotencyKey`],
  },
  {
    name: 'webhook POSTs are sent by Starship and are not checked',
    files: { 'openapi.yaml': openapi({ webhooks: { 'order.delivered': { post: { responses: ok } } } }) },
    expected: [],
  },
];

testRuleCases(RULE, cases, { severity: 'error', requiredOn: ['createOrder'] });
