/** DESIGN.md's conformance report: `{ checks: [{ id, title, level, result, detail }], summary }`, nothing more. */
import { summarize, type ReportInput } from './types.ts';

export function formatJson({ checks }: ReportInput): string {
  const report = {
    checks: checks.map(({ id, title, level, result, detail }) => ({ id, title, level, result, detail })),
    summary: summarize(checks),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
