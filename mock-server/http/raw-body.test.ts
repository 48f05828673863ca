import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { contextOf } from './context.ts';
import { MAX_JSON_DEPTH, nestedDeeperThan, rawBody } from './raw-body.ts';
import { json, pipeline, serve } from '../test-support/http-harness.ts';

const echo: RequestHandler = (req, res) => {
  res.json({ raw: contextOf(res).rawBody.toString('base64'), body: req.body ?? null });
};

test('keeps the exact bytes, parses JSON, rejects bad JSON and oversized bodies in the envelope', async () => {
  const served = await serve(pipeline([rawBody({ limitBytes: 64 }), echo]));
  const post = (body: string, type = 'application/json') =>
    fetch(`${served.url}/x`, { method: 'POST', headers: { 'Content-Type': type }, body });
  try {
    const sent = '{ "b": 1,\n  "a": "é" }';
    const ok = await json(await post(sent));
    assert.equal(Buffer.from(ok.raw, 'base64').toString('utf8'), sent);
    assert.deepEqual(ok.body, { b: 1, a: 'é' });

    const vendorJson = await json(await post('{"a":1}', 'application/merchant+json; charset=utf-8'));
    assert.deepEqual(vendorJson.body, { a: 1 });

    const text = await json(await post('hello', 'text/plain'));
    assert.equal(Buffer.from(text.raw, 'base64').toString('utf8'), 'hello');
    assert.equal(text.body, null, 'a non-JSON body is left for the validator');

    const empty = await json(await fetch(`${served.url}/x`));
    assert.deepEqual(empty, { raw: '', body: null });

    const malformed = await post('{"a":');
    assert.equal(malformed.status, 400);
    const envelope = await json(malformed);
    assert.equal(envelope.error.code, 'E_VALIDATION_FAILURE');
    assert.equal(envelope.error.name, 'ValidationFailure');
    assert.equal(envelope.error.messages.length, 1);

    const big = await post(JSON.stringify({ pad: 'x'.repeat(100) }));
    assert.equal(big.status, 413);
    assert.equal((await json(big)).error.code, 'E_PAYLOAD_TOO_LARGE');
    assert.ok(big.headers.get('x-trace-id'));
  } finally {
    await served.close();
  }
});

// Regression (found by reliability/bad-input): `[[[[…` 40,000 deep parsed fine, then overflowed the stack of
// the idempotency fingerprint on POST /webhooks/{id}/rotate-secret, which takes no body: a 500.
test('JSON nested deeper than MAX_JSON_DEPTH is a 400 before anything walks it; strings do not count', async () => {
  assert.equal(nestedDeeperThan(Buffer.from('{"a":[{"b":"[[[[[[[[[[[[["}]}'), 3), false);
  assert.equal(nestedDeeperThan(Buffer.from('{"a":"\\"[[[[","b":[[[1]]]}'), 3), true);
  const served = await serve(pipeline([rawBody(), echo]));
  const post = (body: string) => fetch(`${served.url}/x`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  try {
    const deep = await post(`${'['.repeat(40_000)}${']'.repeat(40_000)}`);
    assert.equal(deep.status, 400);
    assert.equal((await json(deep)).error.code, 'E_VALIDATION_FAILURE');
    const atLimit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    assert.equal((await post(atLimit)).status, 200);
  } finally {
    await served.close();
  }
});

// Regression (issue 18): `{"amount":"1.00","amount":"900.00"}` was charged by the last value, and
// `"product_id": 1e400` parsed to Infinity, which Ajv takes for an integer.
test('a key repeated in one object, or a number beyond double range, is a 400 naming where', async () => {
  const served = await serve(pipeline([rawBody(), echo]));
  const post = (body: string) => fetch(`${served.url}/x`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  try {
    const twice = await post('{"product_id":1,"amount":"1.00","amount":"900.00"}');
    assert.equal(twice.status, 400);
    const envelope = await json(twice);
    assert.equal(envelope.error.code, 'E_VALIDATION_FAILURE');
    assert.deepEqual(envelope.error.messages, ['/amount appears more than once in the same object']);

    const escaped = await post('{"customer_info":{"email":"a@b.c","em\\u0061il":"x@y.z"}}');
    assert.deepEqual((await json(escaped)).error.messages, ['/customer_info/email appears more than once in the same object']);

    const huge = await post('{"product_id":1e400,"quantity":-1e999}');
    assert.deepEqual((await json(huge)).error.messages, ['/product_id is a number too large to represent', '/quantity is a number too large to represent']);

    const siblings = await post('[{"a":1},{"a":2}]');
    assert.equal(siblings.status, 200, 'the same key in two objects is not a repeat');
  } finally {
    await served.close();
  }
});
