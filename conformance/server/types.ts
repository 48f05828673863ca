/**
 * The vocabulary of the server conformance suite: a check is a small async closure with a stable id, a
 * level (MUST fails the run, SHOULD only warns) and the documentation clause it enforces.
 */
import type { Clause } from './clauses.ts';
import type { SuiteContext } from './context.ts';

export const GROUPS = ['AUTH', 'SIGN', 'IDEM', 'RATE', 'ERR', 'PAGE', 'ENUM', 'CAT', 'ORD', 'WAL', 'WH', 'SCHEMA', 'COMPAT'] as const;
export type Group = (typeof GROUPS)[number];

export type Level = 'MUST' | 'SHOULD';
export type Result = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

/**
 * What a server needs for the check to be meaningful:
 * - `spec`: only the shapes the spec promises (a spec-driven mock such as `prism mock` can pass it);
 * - `server`: a real implementation (known credentials, signatures, idempotency records, state);
 * - `control`: the sandbox control API (`--sandbox-url`); SKIPs without it.
 */
export type Needs = 'spec' | 'server' | 'control';

export interface Check {
  id: string;
  group: Group;
  title: string;
  level: Level;
  clause: Clause;
  needs: Needs;
  /** Destructive checks that only run when asked for (`--include-rate-limits`). */
  optIn?: 'rate-limits';
  /** Reads every exchange recorded in the run, so it runs after all the other checks. */
  audit?: boolean;
  /** Resolves with an optional PASS detail; rejects with CheckFailed / CheckSkipped (or any error = failure). */
  run(ctx: SuiteContext): Promise<string | void>;
}

export interface CheckOutcome {
  id: string;
  group: Group;
  title: string;
  level: Level;
  clause: Clause;
  needs: Needs;
  result: Result;
  detail: string;
  durationMs: number;
}

export class CheckFailed extends Error {}
export class CheckSkipped extends Error {}
/** Ends a check with WARN whatever its level: what it found is allowed, but worth knowing (a spec that lags). */
export class CheckWarned extends Error {}

/** Fails the check with `message` unless `condition` holds. */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

export function fail(message: string): never {
  throw new CheckFailed(message);
}

export function skip(reason: string): never {
  throw new CheckSkipped(reason);
}

export function warn(message: string): never {
  throw new CheckWarned(message);
}
