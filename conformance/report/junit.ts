/**
 * JUnit XML: one test suite per group, one test case per check. FAIL is a failure; SKIP is skipped; WARN
 * (a SHOULD not met) passes with its detail in system-out, so CI views show what would block and what not.
 */
import { summarize, type ReportCheck, type ReportInput } from './types.ts';

const escapeXml = (text: string) =>
  text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

function testCase(check: ReportCheck, prefix: string): string {
  const open = `    <testcase classname="${escapeXml(`${prefix}.${check.group ?? 'checks'}`)}" name="${escapeXml(`${check.id} ${check.title}`)}" time="${seconds(check.durationMs)}">`;
  const text = escapeXml([check.detail, check.clause ? `Contract: ${check.clause}` : '', check.guide ? `Guide: ${check.guide}` : ''].filter(Boolean).join('\n'));
  switch (check.result) {
    case 'FAIL':
      return `${open}\n      <failure type="${check.level}" message="${escapeXml(check.detail.split('\n')[0] ?? '')}">${text}</failure>\n    </testcase>`;
    case 'SKIP':
      return `${open}\n      <skipped message="${escapeXml(check.detail)}"/>\n    </testcase>`;
    case 'WARN':
      return `${open}\n      <system-out>${escapeXml(`WARN (${check.level}): `)}${text}</system-out>\n    </testcase>`;
    default:
      return `${open}${check.clause ? `\n      <system-out>${text}</system-out>\n    ` : ''}</testcase>`;
  }
}

export function formatJunit(input: ReportInput): string {
  const prefix = input.suite.replace(/\s+/g, '.');
  const groups = new Map<string, ReportCheck[]>();
  for (const check of input.checks) groups.set(check.group ?? 'checks', [...(groups.get(check.group ?? 'checks') ?? []), check]);
  const total = summarize(input.checks);
  const suites = [...groups].map(([group, checks]) => {
    const s = summarize(checks);
    const time = checks.reduce((sum, c) => sum + (c.durationMs ?? 0), 0);
    return [
      `  <testsuite name="${escapeXml(`${input.suite} ${group}`)}" tests="${checks.length}" failures="${s.fail}" skipped="${s.skip}" time="${seconds(time)}" timestamp="${input.generatedAt}">`,
      ...checks.map((check) => testCase(check, prefix)),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(`${input.suite} ${input.target}`)}" tests="${input.checks.length}" failures="${total.fail}" skipped="${total.skip}" time="${seconds(input.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
