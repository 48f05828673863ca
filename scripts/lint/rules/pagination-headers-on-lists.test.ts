import { openapi, testRuleCases, type Files, type RuleCase } from '../../test-support/lint-fixture.ts';

const RULE = 'starship/pagination-headers-on-lists';

const PAGINATION = ['X-Page', 'X-Per-Page', 'X-Total-Count', 'X-Total-Pages', 'X-Page-Size', 'X-Has-More'];
const headers = (names: string[]) => Object.fromEntries(names.map((n) => [n, { schema: { type: 'integer' } }]));
const arrayBody = { content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } } };
const query = (name: string) => ({ name, in: 'query', schema: { type: 'integer' } });
const pageParams = [query('page'), query('limit')];
const list = (responseHeaders: string[], parameters: unknown[] = pageParams) => ({
  get: { operationId: 'listOrders', parameters, responses: { '200': { description: 'ok', headers: headers(responseHeaders), ...arrayBody } } },
});
const withPaths = (paths: Record<string, unknown>, extra: Files = {}): Files => ({ 'openapi.yaml': openapi({ paths }), ...extra });

const cases: RuleCase[] = [
  {
    name: 'paged lists (inline, shared response, 3.1 type list, any header case) and non-lists pass',
    files: withPaths(
      {
        '/orders': list(PAGINATION.map((h) => h.toLowerCase())),
        '/products': { $ref: 'paths/products.yaml' },
        '/wallets': {
          get: {
            parameters: pageParams,
            responses: {
              '200': { description: 'ok', headers: headers(PAGINATION), content: { 'application/json': { schema: { type: ['array', 'null'] } } } },
            },
          },
        },
        '/orders/{order_id}': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } },
        '/charges': { post: { responses: { '200': { description: 'ok', ...arrayBody } } } },
      },
      {
        'paths/products.yaml': {
          parameters: [{ $ref: '../components/parameters.yaml#/Page' }, { $ref: '../components/parameters.yaml#/Limit' }],
          get: { responses: { '200': { $ref: '../components/responses.yaml#/ProductList' } } },
        },
        'components/parameters.yaml': { Page: query('page'), Limit: query('limit') },
        'components/responses.yaml': {
          ProductList: { description: 'ok', headers: headers(PAGINATION), content: { 'application/json': { schema: { $ref: 'schemas/ProductList.yaml' } } } },
        },
        'components/schemas/ProductList.yaml': { type: 'array', items: { type: 'object' } },
      },
    ),
    expected: [],
  },
  {
    name: 'a list missing one pagination header',
    files: withPaths({ '/orders': list(PAGINATION.filter((h) => h !== 'X-Has-More')) }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/get/responses/200`],
    mentions: ['X-Has-More'],
  },
  {
    name: 'a list without the limit query parameter; page sent as a header does not count',
    files: withPaths({ '/orders': list(PAGINATION, [{ name: 'page', in: 'header', schema: { type: 'integer' } }]) }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1orders/get`],
    mentions: ['page, limit'],
  },
  {
    name: 'a nullable array (3.1 type list) is a list too',
    files: withPaths({
      '/wallets': {
        get: { parameters: pageParams, responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: ['array', 'null'] } } } } } },
      },
    }),
    expected: [`${RULE} @ openapi.yaml#/paths/~1wallets/get/responses/200`],
  },
  {
    name: 'a shared list response without headers is reported once, at its definition',
    files: withPaths(
      {
        '/orders': { get: { parameters: pageParams, responses: { '200': { $ref: 'components/responses.yaml#/List' } } } },
        '/wallets': { get: { parameters: pageParams, responses: { '200': { $ref: 'components/responses.yaml#/List' } } } },
      },
      { 'components/responses.yaml': { List: { description: 'ok', ...arrayBody } } },
    ),
    expected: [`${RULE} @ components/responses.yaml#/List`],
  },
];

testRuleCases(RULE, cases);
