/**
 * SCHEMA: every partner-API response the run observed is validated against the bundled spec (status
 * documented for the operation, documented headers present and valid, JSON body valid), with the shared
 * conformance validator. COMPAT runs the same audit against the published v1 baseline.
 */
import { loadBaseline, loadSpec } from '@starship/contract';
import { SpecValidator } from '../../spec-validator.ts';
import type { Exchange } from '../api-client.ts';
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import type { Check } from '../types.ts';
import { listProblems } from './audit.ts';

/** One validator per document for the process: compiling the schemas is most of an audit's cost. */
function once(make: () => SpecValidator): () => SpecValidator {
  let validator: SpecValidator | undefined;
  return () => (validator ??= make());
}

export const currentSpec = once(() => new SpecValidator(loadSpec('starship')));
export const baselineSpec = once(() => new SpecValidator(loadBaseline()));

type Kind = 'status' | 'headers' | 'body';

function kindOf(problem: string): Kind {
  if (problem.startsWith('status ')) return 'status';
  if (problem.startsWith('header ')) return 'headers';
  return 'body';
}

/** Problems per exchange against one validator, computed once per run and shared by the checks. */
export function problemsAgainst(ctx: SuiteContext, key: string, makeValidator: () => SpecValidator): Promise<Map<Exchange, string[]>> {
  return ctx.memo(key, async () => {
    const validator = makeValidator();
    const known = new Set(validator.operationIds);
    const problems = new Map<Exchange, string[]>();
    for (const exchange of ctx.api.exchanges) {
      if (exchange.offSpec || !exchange.operationId || !known.has(exchange.operationId)) continue;
      problems.set(exchange, validator.validateResponse(exchange.operationId, { status: exchange.status, headers: exchange.headers, body: exchange.body }));
    }
    return problems;
  });
}

function schemaCheck(kind: Kind, id: string, title: string): Check {
  return {
    id,
    group: 'SCHEMA',
    title,
    level: 'MUST',
    clause: CLAUSES.responseFields,
    needs: 'spec',
    audit: true,
    run: async (ctx) => {
      const problems = await problemsAgainst(ctx, 'schemaProblems', currentSpec);
      return listProblems([...problems.keys()], (e) => problems.get(e)!.filter((p) => kindOf(p) === kind).slice(0, 3).join('; ') || undefined, 'responses');
    },
  };
}

export const SCHEMA_CHECKS: Check[] = [
  schemaCheck('status', 'SCHEMA-STATUS', 'Every observed status is documented for its operation'),
  schemaCheck('headers', 'SCHEMA-HEADERS', 'Every observed response has its documented headers, valid'),
  schemaCheck('body', 'SCHEMA-BODY', 'Every observed JSON body is valid against its schema'),
];
