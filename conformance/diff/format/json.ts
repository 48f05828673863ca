import { toReport } from '../diff.ts';
import type { Formatter } from './types.ts';

/** DESIGN.md's report, plus the accepted changes so a reader can see what the ignore file hid. */
export const formatJson: Formatter = ({ changes, ignored }) => {
  const report = {
    ...toReport(changes),
    ignored: ignored.map(({ change, entry }) => ({ rule: change.rule, severity: change.severity, location: change.location, message: change.message, reason: entry.reason, expires: entry.expires })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};
