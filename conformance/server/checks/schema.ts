/**
 * SCHEMA: every partner-API response the run observed is validated against the bundled spec (status
 * documented for the operation, documented headers present and valid, JSON body valid) with the contract
 * validator, reading enums as v1 defines them: open. A value an enum does not list yet is the spec lagging
 * behind the server (WARN), a case variant of a member still breaks the contract (FAIL). COMPAT runs the
 * same audit against the published v1 baseline.
 */
import { loadBaseline, loadSpec } from '@starship/contract';
import { createContractValidator, problemText, type ContractProblem, type ContractValidator } from '@starship/contract/validator';
import type { Exchange } from '../api-client.ts';
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import { fail, warn, type Check } from '../types.ts';
import { problemLines, summarise } from './audit.ts';

/** One validator per document for the process: compiling the schemas is most of an audit's cost. */
function once(make: () => ContractValidator): () => ContractValidator {
  let validator: ContractValidator | undefined;
  return () => (validator ??= make());
}

export const currentSpec = once(() => createContractValidator(loadSpec('starship'), { openResponseEnums: true }));
export const baselineSpec = once(() => createContractValidator(loadBaseline(), { openResponseEnums: true }));

/** Problems per exchange against one validator, computed once per run and shared by the checks. */
export function problemsAgainst(ctx: SuiteContext, key: string, makeValidator: () => ContractValidator): Promise<Map<Exchange, ContractProblem[]>> {
  return ctx.memo(key, async () => {
    const validator = makeValidator();
    const known = new Set(validator.operationIds);
    const problems = new Map<Exchange, ContractProblem[]>();
    for (const exchange of ctx.api.exchanges) {
      if (exchange.offSpec || !exchange.operationId || !known.has(exchange.operationId)) continue;
      problems.set(exchange, validator.validateResponse(exchange.operationId, { status: exchange.status, headers: exchange.headers, body: exchange.body }));
    }
    return problems;
  });
}

/**
 * FAILs when a response breaks the contract; WARNs when the only findings are enum values the spec does not
 * document (v1's enums are open: the server may add values, the spec should catch up).
 */
export function judgeProblems(problems: Map<Exchange, ContractProblem[]>, select: (problem: ContractProblem) => boolean, what: string): string {
  const exchanges = [...problems.keys()];
  const lines = (lagging: boolean) =>
    problemLines(exchanges, (exchange) =>
      problems
        .get(exchange)!
        .filter((p) => select(p) && (p.newEnumValue === true) === lagging)
        .slice(0, 3)
        .map(problemText)
        .join('; ') || undefined,
    );
  const breaks = lines(false);
  const lags = lines(true);
  const lagNote = lags.length > 0 ? `\n(and ${lags.length} with enum values the spec does not document yet)` : '';
  if (breaks.length > 0) fail(`${summarise(breaks, exchanges.length, what)}${lagNote}`);
  if (lags.length > 0) {
    warn(`the spec lags: ${summarise(lags, exchanges.length, `${what} carry enum values it does not document`)}\nv1 enums are open (a new value is additive): document these values`);
  }
  return `${exchanges.length} ${what} checked`;
}

function schemaCheck(locations: readonly ContractProblem['in'][], id: string, title: string): Check {
  return {
    id,
    group: 'SCHEMA',
    title,
    level: 'MUST',
    clause: CLAUSES.responseFields,
    needs: 'spec',
    audit: true,
    run: async (ctx) => judgeProblems(await problemsAgainst(ctx, 'schemaProblems', currentSpec), (p) => locations.includes(p.in), 'responses'),
  };
}

export const SCHEMA_CHECKS: Check[] = [
  schemaCheck(['status'], 'SCHEMA-STATUS', 'Every observed status is documented for its operation'),
  schemaCheck(['header'], 'SCHEMA-HEADERS', 'Every observed response has its documented headers, valid'),
  schemaCheck(['body', 'content-type'], 'SCHEMA-BODY', 'Every observed JSON body is valid against its schema'),
];
