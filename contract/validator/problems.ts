/**
 * What a contract validator reports: structured problems (where, which value, which rule), and the one way
 * they are written as text — `customer_info.email must match format "email"`, `query.limit must be <= 10000`,
 * `params.product_id must be integer`, `headers.x-page is required`, `status 418 is not documented for
 * getProduct` — for error envelopes, logs and conformance reports alike.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import { escapePointerToken, unescapePointerToken } from '../pointer.ts';

/** The part of a request or response a problem is in. */
export type ProblemLocation = 'path' | 'query' | 'header' | 'body' | 'status' | 'content-type';

export interface ContractProblem {
  in: ProblemLocation;
  /** The parameter or header (header names lower-case); absent for body, status and content-type problems. */
  name?: string;
  /** JSON pointer to the offending value inside the parameter, header or body ('' for the value itself). */
  instancePath: string;
  /**
   * The JSON Schema keyword that failed, or the rule: `required`, `unknown` (query parameter), `empty`,
   * `repeated`, `encoding` (path segment), `json` (JSON parameter), `media-type`, `undocumented` (status),
   * `no-content` (a body where none is documented).
   */
  keyword: string;
  message: string;
  params: Record<string, unknown>;
  /**
   * Only from a validator with open response enums: the value is a string the documented enum lacks, and no
   * case variant of a member. v1 lets every response enum gain values, so this says the spec lags; every other
   * problem breaks the contract.
   */
  newEnumValue?: true;
}

/**
 * Ajv's errors as problems. `required` and `additionalProperties` point at the property they name (as
 * express-openapi-validator did: `amount must have required property 'amount'`); an enum lists its members.
 */
export function fromAjv(errors: readonly ErrorObject[] | null | undefined, at: Pick<ContractProblem, 'in' | 'name'>, pathPrefix = 0): ContractProblem[] {
  return (errors ?? []).map((error) => {
    const params = error.params as Record<string, unknown>;
    const named = params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty;
    const tokens = error.instancePath.split('/').slice(1 + pathPrefix);
    if (typeof named === 'string') tokens.push(escapePointerToken(named));
    const allowed = error.keyword === 'enum' && Array.isArray(params.allowedValues) ? `: ${params.allowedValues.join(', ')}` : '';
    return {
      ...at,
      instancePath: tokens.map((t) => `/${t}`).join(''),
      keyword: error.keyword,
      message: `${error.message ?? 'is invalid'}${allowed}`,
      params,
    };
  });
}

const PREFIX: Partial<Record<ProblemLocation, string>> = { path: 'params', query: 'query', header: 'headers' };

/** One line per problem; body problems are named by their property path, the body itself as `body`. */
export function problemText(problem: ContractProblem): string {
  if (problem.in === 'status' || problem.in === 'content-type') return problem.message;
  const tokens = problem.instancePath === '' ? [] : problem.instancePath.slice(1).split('/').map(unescapePointerToken);
  const prefix = PREFIX[problem.in];
  const where = prefix ? [prefix, problem.name ?? '', ...tokens].join('.') : tokens.length ? tokens.join('.') : 'body';
  return `${where} ${problem.message}`;
}
