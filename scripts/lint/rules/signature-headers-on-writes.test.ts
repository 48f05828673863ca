import { openapi, testRuleCases, type Files, type RuleCase } from '../../test-support/lint-fixture.ts';

const RULE = 'starship/signature-headers-on-writes';

const ok = { '200': { description: 'ok' } };
const header = (name: string, required = true) => ({ name, in: 'header', required, schema: { type: 'string' } });
const signed = [{ $ref: '#/components/parameters/Timestamp' }, { $ref: '#/components/parameters/Signature' }];
const withPaths = (paths: Record<string, unknown>, extra: Files = {}): Files => ({
  'openapi.yaml': openapi({
    paths,
    components: { parameters: { Timestamp: header('X-Timestamp'), Signature: header('X-Signature'), OptionalSignature: header('X-Signature', false) } },
  }),
  ...extra,
});

const cases: RuleCase[] = [
  {
    name: 'every write signed (component refs, split file, path level, any case); reads need nothing',
    files: withPaths(
      {
        '/orders': { post: { parameters: signed, responses: ok }, get: { responses: ok } },
        '/webhooks/{webhook_id}': { $ref: 'paths/webhook.yaml' },
        '/settings': { patch: { parameters: [header('x-timestamp'), header('x-signature')], responses: ok } },
      },
      {
        'paths/webhook.yaml': {
          parameters: [{ $ref: '../components/parameters.yaml#/Timestamp' }, { $ref: '../components/parameters.yaml#/Signature' }],
          put: { responses: ok },
          delete: { responses: ok },
        },
        'components/parameters.yaml': { Timestamp: header('X-Timestamp'), Signature: header('X-Signature') },
      },
    ),
    expected: [],
  },
  {
    name: 'a DELETE without either header',
    files: withPaths({ '/webhooks/{webhook_id}': { delete: { operationId: 'deleteWebhook', responses: ok } } }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1webhooks~1{webhook_id}/delete`, `${RULE} @ openapi.yaml#/paths/~1webhooks~1{webhook_id}/delete`],
    mentions: ['deleteWebhook', 'X-Timestamp', 'X-Signature'],
  },
  {
    name: 'an optional signature header, shared by two writes, is reported once at its definition',
    files: withPaths({
      '/orders': { post: { parameters: [signed[0], { $ref: '#/components/parameters/OptionalSignature' }], responses: ok } },
      '/webhooks': { post: { parameters: [signed[0], { $ref: '#/components/parameters/OptionalSignature' }], responses: ok } },
    }),
    expected: [`${RULE} @ openapi.yaml#/components/parameters/OptionalSignature`],
  },
  {
    name: 'an operation that overrides the path-level required header with an optional one',
    files: withPaths({
      '/orders': { parameters: signed, post: { parameters: [header('X-Timestamp', false)], responses: ok } },
    }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/post/parameters/0`],
  },
  {
    name: 'webhook deliveries are signed differently and are not checked',
    files: { 'openapi.yaml': openapi({ webhooks: { 'order.delivered': { post: { responses: ok } } } }) },
    expected: [],
  },
];

testRuleCases(RULE, cases);
