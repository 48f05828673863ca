/**
 * ERR: every error is `{ error: { name, code, message, messages? } }` with an E_ code, every response
 * carries X-Trace-ID, and the common failures map to their documented status and code. The `audit`
 * checks read every exchange the run recorded, so they run after all others.
 */
import { starshipOperations } from '@starship/spec/starship-operations';
import { isObject } from '@starship/contract';
import { CLAUSES } from '../clauses.ts';
import { expectError, orderTarget, randomAmount } from '../fixtures.ts';
import { expect, type Check } from '../types.ts';
import { audited, listProblems } from './audit.ts';

const CODE = /^E_[A-Z0-9_]+$/;

/** Why a 4xx/5xx body is not the error envelope, or undefined when it is. */
function envelopeProblem(body: unknown): string | undefined {
  if (!isObject(body) || !isObject(body.error)) return 'the body is not { "error": { … } }';
  const { name, code, message, messages } = body.error;
  if (typeof name !== 'string' || name === '') return 'error.name is missing';
  if (typeof code !== 'string' || !CODE.test(code)) return `error.code ${JSON.stringify(code)} is not E_ + UPPER_SNAKE`;
  if (typeof message !== 'string' || message === '') return 'error.message is missing';
  if (messages !== undefined && !(Array.isArray(messages) && messages.every((m) => typeof m === 'string'))) return 'error.messages is not a list of strings';
  return undefined;
}

export const ERR_CHECKS: Check[] = [
  {
    id: 'ERR-VALIDATION',
    group: 'ERR',
    title: 'An invalid body → 400 E_VALIDATION_FAILURE',
    level: 'MUST',
    clause: CLAUSES.errorShape,
    needs: 'spec',
    run: async (ctx) => {
      const target = await orderTarget(ctx);
      const reply = await ctx.api.call('calculateCharges', { body: { product_id: target.productId, amount: randomAmount(target), quantity: 0 } });
      expectError(reply, 400, 'E_VALIDATION_FAILURE', 'POST /charges with quantity 0');
    },
  },
  {
    id: 'ERR-MALFORMED-JSON',
    group: 'ERR',
    title: 'A body that is not JSON → 400 E_VALIDATION_FAILURE',
    level: 'MUST',
    clause: CLAUSES.errorShape,
    needs: 'server',
    run: async (ctx) => {
      const reply = await ctx.api.call('calculateCharges', { body: '{"product_id": 1,', offSpec: true });
      expectError(reply, 400, 'E_VALIDATION_FAILURE', 'POST /charges with truncated JSON');
      expect(reply.headers.get('x-trace-id'), 'the 400 has no X-Trace-ID');
    },
  },
  {
    id: 'ERR-NOT-FOUND',
    group: 'ERR',
    title: 'An unknown product or order → 404 E_NOT_FOUND',
    level: 'MUST',
    clause: CLAUSES.errorShape,
    needs: 'server',
    run: async (ctx) => {
      expectError(await ctx.api.call('getProduct', { pathParams: { product_id: 999_999_999 } }), 404, 'E_NOT_FOUND', 'GET /products/999999999');
      expectError(await ctx.api.call('getOrder', { pathParams: { order_id: 'ord_00000000000000000000000000' } }), 404, 'E_NOT_FOUND', 'GET /orders/ord_00000000000000000000000000');
    },
  },
  {
    id: 'ERR-UNKNOWN-ROUTE',
    group: 'ERR',
    title: 'An unknown route → 404 in the error envelope',
    level: 'SHOULD',
    clause: CLAUSES.errorShape,
    needs: 'server',
    run: async (ctx) => {
      const reply = await ctx.api.send('GET', '/conformance-no-such-route');
      expect(reply.status === 404, `GET /conformance-no-such-route answered ${reply.status}`);
      const problem = envelopeProblem(reply.body);
      expect(problem === undefined, `the 404 is not the error envelope: ${problem}`);
      expect(reply.headers.get('x-trace-id'), 'the 404 has no X-Trace-ID');
    },
  },
  {
    id: 'ERR-ENVELOPE',
    group: 'ERR',
    title: 'Every 4xx/5xx observed in the run has the error envelope',
    level: 'MUST',
    clause: CLAUSES.errorEnvelopeStable,
    needs: 'spec',
    audit: true,
    run: async (ctx) =>
      listProblems(
        audited(ctx.api.exchanges).filter((e) => e.status >= 400),
        (e) => envelopeProblem(e.body),
        'error responses',
      ),
  },
  {
    id: 'ERR-TRACE-ID',
    group: 'ERR',
    title: 'Every response observed in the run carries X-Trace-ID',
    level: 'MUST',
    clause: CLAUSES.traceId,
    needs: 'spec',
    audit: true,
    run: async (ctx) => listProblems(audited(ctx.api.exchanges), (e) => (e.headers.get('x-trace-id') ? undefined : 'no X-Trace-ID'), 'responses'),
  },
  {
    id: 'ERR-CODES-DOCUMENTED',
    group: 'ERR',
    title: 'Error codes observed are the ones the spec documents for the operation',
    level: 'SHOULD',
    clause: CLAUSES.errorEnvelopeStable,
    needs: 'spec',
    audit: true,
    run: async (ctx) =>
      listProblems(
        audited(ctx.api.exchanges).filter((e) => e.status >= 400 && e.operationId && isObject(e.body) && isObject(e.body.error)),
        (e) => {
          const code = (e.body as { error: { code: unknown } }).error.code;
          const documented: readonly string[] = starshipOperations[e.operationId!].errorCodes;
          return typeof code === 'string' && documented.includes(code) ? undefined : `${String(code)} is not documented for ${e.operationId}`;
        },
        'error responses',
      ),
  },
];

