/**
 * COMPAT: the server still honours v1 as first published (openapi/baseline/starship-v1.json): its
 * parameterless reads answer, every observed response conforms to the baseline as well as to the current
 * spec, and planned endpoints stay behind their feature flag.
 */
import { loadBaseline, isObject } from '@starship/contract';
import type { StarshipOperationId } from '@starship/spec/starship-operations';
import { CLAUSES } from '../clauses.ts';
import { summarizeReply, errorCode } from '../fixtures.ts';
import { expect, type Check } from '../types.ts';
import { baselineSpec, judgeProblems, problemsAgainst } from './schema.ts';

const baseline: Record<string, any> = loadBaseline();

/** Published operations that are plain GETs without path parameters and not planned. */
function baselineReads(): StarshipOperationId[] {
  const ids: StarshipOperationId[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(baseline.paths ?? {})) {
    const get = item.get;
    if (!isObject(get) || path.includes('{') || get['x-starship-planned'] === true) continue;
    ids.push(get.operationId as StarshipOperationId);
  }
  return ids;
}

export const COMPAT_CHECKS: Check[] = [
  {
    id: 'COMPAT-V1-READS',
    group: 'COMPAT',
    title: 'Every published v1 read without parameters still answers 200',
    level: 'MUST',
    clause: CLAUSES.endpointPaths,
    needs: 'spec',
    run: async (ctx) => {
      const reads = baselineReads();
      for (const operationId of reads) {
        const reply = await ctx.api.call(operationId);
        expect(reply.status === 200, `${operationId} (published in v1) answered ${summarizeReply(reply)}`);
      }
      return reads.join(', ');
    },
  },
  {
    id: 'COMPAT-PLANNED-GATED',
    group: 'COMPAT',
    title: 'A planned endpoint is either served as specified or absent (404), never half-built',
    level: 'SHOULD',
    clause: CLAUSES.plannedEndpoints,
    needs: 'spec',
    run: async (ctx) => {
      const reply = await ctx.api.call('getReconciliation', { pathParams: { date: '2026-01-01' } });
      expect(reply.status === 200 || (reply.status === 404 && ['E_FEATURE_DISABLED', 'E_NOT_FOUND'].includes(errorCode(reply) ?? '')), `GET /reconciliation/2026-01-01 answered ${summarizeReply(reply)}`);
      return reply.status === 200 ? 'served' : `gated (${errorCode(reply)})`;
    },
  },
  {
    id: 'COMPAT-BASELINE-RESPONSES',
    group: 'COMPAT',
    title: 'Every observed response also conforms to the published v1 baseline',
    level: 'MUST',
    clause: CLAUSES.noSilentChange,
    needs: 'spec',
    audit: true,
    run: async (ctx) => judgeProblems(await problemsAgainst(ctx, 'baselineProblems', baselineSpec), () => true, 'responses'),
  },
];
