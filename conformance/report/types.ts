/**
 * A conformance report, independent of what was certified (a server here, a partner integration in
 * `starship conformance partner`): checks with a level and a result, plus what the richer formats show.
 */
export type Level = 'MUST' | 'SHOULD';
export type Result = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

export interface ReportCheck {
  id: string;
  title: string;
  level: Level;
  result: Result;
  detail: string;
  /** Shown by JUnit (test suite) and HTML (section); not part of the JSON format. */
  group?: string;
  /** The promise the check enforces, e.g. `API reference v1 § Authentication: “…”`. */
  clause?: string;
  /** The docs-site guide that explains what the check expects (URL). */
  guide?: string;
  durationMs?: number;
}

export interface ReportInput {
  /** e.g. `starship conformance server`. */
  suite: string;
  /** What was certified, e.g. the base URL. */
  target: string;
  checks: readonly ReportCheck[];
  durationMs: number;
  /** ISO timestamp of the run. */
  generatedAt: string;
}

export interface Summary {
  pass: number;
  fail: number;
  warn: number;
  skip: number;
}

export function summarize(checks: readonly ReportCheck[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const check of checks) summary[check.result.toLowerCase() as keyof Summary]++;
  return summary;
}

/** Exit 0 only when checks ran and no MUST check failed: a run of zero checks proves nothing. */
export const passed = (checks: readonly ReportCheck[]) => checks.length > 0 && !checks.some((check) => check.result === 'FAIL');

/** Why a run did not pass, for its verdict line: `2 MUST checks failed`, or `no check ran`. */
export function failureReason(checks: readonly ReportCheck[]): string {
  if (checks.length === 0) return 'no check ran';
  const failed = checks.filter((check) => check.result === 'FAIL').length;
  return `${failed} MUST check${failed === 1 ? '' : 's'} failed`;
}
