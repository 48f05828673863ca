import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { signRequest } from '@starship/sdk';
import { contextOf } from './context.ts';
import { openApiValidation } from './openapi-validation.ts';
import { buildOperationTable } from './operations.ts';
import { rawBody } from './raw-body.ts';
import { resolveOperation } from './resolve-operation.ts';
import { loadSpec } from '@starship/contract';
import { capturingLogger, json, pipeline, product, rateLimitHeaders, serve } from '../test-support/http-harness.ts';

const spec = loadSpec('starship');
const table = buildOperationTable(spec);

/** Echoes the parameters the handler would receive; answers a broken product, or drops a header, when asked to. */
const terminal: RequestHandler = (req, res) => {
  if (req.get('x-broken-response')) return void res.json({ ...product, name: undefined, delivery_time: 'SOON' });
  if (req.get('x-no-rate-limit')) res.removeHeader('X-RateLimit-Remaining');
  res.json(req.method === 'GET' && req.path.startsWith('/products/') ? product : contextOf(res).parameters);
};

async function setup(validateResponses: boolean) {
  const { logger, lines } = capturingLogger();
  const app = pipeline([rawBody(), resolveOperation(table), openApiValidation({ doc: spec, validateResponses, logger }), rateLimitHeaders], {
    mount: '/api/v1',
    terminal,
    logger,
  });
  return { lines, served: await serve(app) };
}

const signedPost = (path: string, body: string, extra: Record<string, string> = {}) => {
  const { headers } = signRequest({ secret: 'sk', method: 'POST', path, body });
  return { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers, ...extra }, body };
};

test('requests: parameters decoded, coerced and defaulted for the handler; mismatches are 400 E_VALIDATION_FAILURE, one message per problem', async () => {
  const { served } = await setup(false);
  try {
    const list = await json(await fetch(`${served.url}/api/v1/orders?page=2`));
    assert.deepEqual(list, { path: {}, query: { page: 2, limit: 50 } });

    const badId = await fetch(`${served.url}/api/v1/products/abc`);
    assert.equal(badId.status, 400);
    const badIdBody = await json(badId);
    assert.equal(badIdBody.error.code, 'E_VALIDATION_FAILURE');
    assert.equal(badIdBody.error.name, 'ValidationFailure');
    assert.deepEqual(badIdBody.error.messages, ['params.product_id must be an integer written in decimal digits']);

    const badEncoding = await json(await fetch(`${served.url}/api/v1/orders/ord_%E0%A4%A`));
    assert.deepEqual(badEncoding.error.messages, ['params.order_id must be percent-encoded UTF-8']);

    // `+` is a space (application/x-www-form-urlencoded, as URLSearchParams sends it); `%2B` a plus.
    const formSpaces = await json(await fetch(`${served.url}/api/v1/products?category=Gift+Cards&limit=2&sort=%7B%22field%22%3A%22name%22%2C%22direction%22%3A%22ASC%22%7D`));
    assert.deepEqual(formSpaces.query, { category: 'Gift Cards', limit: 2, page: 1, sort: { field: 'name', direction: 'ASC' } });
    assert.equal((await json(await fetch(`${served.url}/api/v1/products?category=A%2BB`))).query.category, 'A+B');

    const unknownParams = await json(await fetch(`${served.url}/api/v1/orders?colour=red&limit=0&page=1&page=2`));
    assert.deepEqual(unknownParams.error.messages, ["query.colour Unknown query parameter 'colour'", 'query.page must be given at most once', 'query.limit must be >= 1']);

    const body = JSON.stringify({ product_id: 1001, amount: '25.001', quantity: 0, extra: true, customer_info: { email: 'nope' } });
    const badBody = await fetch(`${served.url}/api/v1/orders`, signedPost('/api/v1/orders', body, { 'Idempotency-Key': 'k1' }));
    assert.equal(badBody.status, 400);
    assert.deepEqual((await json(badBody)).error.messages, [
      'extra must NOT have additional properties',
      'amount must match pattern "^\\d+(\\.\\d{1,2})?$"',
      'quantity must be >= 1',
      'customer_info.email must match format "email"',
    ]);

    const missing = await fetch(`${served.url}/api/v1/orders`, { ...signedPost('/api/v1/orders', '', { 'Idempotency-Key': 'k2' }), body: undefined });
    assert.deepEqual((await json(missing)).error.messages, ['body is required']);
  } finally {
    await served.close();
  }
});

test('Content-Type: any JSON type with any parameters is JSON; another type is refused on an operation that takes a body, ignored elsewhere', async () => {
  const { served } = await setup(false);
  try {
    for (const type of ['application/json; x=1', 'APPLICATION/JSON;charset=UTF-8', 'application/merchant+json', 'text/plain; n=1']) {
      const reply = await fetch(`${served.url}/api/v1/products/1001`, { headers: { 'Content-Type': type } });
      assert.equal(reply.status, 200, type);
    }
    const charges = JSON.stringify({ product_id: 1001, amount: '25.00', quantity: 1 });
    const merchant = await fetch(`${served.url}/api/v1/charges`, signedPost('/api/v1/charges', charges, { 'Content-Type': 'application/vnd.merchant+json; v=2' }));
    assert.equal(merchant.status, 200);

    const text = await fetch(`${served.url}/api/v1/charges`, signedPost('/api/v1/charges', 'hello', { 'Content-Type': 'text/plain; n=2' }));
    assert.equal(text.status, 400);
    const envelope = await json(text);
    assert.equal(envelope.error.message, 'Content-Type must be application/json.');
    assert.deepEqual(envelope.error.messages, ['unsupported media type text/plain']);
  } finally {
    await served.close();
  }
});

test('responses: a contract break (body or a required header) is logged in full and answered 500 E_INTERNAL with nothing leaked; off when disabled', async () => {
  const validating = await setup(true);
  const lenient = await setup(false);
  try {
    const ok = await fetch(`${validating.served.url}/api/v1/products/1001`);
    assert.equal(ok.status, 200);
    assert.deepEqual(await json(ok), product);

    const broken = await fetch(`${validating.served.url}/api/v1/products/1001`, { headers: { 'X-Broken-Response': '1' } });
    assert.equal(broken.status, 500);
    assert.deepEqual(await json(broken), {
      error: { name: 'InternalError', code: 'E_INTERNAL', message: 'Something went wrong. Quote the X-Trace-ID when contacting support.' },
    });
    const logged = validating.lines.find((line) => line.msg === 'response does not match the spec');
    assert.ok(logged, 'the mismatch is logged');
    assert.equal(logged.traceId, broken.headers.get('x-trace-id'));
    assert.match(JSON.stringify(logged.problems), /"missingProperty":"name"/);
    assert.match(JSON.stringify(logged.problems), /delivery_time/);

    const headerless = await fetch(`${validating.served.url}/api/v1/products/1001`, { headers: { 'X-No-Rate-Limit': '1' } });
    assert.equal(headerless.status, 500);
    assert.match(JSON.stringify(validating.lines.at(-1)?.problems), /x-ratelimit-remaining/);

    const unchecked = await fetch(`${lenient.served.url}/api/v1/products/1001`, { headers: { 'X-Broken-Response': '1' } });
    assert.equal(unchecked.status, 200);
  } finally {
    await Promise.all([validating.served.close(), lenient.served.close()]);
  }
});
