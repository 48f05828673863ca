import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import type { C } from '../engine.ts';
import { contextOf } from './context.ts';
import { buildOperationTable } from './operations.ts';
import { requestLog } from './request-log.ts';
import { resolveOperation } from './resolve-operation.ts';
import { loadSpec } from '@starship/contract';
import { capturingLogger, pipeline, serve, settableClock } from '../test-support/http-harness.ts';

test('each call is recorded once answered: operation, status, error code, trace id, partner and verdicts', async () => {
  const entries: C['RequestLogEntry'][] = [];
  let failLogging = false;
  const engine = {
    clock: settableClock(1_800_000_000),
    logRequest: async (entry: C['RequestLogEntry']) => {
      if (failLogging) throw new Error('disk full');
      entries.push(entry);
    },
  };
  const { logger, lines } = capturingLogger();
  const checks: RequestHandler = (req, res, next) => {
    const ctx = contextOf(res);
    ctx.partnerId = 'ptr_01KP5JFKJRHZ9SB1SVVD0X1QTN';
    ctx.verdicts.auth = { result: 'PASS', reason: null };
    if (req.query.deny !== undefined) {
      ctx.verdicts.auth = { result: 'FAIL', reason: 'X-API-Key is not known' };
      throw new ApiError(401, 'E_UNAUTHORIZED', 'no');
    }
    next();
  };
  const served = await serve(
    pipeline([requestLog(engine, logger), resolveOperation(buildOperationTable(loadSpec('starship'))), checks], { mount: '/api/v1', logger }),
  );
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  try {
    const ok = await fetch(`${served.url}/api/v1/products?limit=1`, { headers: { 'X-Trace-ID': 'trace-ok' } });
    assert.equal(ok.status, 200);
    const denied = await fetch(`${served.url}/api/v1/orders/ord_1?deny`);
    assert.equal(denied.status, 401);
    await settle();

    assert.equal(entries.length, 2);
    const [first, second] = entries;
    assert.match(first!.id, /^req_[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(first!.at, '2027-01-15T08:00:00.000Z');
    assert.deepEqual(
      { ...first!, id: undefined, duration_ms: undefined },
      {
        id: undefined,
        at: '2027-01-15T08:00:00.000Z',
        partner_id: 'ptr_01KP5JFKJRHZ9SB1SVVD0X1QTN',
        method: 'GET',
        path: '/api/v1/products?limit=1',
        operation_id: 'listProducts',
        status: 200,
        error_code: null,
        trace_id: 'trace-ok',
        duration_ms: undefined,
        verdicts: {
          auth: { result: 'PASS', reason: null },
          ip: { result: 'NOT_EVALUATED', client_ip: '127.0.0.1', reason: null },
          rate_limit: { result: 'NOT_EVALUATED', class: null, limit: null, remaining: null },
          signature: { result: 'NOT_APPLICABLE', canonical_string: null, reason: null },
          idempotency: { key: null, result: 'NOT_EVALUATED' },
        },
      },
    );
    assert.equal(second!.operation_id, 'getOrder');
    assert.equal(second!.status, 401);
    assert.equal(second!.error_code, 'E_UNAUTHORIZED');
    assert.equal(second!.trace_id, denied.headers.get('x-trace-id'));
    assert.deepEqual(second!.verdicts.auth, { result: 'FAIL', reason: 'X-API-Key is not known' });

    failLogging = true;
    assert.equal((await fetch(`${served.url}/api/v1/nowhere`)).status, 200, 'a failing log never fails the response');
    await settle();
    assert.ok(lines.some((line) => line.msg === 'could not record the request log entry'));
  } finally {
    await served.close();
  }
});
