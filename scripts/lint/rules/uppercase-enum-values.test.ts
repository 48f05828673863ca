import type { RuleConfig } from '@redocly/openapi-core';
import { openapi, testRuleCases, type Files, type RuleCase } from '../../test-support/lint-fixture.ts';

const RULE = 'starship/uppercase-enum-values';
const EVENT_NAMES = '^[a-z]+(\\.[a-z_]+)+$';

const withSchemas = (schemas: Record<string, unknown>, extra: Files = {}): Files => ({
  'openapi.yaml': openapi({ components: { schemas } }),
  ...extra,
});

const WITH_EVENT_NAMES: RuleConfig = { severity: 'error', allowPattern: EVENT_NAMES };

const cases: RuleCase[] = [
  {
    name: 'UPPERCASE enums, consts, non-string values and allowed event names pass',
    files: withSchemas({
      Status: { type: 'string', enum: ['PENDING', 'PARTIALLY_DELIVERED', 'E_NOT_FOUND'] },
      Kind: { const: 'ORDER' },
      Quantity: { type: 'integer', enum: [1, 5, 10] },
      Nullable: { enum: ['CODE', null] },
      EventType: { type: 'string', enum: ['order.delivered', 'wallet.low_balance'] },
    }),
    config: WITH_EVENT_NAMES,
    expected: [],
  },
  {
    name: 'lower-case enum value',
    files: withSchemas({ Status: { type: 'string', enum: ['PENDING', 'delivered'] } }),
    config: WITH_EVENT_NAMES,
    expected: [`${RULE} @ openapi.yaml#/components/schemas/Status/enum/1`],
  },
  {
    name: 'mixed-case const',
    files: withSchemas({ Kind: { const: 'Order' } }),
    config: WITH_EVENT_NAMES,
    expected: [`${RULE} @ openapi.yaml#/components/schemas/Kind/const`],
  },
  {
    name: 'event names fail without the exception pattern',
    files: withSchemas({ EventType: { enum: ['order.delivered'] } }),
    expected: [`${RULE} @ openapi.yaml#/components/schemas/EventType/enum/0`],
  },
  {
    name: 'the exception pattern does not excuse other shapes',
    files: withSchemas({ EventType: { enum: ['Order.Delivered', 'order'] } }),
    config: WITH_EVENT_NAMES,
    expected: [`${RULE} @ openapi.yaml#/components/schemas/EventType/enum/0`, `${RULE} @ openapi.yaml#/components/schemas/EventType/enum/1`],
  },
  {
    name: 'enum in a parameter schema of a split file',
    files: {
      'openapi.yaml': openapi({
        paths: {
          '/orders': {
            get: {
              parameters: [{ $ref: 'components/parameters.yaml#/Status' }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      }),
      'components/parameters.yaml': { Status: { name: 'status', in: 'query', schema: { type: 'string', enum: ['pending'] } } },
    },
    config: WITH_EVENT_NAMES,
    expected: [`${RULE} @ components/parameters.yaml#/Status/schema/enum/0`],
  },
];

testRuleCases(RULE, cases);
