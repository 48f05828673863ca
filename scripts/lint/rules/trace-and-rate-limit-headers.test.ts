import type { RuleConfig } from '@redocly/openapi-core';
import { openapi, testRuleCases, type Files, type RuleCase } from '../../test-support/lint-fixture.ts';

const RULE = 'starship/trace-and-rate-limit-headers';

const STANDARD = ['X-Trace-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];
const headers = (names: string[]) => Object.fromEntries(names.map((n) => [n, { schema: { type: 'string' } }]));
const response = (names: string[]) => ({ description: 'r', headers: headers(names) });
const withResponses = (responses: Record<string, unknown>, extra: Files = {}): Files => ({
  'openapi.yaml': openapi({ paths: { '/orders': { get: { responses } } } }),
  ...extra,
});
const SANDBOX: RuleConfig = { severity: 'error', headers: ['X-Trace-ID'], rateLimitedHeaders: [] };

const cases: RuleCase[] = [
  {
    name: 'all responses declare the headers (inline, header $refs, shared response, any case); 429 adds Retry-After',
    files: withResponses(
      {
        '200': { description: 'ok', headers: Object.fromEntries(STANDARD.map((h) => [h, { $ref: 'components/headers.yaml#/Any' }])) },
        '404': { $ref: 'components/responses.yaml#/NotFound' },
        '429': response([...STANDARD, 'retry-after']),
        default: response(STANDARD.map((h) => h.toUpperCase())),
      },
      {
        'components/headers.yaml': { Any: { schema: { type: 'string' } } },
        'components/responses.yaml': { NotFound: response(STANDARD) },
      },
    ),
    expected: [],
  },
  {
    name: 'a response missing a rate-limit header',
    files: withResponses({ '200': response(STANDARD.filter((h) => h !== 'X-RateLimit-Reset')) }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/get/responses/200`],
    mentions: ['X-RateLimit-Reset'],
  },
  {
    name: 'a 429 without Retry-After',
    files: withResponses({ '200': response(STANDARD), '429': response(STANDARD) }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/get/responses/429`],
    mentions: ['Retry-After'],
  },
  {
    name: 'a shared response without headers is reported once, at its definition',
    files: {
      'openapi.yaml': openapi({
        paths: {
          '/orders': { get: { responses: { '200': response(STANDARD), '404': { $ref: 'components/responses.yaml#/NotFound' } } } },
          '/products': { get: { responses: { '200': response(STANDARD), '404': { $ref: 'components/responses.yaml#/NotFound' } } } },
        },
      }),
      'components/responses.yaml': { NotFound: { description: 'nf' } },
    },
    expected: [`${RULE} @ components/responses.yaml#/NotFound`],
  },
  {
    name: 'sandbox configuration: X-Trace-ID alone is enough',
    files: withResponses({ '200': response(['X-Trace-ID']), '429': response(['X-Trace-ID']) }),
    config: SANDBOX,
    expected: [],
  },
  {
    name: 'sandbox configuration: X-Trace-ID is still required',
    files: withResponses({ '200': response([]) }),
    config: SANDBOX,
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/get/responses/200`],
    mentions: ['X-Trace-ID'],
  },
];

testRuleCases(RULE, cases);
