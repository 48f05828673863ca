import { failsOn } from '../rules.ts';
import type { Formatter } from './types.ts';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One test case per change; those at or above `--fail-on` fail, so CI test views show exactly what blocks a merge. */
export const formatJunit: Formatter = ({ changes, ignored, base, revision, failOn }) => {
  const suite = `starship diff ${base} → ${revision}`;
  const cases: string[] = [];
  let failures = 0;
  for (const change of changes) {
    const name = escapeXml(`${change.rule} ${change.location}`);
    const classname = `starship.diff.${change.severity}`;
    if (failsOn(change.severity, failOn)) {
      failures++;
      cases.push(`    <testcase classname="${classname}" name="${name}">\n      <failure type="${change.rule}" message="${escapeXml(change.message)}">${escapeXml(`${change.message}\nContract: ${change.clause}`)}</failure>\n    </testcase>`);
    } else {
      cases.push(`    <testcase classname="${classname}" name="${name}">\n      <system-out>${escapeXml(`${change.severity}: ${change.message}\nContract: ${change.clause}`)}</system-out>\n    </testcase>`);
    }
  }
  for (const { change, entry } of ignored) {
    cases.push(`    <testcase classname="starship.diff.ignored" name="${escapeXml(`${change.rule} ${change.location}`)}">\n      <skipped message="${escapeXml(`accepted until ${entry.expires}: ${entry.reason}`)}"/>\n    </testcase>`);
  }
  if (cases.length === 0) cases.push('    <testcase classname="starship.diff" name="no contract changes"/>');
  const tests = cases.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="starship diff" tests="${tests}" failures="${failures}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${tests}" failures="${failures}" skipped="${ignored.length}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
};
