import { writeFileSync } from 'node:fs';
import { formatClause, guideUrl } from '@starship/conformance/server/clauses';
import { selectChecks } from '@starship/conformance/server/registry';
import { runSuite } from '@starship/conformance/server/runner';
import type { CheckOutcome } from '@starship/conformance/server/types';
import { failureReason, formatHtml, formatJson, formatJunit, passed, summarize, type ReportInput } from '@starship/conformance/report/index';

export interface ConformanceServerOptions {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  sandboxUrl?: string;
  adminToken?: string;
  json?: string;
  junit?: string;
  html?: string;
  includeRateLimits?: boolean;
  only?: string;
  webhookTimeout?: string;
}

const COLOURS: Record<CheckOutcome['result'], string> = { PASS: '32', FAIL: '31', WARN: '33', SKIP: '90' };

function progressLine(outcome: CheckOutcome, colour: boolean): string {
  const label = colour ? `\x1b[${COLOURS[outcome.result]}m${outcome.result}\x1b[0m` : outcome.result;
  const head = `  ${label}  ${outcome.id.padEnd(28)} ${outcome.title} (${outcome.durationMs} ms)`;
  if (outcome.result === 'PASS' || outcome.detail === '') return head;
  return `${head}\n${outcome.detail.replace(/^/gm, '        ')}`;
}

function onlyList(only: string | undefined): string[] | undefined {
  if (only === undefined) return undefined;
  const entries = only.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('--only names no check: give comma-separated check ids or groups (e.g. AUTH,SIGN-STALE)');
  selectChecks(entries);
  return entries;
}

function validate(options: ConformanceServerOptions): { webhookTimeoutMs: number | undefined; only: string[] | undefined } {
  if (!/^https?:\/\//.test(options.baseUrl)) throw new Error(`--base-url must be an http(s) URL including /api/v1, got ${options.baseUrl}`);
  if (Boolean(options.sandboxUrl) !== Boolean(options.adminToken)) throw new Error('--sandbox-url and --admin-token go together');
  const only = onlyList(options.only);
  if (options.webhookTimeout === undefined) return { webhookTimeoutMs: undefined, only };
  const ms = Number(options.webhookTimeout);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`--webhook-timeout must be milliseconds, got ${options.webhookTimeout}`);
  return { webhookTimeoutMs: ms, only };
}

/** `starship conformance server`: exit 0 only when no MUST check fails (2 on usage errors, via the CLI). */
export async function conformanceServerCommand(options: ConformanceServerOptions): Promise<number> {
  const { webhookTimeoutMs, only } = validate(options);
  const colour = process.stderr.isTTY === true && !process.env.NO_COLOR;
  const generatedAt = new Date().toISOString();
  console.error(`starship conformance server: ${options.baseUrl}${options.sandboxUrl ? ` (control API at ${options.sandboxUrl})` : ' (no control API: operator-driven checks SKIP)'}`);
  let group = '';
  const run = await runSuite(
    {
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      ...(options.sandboxUrl ? { sandboxUrl: options.sandboxUrl, adminToken: options.adminToken } : {}),
      includeRateLimits: options.includeRateLimits ?? false,
      ...(only ? { only } : {}),
      ...(webhookTimeoutMs === undefined ? {} : { webhookTimeoutMs }),
    },
    {
      onOutcome: (outcome) => {
        if (outcome.group !== group) console.error(`${(group = outcome.group)}`);
        console.error(progressLine(outcome, colour));
      },
    },
  );

  const input: ReportInput = {
    suite: 'starship conformance server',
    target: options.baseUrl,
    checks: run.outcomes.map((o) => ({ id: o.id, title: o.title, level: o.level, result: o.result, detail: o.detail, group: o.group, clause: formatClause(o.clause), guide: guideUrl(o.clause.guide), durationMs: o.durationMs })),
    durationMs: run.durationMs,
    generatedAt,
  };
  if (options.json) writeFileSync(options.json, formatJson(input));
  if (options.junit) writeFileSync(options.junit, formatJunit(input));
  if (options.html) writeFileSync(options.html, formatHtml(input));

  const s = summarize(input.checks);
  const verdict = passed(input.checks) ? 'conforms (no MUST check failed)' : `does NOT conform (${failureReason(input.checks)})`;
  console.log(`${options.baseUrl} ${verdict}: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip in ${(run.durationMs / 1000).toFixed(1)} s (${run.exchanges} responses and ${run.webhooks} webhooks audited)`);
  return passed(input.checks) ? 0 : 1;
}
