import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import type { IdempotencyClaim, IdempotencyScope, StoredResponse } from '../engine.ts';
import { contextOf, type RequestContext } from './context.ts';
import { idempotency, releaseIdempotencyOnError, requireIdempotencyKey } from './idempotency.ts';
import { buildOperationTable } from './operations.ts';
import { partnerHandlers, partnerRoutes } from './partner-routes.ts';
import { rawBody } from './raw-body.ts';
import { resolveOperation } from './resolve-operation.ts';
import { loadSpec } from '@starship/contract';
import { newPartner, startEngine } from '../test-support/engine.ts';
import { json, pipeline, serve, silentLogger } from '../test-support/http-harness.ts';

/** The engine's side of the contract, in memory: one record per (partner, key). */
function memoryStore() {
  const records = new Map<string, { fingerprint: string; response?: StoredResponse }>();
  const id = (scope: IdempotencyScope) => `${scope.partnerId} ${scope.key}`;
  return {
    records,
    claimIdempotencyKey: async (scope: IdempotencyScope): Promise<IdempotencyClaim> => {
      const record = records.get(id(scope));
      if (!record) {
        records.set(id(scope), { fingerprint: scope.fingerprint });
        return { outcome: 'NEW' };
      }
      if (record.fingerprint !== scope.fingerprint) return { outcome: 'MISMATCH' };
      return record.response ? { outcome: 'REPLAYED', response: record.response } : { outcome: 'IN_USE' };
    },
    releaseIdempotencyKey: async (scope: IdempotencyScope) => {
      if (!records.get(id(scope))?.response) records.delete(id(scope));
    },
    complete: (scope: IdempotencyScope, response: StoredResponse) => {
      records.set(id(scope), { fingerprint: scope.fingerprint, response });
    },
  };
}

test('claim outcomes: NEW runs once, REPLAYED answers the stored response, MISMATCH 422, IN_USE 409, failures release', async () => {
  const store = memoryStore();
  const table = buildOperationTable(loadSpec('starship'));
  let executions = 0;
  let hold: Promise<void> | undefined;
  const asPartner: RequestHandler = (_req, res, next) => {
    contextOf(res).partner = { partnerId: 'ptr_1', apiKey: 'pk', apiSecret: 'sk', ipAllowlist: [] };
    next();
  };
  const placeOrder: RequestHandler = async (req, res) => {
    executions++;
    await hold;
    if (req.body.quantity > 5) throw new ApiError(422, 'E_INSUFFICIENT_FUNDS', 'too poor');
    const scope = res.locals.idempotency;
    const body = { id: `ord_${executions}`, quantity: req.body.quantity };
    if (scope) store.complete(scope, { status: 200, body, headers: { 'Content-Type': 'application/json', 'X-Trace-ID': 'stale' } });
    res.json(body);
  };
  const contexts: RequestContext[] = [];
  const served = await serve(
    pipeline([rawBody(), resolveOperation(table), asPartner, requireIdempotencyKey(), idempotency(store)], {
      mount: '/api/v1',
      terminal: placeOrder,
      after: [releaseIdempotencyOnError(store, silentLogger)],
      contexts,
    }),
  );
  const order = (key: string | undefined, body: string, path = '/api/v1/orders') =>
    fetch(`${served.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
      body,
    });
  const lastVerdict = () => contexts.at(-1)?.verdicts.idempotency;
  try {
    const missing = await order(undefined, '{"quantity":1}');
    assert.equal(missing.status, 400);
    assert.equal((await json(missing)).error.code, 'E_IDEMPOTENCY_KEY_MISSING');
    assert.deepEqual(lastVerdict(), { key: null, result: 'MISSING' });

    const first = await order('k1', '{"quantity":1,"note":"a"}');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.deepEqual(lastVerdict(), { key: 'k1', result: 'NEW' });

    const replay = await order('k1', '{ "note": "a", "quantity": 1 }');
    assert.equal(replay.status, 200);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.notEqual(replay.headers.get('x-trace-id'), 'stale', 'per-response headers are fresh');
    assert.deepEqual(await json(replay), { id: 'ord_1', quantity: 1 });
    assert.equal(executions, 1);
    assert.deepEqual(lastVerdict(), { key: 'k1', result: 'REPLAYED' });

    const reused = await order('k1', '{"quantity":2,"note":"a"}');
    assert.equal(reused.status, 422);
    assert.equal((await json(reused)).error.code, 'E_IDEMPOTENCY_KEY_REUSED');
    assert.equal((await order('k1', '{"quantity":1,"note":"a"}', '/api/v1/orders?x=1')).status, 422, 'the path is part of the request');

    const failed = await order('k2', '{"quantity":9}');
    assert.equal(failed.status, 422);
    assert.equal(store.records.has('ptr_1 k2'), false, 'a failure stores nothing');
    assert.equal((await order('k2', '{"quantity":1}')).status, 200, 'so the key can be used for a corrected request');

    let release = () => {};
    hold = new Promise((resolve) => (release = resolve));
    const slow = order('k3', '{"quantity":1}');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const concurrent = await order('k3', '{"quantity":1}');
    assert.equal(concurrent.status, 409);
    assert.equal((await json(concurrent)).error.code, 'E_IDEMPOTENCY_KEY_IN_USE');
    release();
    assert.equal((await slow).status, 200);

    const calculate = await fetch(`${served.url}/api/v1/charges`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(calculate.status, 200);
    assert.deepEqual(lastVerdict(), { key: null, result: 'NOT_APPLICABLE' });
  } finally {
    await served.close();
  }
});

test('a handler that never mentions its Idempotency-Key has it settled: a success stored, a returned or thrown error released', async (t) => {
  const engine = await startEngine(t, 'memory');
  const { partner_id: partnerId } = await newPartner(engine);
  let executions = 0;
  let answer: 'created' | 'refused' | 'thrown' = 'created';
  // Written as a new handler would be, without any completion call (the middleware's job).
  const upsertWebhook: typeof partnerHandlers.upsertWebhook = async ({ body }, context) => {
    executions++;
    if (answer === 'thrown') throw new ApiError(503, 'E_SERVICE_UNAVAILABLE', 'thrown by the handler');
    if (answer === 'refused') return { status: 422, body: { error: { name: 'Unprocessable', code: 'E_VALIDATION_FAILURE', message: 'returned by the handler' } } };
    const { endpoint } = await context.engine.upsertWebhook(context.partnerId, body);
    return { status: 201, body: endpoint };
  };
  // Authenticated, and validated as the contract validator would hand the request over (no parameters).
  const asPartner: RequestHandler = (_req, res, next) => {
    contextOf(res).partner = { partnerId, apiKey: 'pk', apiSecret: 'sk', ipAllowlist: [] };
    contextOf(res).parameters = { path: {}, query: {} };
    next();
  };
  const served = await serve(
    pipeline([rawBody(), resolveOperation(buildOperationTable(loadSpec('starship'))), asPartner, requireIdempotencyKey(), idempotency(engine)], {
      mount: '/api/v1',
      terminal: partnerRoutes(engine, { ...partnerHandlers, upsertWebhook }),
      after: [releaseIdempotencyOnError(engine, silentLogger)],
    }),
  );
  t.after(() => served.close());
  const register = (key: string) =>
    fetch(`${served.url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify({ url: 'https://partner.example/hooks', events: ['order.delivered'] }),
    });

  const first = await register('created');
  assert.equal(first.status, 201);
  const created = await json(first);
  const again = await register('created');
  assert.equal(again.status, 201, 'the stored answer, not 409 E_IDEMPOTENCY_KEY_IN_USE');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.deepEqual(await json(again), created);
  assert.equal(executions, 1);

  answer = 'refused';
  assert.equal((await register('refused')).status, 422);
  answer = 'thrown';
  assert.equal((await register('thrown')).status, 503);
  answer = 'created';
  assert.equal((await register('refused')).status, 201, 'a returned error stored nothing');
  assert.equal((await register('thrown')).status, 201, 'a thrown error stored nothing');
  assert.equal(executions, 5);
  assert.equal((await register('thrown')).headers.get('idempotent-replayed'), 'true');
});
