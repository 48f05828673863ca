import { openapi, testRuleCases, type Files, type RuleCase } from '../../test-support/lint-fixture.ts';

const RULE = 'starship/signing-extension';

const SIGNING = {
  version: 'v1',
  algorithm: 'HMAC-SHA256',
  encoding: 'hex',
  key: 'api_secret',
  canonical: ['timestamp', 'method', 'path_with_query', 'raw_body'],
  separator: '',
  timestamp_header: 'X-Timestamp',
  signature_header: 'X-Signature',
  signature_format: 't={timestamp},v1={signature}',
  tolerance_seconds: 300,
  applies_to: ['POST', 'PUT', 'PATCH', 'DELETE'],
};
const WEBHOOK_SIGNING = {
  algorithm: 'HMAC-SHA256',
  encoding: 'hex',
  key: 'endpoint_secret',
  canonical: ['timestamp', 'raw_body'],
  separator: '.',
  signature_header: 'X-Signature',
  signature_format: 't={timestamp},v1={signature}[,v1={signature}]',
  tolerance_seconds: 300,
};
const root = (extensions: Record<string, unknown>): Files => ({ 'openapi.yaml': openapi({ paths: {}, ...extensions }) });
const { timestamp_header: _dropped, ...signingWithoutTimestampHeader } = SIGNING;

const cases: RuleCase[] = [
  {
    name: 'both schemes declared in full',
    files: root({ 'x-starship-signing': SIGNING, 'x-starship-webhook-signing': WEBHOOK_SIGNING }),
    expected: [],
  },
  {
    name: 'a scheme kept in its own file',
    files: {
      ...root({ 'x-starship-signing': { $ref: 'signing.yaml' }, 'x-starship-webhook-signing': WEBHOOK_SIGNING }),
      'signing.yaml': SIGNING,
    },
    expected: [],
  },
  {
    name: 'no request signing scheme',
    files: root({ 'x-starship-webhook-signing': WEBHOOK_SIGNING }),
    expected: [`${RULE} @ openapi.yaml#/`],
    mentions: ['x-starship-signing'],
  },
  {
    name: 'no webhook signing scheme',
    files: root({ 'x-starship-signing': SIGNING }),
    expected: [`${RULE} @ openapi.yaml#/`],
    mentions: ['x-starship-webhook-signing'],
  },
  {
    name: 'a required key missing',
    files: root({ 'x-starship-signing': signingWithoutTimestampHeader, 'x-starship-webhook-signing': WEBHOOK_SIGNING }),
    expected: [`${RULE} @ openapi.yaml#/x-starship-signing`],
    mentions: ['timestamp_header'],
  },
  {
    name: 'canonical as a string and a zero tolerance',
    files: root({
      'x-starship-signing': { ...SIGNING, canonical: 'timestamp+method+path+body' },
      'x-starship-webhook-signing': { ...WEBHOOK_SIGNING, tolerance_seconds: 0 },
    }),
    expected: [`${RULE} @ openapi.yaml#/x-starship-signing/canonical`, `${RULE} @ openapi.yaml#/x-starship-webhook-signing/tolerance_seconds`],
  },
  {
    name: 'a scheme that is not an object',
    files: root({ 'x-starship-signing': 'HMAC-SHA256', 'x-starship-webhook-signing': WEBHOOK_SIGNING }),
    expected: [`${RULE} @ openapi.yaml#/x-starship-signing`],
  },
];

testRuleCases(RULE, cases);
