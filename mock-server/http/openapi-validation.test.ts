import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { signRequest } from '@starship/sdk';
import { openApiValidation } from './openapi-validation.ts';
import { buildOperationTable } from './operations.ts';
import { rawBody } from './raw-body.ts';
import { resolveOperation } from './resolve-operation.ts';
import { loadSpec } from '@starship/contract';
import { capturingLogger, json, pipeline, serve, product } from '../test-support/http-harness.ts';

const spec = loadSpec('starship');
const table = buildOperationTable(spec);

/** Echoes what the handler received; answers a broken product when asked to. */
const terminal: RequestHandler = (req, res) => {
  if (req.get('x-broken-response')) return void res.json({ ...product, name: undefined, delivery_time: 'SOON' });
  const openapi = (req as typeof req & { openapi?: { pathParams: Record<string, unknown> } }).openapi;
  res.json(req.method === 'GET' && req.path.startsWith('/products/') ? product : { params: openapi?.pathParams, query: req.query });
};

async function setup(validateResponses: boolean) {
  const { logger, lines } = capturingLogger();
  const app = pipeline([rawBody(), resolveOperation(table), openApiValidation({ doc: spec, validateResponses, logger })], {
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

test('requests: parameters coerced and defaulted; mismatches are 400 E_VALIDATION_FAILURE with one message per problem', async () => {
  const { served } = await setup(false);
  try {
    const list = await json(await fetch(`${served.url}/api/v1/orders?page=2`));
    assert.deepEqual(list.query, { page: 2, limit: 50 });

    const badId = await fetch(`${served.url}/api/v1/products/abc`);
    assert.equal(badId.status, 400);
    const badIdBody = await json(badId);
    assert.equal(badIdBody.error.code, 'E_VALIDATION_FAILURE');
    assert.equal(badIdBody.error.name, 'ValidationFailure');
    assert.ok(badIdBody.error.messages.some((m: string) => m.startsWith('params.product_id')), badIdBody.error.messages);

    const formSpaces = await json(await fetch(`${served.url}/api/v1/products?category=Gift+Cards&limit=2`));
    assert.deepEqual(formSpaces.query, { category: 'Gift Cards', limit: 2, page: 1 });

    const unknownParam = await json(await fetch(`${served.url}/api/v1/orders?colour=red`));
    assert.deepEqual(unknownParam.error.messages, ["query.colour Unknown query parameter 'colour'"]);

    const body = JSON.stringify({ product_id: 1001, amount: '25.001', quantity: 0, extra: true });
    const badBody = await fetch(`${served.url}/api/v1/orders`, signedPost('/api/v1/orders', body, { 'Idempotency-Key': 'k1' }));
    assert.equal(badBody.status, 400);
    const messages: string[] = (await json(badBody)).error.messages;
    assert.ok(messages.some((m) => m.startsWith('amount must match pattern')), messages.join('; '));
    assert.ok(messages.some((m) => m.startsWith('quantity must be >= 1')), messages.join('; '));
    assert.ok(messages.some((m) => m.includes('must NOT have additional properties')), messages.join('; '));

    const text = await fetch(`${served.url}/api/v1/charges`, signedPost('/api/v1/charges', 'hello', { 'Content-Type': 'text/plain' }));
    assert.equal(text.status, 400);
    assert.equal((await json(text)).error.message, 'Content-Type must be application/json.');
  } finally {
    await served.close();
  }
});

test('responses: a contract break is logged in full and answered 500 E_INTERNAL with nothing leaked; off when disabled', async () => {
  const validating = await setup(true);
  const lenient = await setup(false);
  try {
    const ok = await fetch(`${validating.served.url}/api/v1/products/1001`);
    assert.equal(ok.status, 200);

    const broken = await fetch(`${validating.served.url}/api/v1/products/1001`, { headers: { 'X-Broken-Response': '1' } });
    assert.equal(broken.status, 500);
    assert.deepEqual(await json(broken), {
      error: { name: 'InternalError', code: 'E_INTERNAL', message: 'Something went wrong. Quote the X-Trace-ID when contacting support.' },
    });
    const logged = validating.lines.find((line) => line.msg === 'response does not match the spec');
    assert.ok(logged, 'the mismatch is logged');
    assert.equal(logged.traceId, broken.headers.get('x-trace-id'));
    assert.match(JSON.stringify(logged.problems), /name/);

    const unchecked = await fetch(`${lenient.served.url}/api/v1/products/1001`, { headers: { 'X-Broken-Response': '1' } });
    assert.equal(unchecked.status, 200);
  } finally {
    await Promise.all([validating.served.close(), lenient.served.close()]);
  }
});

// Regression (found by reliability/bad-input): the validator compiled and kept a new set of validators per
// Content-Type string, so `application/json; x=<random>` cost ~170 ms a request and grew memory unbounded.
test('the validator sees one Content-Type per kind of body, whatever parameters the client adds', async () => {
  const seen: (string | undefined)[] = [];
  const { logger } = capturingLogger();
  const app = pipeline([rawBody(), resolveOperation(table), openApiValidation({ doc: spec, validateResponses: true, logger })], {
    mount: '/api/v1',
    terminal: (req, res) => {
      seen.push(req.headers['content-type']);
      res.json(product);
    },
    logger,
  });
  const served = await serve(app);
  try {
    for (const type of ['application/json; x=1', 'application/json; x=2', 'APPLICATION/JSON;charset=UTF-8', 'application/merchant+json']) {
      const reply = await fetch(`${served.url}/api/v1/products/1001`, { headers: { 'Content-Type': type } });
      assert.equal(reply.status, 200, type);
    }
    const plain = await fetch(`${served.url}/api/v1/products/1001`, { headers: { 'Content-Type': 'text/plain; n=1' } });
    assert.equal(plain.status, 200, 'an operation without a body ignores its type');
    assert.deepEqual(seen, ['application/json', 'application/json', 'application/json', 'application/json', undefined]);

    const text = await fetch(`${served.url}/api/v1/charges`, signedPost('/api/v1/charges', 'hello', { 'Content-Type': 'text/plain; n=2' }));
    assert.equal(text.status, 400);
    assert.deepEqual((await json(text)).error.messages, ['unsupported media type text/plain']);
  } finally {
    await served.close();
  }
});
