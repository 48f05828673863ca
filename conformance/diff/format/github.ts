import { summarize } from '../diff.ts';
import type { Severity } from '../rules.ts';
import type { Formatter } from './types.ts';

const LEVEL: Record<Severity, string> = { breaking: 'error', warning: 'warning', additive: 'notice' };

// GitHub workflow-command escaping: data escapes %, CR and LF; property values also : and ,.
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Workflow commands that annotate the revision's source lines in a pull request. */
export const formatGithub: Formatter = ({ changes, ignored, locate }) => {
  const lines = changes.map((change) => {
    const { file, line } = locate(change.anchor);
    const properties = `file=${escapeProperty(file)},line=${line},title=${escapeProperty(`${change.rule} (${change.severity})`)}`;
    return `::${LEVEL[change.severity]} ${properties}::${escapeData(`${change.message}\nContract: ${change.clause}`)}`;
  });
  const { breaking, warning, additive } = summarize(changes);
  lines.push(`starship diff: ${breaking} breaking, ${warning} warning, ${additive} additive${ignored.length > 0 ? `, ${ignored.length} ignored` : ''}`);
  return `${lines.join('\n')}\n`;
};
