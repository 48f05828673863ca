import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { contextOf } from './context.ts';
import { buildOperationTable } from './operations.ts';
import { resolveOperation } from './resolve-operation.ts';
import { dispatch } from './send.ts';
import { loadSpec } from '@starship/contract';
import { json, pipeline, serve } from '../test-support/http-harness.ts';

test("dispatches on the resolved operation with the validator's parameters; sends status, headers and body", async () => {
  const withCoercedParams: RequestHandler = (_req, res, next) => {
    contextOf(res).parameters = { path: { product_id: 1001 }, query: { limit: 1 } };
    next();
  };
  const seen: unknown[] = [];
  const handler = dispatch(
    {
      getProduct: async (request: { path: unknown; query: unknown }, context: string) => {
        seen.push(request.path, request.query, context);
        return { status: 200, body: { id: 1001 }, headers: { 'X-Page': 1, 'X-Skipped': undefined } };
      },
      deleteWebhook: async () => ({ status: 204, body: undefined }),
    },
    (_req, res) => contextOf(res).operation!.operationId,
  );
  const served = await serve(
    pipeline([resolveOperation(buildOperationTable(loadSpec('starship'))), withCoercedParams], { mount: '/api/v1', terminal: handler }),
  );
  try {
    const product = await fetch(`${served.url}/api/v1/products/1001?limit=1`);
    assert.equal(product.status, 200);
    assert.equal(product.headers.get('x-page'), '1');
    assert.equal(product.headers.has('x-skipped'), false);
    assert.deepEqual(await json(product), { id: 1001 });
    assert.deepEqual(seen, [{ product_id: 1001 }, { limit: 1 }, 'getProduct']);

    const deleted = await fetch(`${served.url}/api/v1/webhooks/wh_1`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), '');

    const unhandled = await fetch(`${served.url}/api/v1/orders`);
    assert.equal(unhandled.status, 500, 'an operation without a handler is a bug');
  } finally {
    await served.close();
  }
});
