import { summarize } from '../diff.ts';
import type { Formatter } from './types.ts';

export const formatText: Formatter = ({ changes, ignored, base, revision }) => {
  const lines = [`starship diff: ${base} → ${revision}`, ''];
  for (const change of changes) {
    lines.push(`${change.severity.toUpperCase().padEnd(8)}  ${change.rule}  ${change.location}`, `          ${change.message}`, `          Contract: ${change.clause}`, '');
  }
  if (ignored.length > 0) {
    lines.push('Ignored (accepted in the ignore file):');
    for (const { change, entry } of ignored) lines.push(`  ${change.rule}  ${change.location}  until ${entry.expires}: ${entry.reason}`);
    lines.push('');
  }
  const { breaking, warning, additive } = summarize(changes);
  const ignoredNote = ignored.length > 0 ? ` (${ignored.length} ignored)` : '';
  lines.push(changes.length === 0 ? `No contract changes${ignoredNote}.` : `${breaking} breaking, ${warning} warning, ${additive} additive${ignoredNote}.`);
  return `${lines.join('\n')}\n`;
};
