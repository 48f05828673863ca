import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StarshipApiError, isStarshipApiError, parseErrorEnvelope } from './errors.ts';
import type { ResponseHeaders } from './errors.ts';

const envelope = (error: Record<string, unknown>) => JSON.stringify({ error });
const insufficientFunds = envelope({ name: 'InsufficientFunds', code: 'E_INSUFFICIENT_FUNDS', message: 'Wallet USD balance is 10.00' });

interface Expected {
  code: string;
  name: string;
  message: string | RegExp;
  messages?: unknown[];
  traceId?: string;
}

const cases: Array<[string, number, string, ResponseHeaders | undefined, Expected]> = [
  [
    'envelope, trace id from Headers',
    402,
    insufficientFunds,
    new Headers({ 'x-trace-id': 'trc_1' }),
    { code: 'E_INSUFFICIENT_FUNDS', name: 'InsufficientFunds', message: 'Wallet USD balance is 10.00', traceId: 'trc_1' },
  ],
  [
    'envelope with messages, trace id from a Node header record in any case',
    400,
    envelope({ name: 'ValidationFailure', code: 'E_VALIDATION_FAILURE', message: 'Invalid request', messages: ['amount must be a decimal string'] }),
    { 'X-Trace-Id': 'trc_2' },
    { code: 'E_VALIDATION_FAILURE', name: 'ValidationFailure', message: 'Invalid request', messages: ['amount must be a decimal string'], traceId: 'trc_2' },
  ],
  [
    'an unknown code is kept as is',
    409,
    envelope({ name: 'Brand new', code: 'E_SOMETHING_NEW', message: 'm', extra: true }),
    undefined,
    { code: 'E_SOMETHING_NEW', name: 'Brand new', message: 'm' },
  ],
  [
    'envelope missing name and message still keeps its code',
    500,
    envelope({ code: 'E_INTERNAL' }),
    { 'x-trace-id': ['trc_3', 'trc_4'] },
    { code: 'E_INTERNAL', name: 'StarshipApiError', message: 'HTTP 500 E_INTERNAL', traceId: 'trc_3' },
  ],
  [
    'messages that are not an array are dropped',
    400,
    envelope({ name: 'ValidationFailure', code: 'E_VALIDATION_FAILURE', message: 'x', messages: 'amount' }),
    undefined,
    { code: 'E_VALIDATION_FAILURE', name: 'ValidationFailure', message: 'x' },
  ],
  [
    'legacy {"error":"bad_request"} shape',
    400,
    '{"error":"bad_request","message":"Invalid product ID"}',
    undefined,
    { code: 'E_UNEXPECTED_RESPONSE', name: 'UnexpectedResponse', message: 'HTTP 400 with a legacy error body "bad_request": Invalid product ID' },
  ],
  [
    'legacy shape without a message',
    404,
    '{"error":"not_found"}',
    undefined,
    { code: 'E_UNEXPECTED_RESPONSE', name: 'UnexpectedResponse', message: 'HTTP 404 with a legacy error body "not_found"' },
  ],
  [
    'an HTML page from a proxy',
    502,
    '<html><body><h1>502 Bad Gateway</h1></body></html>',
    new Headers({ 'content-type': 'text/html', 'x-trace-id': 'trc_5' }),
    { code: 'E_UNEXPECTED_RESPONSE', name: 'UnexpectedResponse', message: /HTTP 502 .*not the error envelope \(text\/html\)/, traceId: 'trc_5' },
  ],
  ['an empty body', 503, '', undefined, { code: 'E_UNEXPECTED_RESPONSE', name: 'UnexpectedResponse', message: 'HTTP 503 with an empty body' }],
  ['a JSON array', 500, '[]', undefined, { code: 'E_UNEXPECTED_RESPONSE', name: 'UnexpectedResponse', message: /not the error envelope/ }],
  ['JSON null', 500, 'null', undefined, { code: 'E_UNEXPECTED_RESPONSE', name: 'UnexpectedResponse', message: /not the error envelope/ }],
  ['truncated JSON', 500, insufficientFunds.slice(0, 20), undefined, { code: 'E_UNEXPECTED_RESPONSE', name: 'UnexpectedResponse', message: /not the error envelope/ }],
  ['a numeric code', 400, envelope({ name: 'X', code: 400, message: 'm' }), undefined, { code: 'E_UNEXPECTED_RESPONSE', name: 'UnexpectedResponse', message: /not the error envelope/ }],
  ['an empty code', 400, envelope({ name: 'X', code: '', message: 'm' }), undefined, { code: 'E_UNEXPECTED_RESPONSE', name: 'UnexpectedResponse', message: /not the error envelope/ }],
];

for (const [name, status, body, headers, expected] of cases) {
  test(`parseErrorEnvelope: ${name}`, () => {
    const error = parseErrorEnvelope(status, body, headers);
    assert.ok(error instanceof StarshipApiError && error instanceof Error);
    assert.equal(error.status, status);
    assert.equal(error.code, expected.code);
    assert.equal(error.name, expected.name);
    if (typeof expected.message === 'string') assert.equal(error.message, expected.message);
    else assert.match(error.message, expected.message);
    assert.deepEqual(error.messages, expected.messages);
    assert.equal(error.traceId, expected.traceId);
    assert.equal(error.body, body);
  });
}

test('the stack trace names the envelope error', () => {
  const error = parseErrorEnvelope(402, insufficientFunds);
  assert.match(error.stack ?? '', /^InsufficientFunds: Wallet USD balance is 10.00/);
});

for (const [name, value, expected] of [
  ['a parsed API error', parseErrorEnvelope(500, ''), true],
  ['a plain Error', new Error('x'), false],
  ['a look-alike object', { status: 500, code: 'E_INTERNAL', message: 'x' }, false],
  ['undefined', undefined, false],
] as const) {
  test(`isStarshipApiError: ${name}`, () => assert.equal(isStarshipApiError(value), expected));
}
