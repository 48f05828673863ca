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
  /** The promise the check enforces, e.g. `000_….txt § Authentication: “…”`. */
  clause?: string;
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

/** Exit 0 only when no MUST check failed. */
export const passed = (checks: readonly ReportCheck[]) => !checks.some((check) => check.result === 'FAIL');
