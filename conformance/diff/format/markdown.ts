import type { LocatedChange } from '../context.ts';
import type { Severity } from '../rules.ts';
import type { Formatter } from './types.ts';

const SECTIONS: Array<{ severity: Severity; title: string; intro: string }> = [
  {
    severity: 'breaking',
    title: 'Breaking changes',
    intro: 'These change something existing integrations rely on. The v1 stability contract only allows them in a new API version.',
  },
  {
    severity: 'warning',
    title: 'Changes to review',
    intro: 'Compatible on the wire, but check them against your integration.',
  },
  {
    severity: 'additive',
    title: 'Additions',
    intro: 'Additive changes v1 may gain at any time. Clients that ignore unknown response keys, enum values and error codes keep working unchanged.',
  },
];

const bullet = (change: LocatedChange) => `- ${change.message}. _${change.clause}_ (\`${change.rule}\`)`;

/** A changelog entry a partner can read: grouped by what they need to do, each line citing the promise it is judged by. */
export const formatMarkdown: Formatter = ({ changes, ignored, base, revision }) => {
  const lines = ['# Starship API changes', '', `Comparing \`${base}\` with \`${revision}\`.`, ''];
  if (changes.length === 0 && ignored.length === 0) lines.push('No changes to the partner API contract.', '');
  for (const { severity, title, intro } of SECTIONS) {
    const matching = changes.filter((change) => change.severity === severity);
    if (matching.length === 0) continue;
    lines.push(`## ${title}`, '', intro, '', ...matching.map(bullet), '');
  }
  if (ignored.length > 0) {
    lines.push('## Accepted exceptions', '', 'Reviewed by the API team and accepted until the date given.', '');
    for (const { change, entry } of ignored) lines.push(`- ${change.message} (\`${change.rule}\`, ${change.severity}). Accepted until ${entry.expires}: ${entry.reason}`);
    lines.push('');
  }
  return lines.join('\n');
};
