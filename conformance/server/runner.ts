/**
 * Runs the registry against one server: checks one after another (they share fixtures and the server's
 * rate limits), audits last, each outcome reported as it lands so the terminal shows progress.
 */
import { NO_CONTROL, SuiteContext, type SuiteOptions } from './context.ts';
import { selectChecks } from './registry.ts';
import { CheckSkipped, CheckWarned, GROUPS, type Check, type CheckOutcome, type Result } from './types.ts';

export interface SuiteRun {
  outcomes: CheckOutcome[];
  durationMs: number;
  /** Partner-API exchanges recorded (and audited). */
  exchanges: number;
  webhooks: number;
}

export interface RunHooks {
  onStart?: (check: Check) => void;
  onOutcome?: (outcome: CheckOutcome) => void;
  /** Ends the run after this outcome (the mutation test stops at the first kill); later checks are not run. */
  stopAfter?: (outcome: CheckOutcome) => boolean;
}

async function runOne(ctx: SuiteContext, check: Check): Promise<Pick<CheckOutcome, 'result' | 'detail'>> {
  if (check.optIn === 'rate-limits' && !ctx.options.includeRateLimits) {
    return { result: 'SKIP', detail: 'exhausts a rate-limit window; opt in with --include-rate-limits' };
  }
  if (check.needs === 'control' && !ctx.control) return { result: 'SKIP', detail: NO_CONTROL };
  ctx.api.currentCheck = check.id;
  try {
    return { result: 'PASS', detail: (await check.run(ctx)) ?? '' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof CheckSkipped) return { result: 'SKIP', detail: message };
    if (error instanceof CheckWarned) return { result: 'WARN', detail: message };
    const result: Result = check.level === 'MUST' ? 'FAIL' : 'WARN';
    return { result, detail: message };
  }
}

export async function runSuite(options: SuiteOptions, hooks: RunHooks = {}): Promise<SuiteRun> {
  const started = Date.now();
  const checks = selectChecks(options.only);
  const ctx = new SuiteContext(options);
  try {
    await preflight(ctx);
    const order = [...checks.filter((c) => !c.audit), ...checks.filter((c) => c.audit)];
    const byId = new Map<string, CheckOutcome>();
    for (const check of order) {
      hooks.onStart?.(check);
      const begun = Date.now();
      const { result, detail } = await runOne(ctx, check);
      const { id, group, title, level, clause, needs } = check;
      const outcome: CheckOutcome = { id, group, title, level, clause, needs, result, detail, durationMs: Date.now() - begun };
      byId.set(check.id, outcome);
      hooks.onOutcome?.(outcome);
      if (hooks.stopAfter?.(outcome)) break;
    }
    const outcomes = checks.flatMap((check) => byId.get(check.id) ?? []).sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group));
    return { outcomes, durationMs: Date.now() - started, exchanges: ctx.api.exchanges.length, webhooks: ctx.receiverDeliveries().length };
  } finally {
    await ctx.close();
  }
}

/** Unreachable servers and a wrong admin token are usage errors (exit 2), not a list of failed checks. */
async function preflight(ctx: SuiteContext): Promise<void> {
  try {
    await fetch(new URL(ctx.options.baseUrl));
  } catch (error) {
    throw new Error(`cannot reach --base-url ${ctx.options.baseUrl}: ${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}`);
  }
  if (ctx.control) {
    try {
      await ctx.syncClock();
    } catch (error) {
      throw new Error(`the control API at ${ctx.options.sandboxUrl}/sandbox/v1 is not usable: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
