/**
 * A self-contained HTML report (inline CSS, no scripts, no external assets) that a partner or an auditor
 * can read or archive: the verdict, the summary, a table of contents, then every check by group (failures
 * first) with its level, result, detail, the contract clause it enforces and the guide that explains it.
 */
import { failureReason, passed, summarize, type ReportCheck, type ReportInput } from './types.ts';

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px}
.meta{color:#5b6475;margin:0 0 16px}
.verdict{display:inline-block;padding:6px 14px;border-radius:6px;font-weight:700;color:#fff}
.ok{background:#1f7a44}.ko{background:#b42318}
.summary{display:flex;gap:12px;margin:16px 0}
.summary div{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:8px 16px;text-align:center}
.summary b{display:block;font-size:22px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #dde1e8}
th,td{text-align:left;vertical-align:top;padding:8px;border-top:1px solid #e8ebf0}
th{background:#eef0f4;font-size:13px}
td.id{font-family:ui-monospace,Menlo,monospace;font-size:13px;white-space:nowrap}
.result{font-weight:700;border-radius:4px;padding:2px 8px;font-size:12px;color:#fff}
.PASS{background:#1f7a44}.FAIL{background:#b42318}.WARN{background:#b54708}.SKIP{background:#667085}
pre{white-space:pre-wrap;word-break:break-word;margin:4px 0 0;font-size:12.5px;background:#f6f7f9;padding:6px;border-radius:4px}
.clause{color:#5b6475;font-size:12.5px;margin-top:4px}
.toc{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:4px 16px;margin:16px 0}
.toc h2{margin:8px 0}.toc ol{columns:2;margin:4px 0 8px}.counts{color:#5b6475;font-size:13px}
tr:target{outline:2px solid #0044d4}
`;

/** Within a group, and across groups, what needs attention first. */
const RANK: Record<ReportCheck['result'], number> = { FAIL: 0, WARN: 1, SKIP: 2, PASS: 3 };

const anchor = (id: string) => `check-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function row(check: ReportCheck, timed: boolean): string {
  return [
    `<tr id="${anchor(check.id)}">`,
    `<td class="id">${escapeHtml(check.id)}</td>`,
    `<td>${escapeHtml(check.level)}</td>`,
    `<td><span class="result ${check.result}">${check.result}</span></td>`,
    `<td>${escapeHtml(check.title)}`,
    check.detail ? `<pre>${escapeHtml(check.detail)}</pre>` : '',
    check.clause ? `<div class="clause">Contract: ${escapeHtml(check.clause)}</div>` : '',
    check.guide ? `<div class="clause">Guide: <a href="${escapeHtml(check.guide)}">${escapeHtml(check.guide)}</a></div>` : '',
    '</td>',
    timed ? `<td>${check.durationMs === undefined ? '' : `${check.durationMs} ms`}</td>` : '',
    '</tr>',
  ].join('');
}

function counts(checks: readonly ReportCheck[]): string {
  const s = summarize(checks);
  return (['fail', 'warn', 'skip', 'pass'] as const).filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`).join(', ');
}

/**
 * Failures first: groups with a FAIL lead (then those with a WARN), and within a group FAIL, WARN, SKIP,
 * PASS; a table of contents links every group and every failed check. The Time column appears only when
 * the checks were timed (a partner report's checks are graded afterwards, not timed).
 */
export function formatHtml(input: ReportInput): string {
  const summary = summarize(input.checks);
  const ok = passed(input.checks);
  const timed = input.checks.some((check) => check.durationMs !== undefined);
  const groups = new Map<string, ReportCheck[]>();
  for (const check of input.checks) groups.set(check.group ?? 'Checks', [...(groups.get(check.group ?? 'Checks') ?? []), check]);
  const worst = (checks: readonly ReportCheck[]) => Math.min(...checks.map((c) => RANK[c.result]));
  const ordered = [...groups]
    .map(([group, checks], index) => ({ group, index, checks: [...checks].sort((a, b) => RANK[a.result] - RANK[b.result]) }))
    .sort((a, b) => Math.min(worst(a.checks), 2) - Math.min(worst(b.checks), 2) || a.index - b.index);
  const groupId = (group: string) => `group-${group.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const failed = input.checks.filter((check) => check.result === 'FAIL');
  const toc = [
    '<nav class="toc"><h2>Contents</h2>',
    failed.length > 0
      ? `<p><b>Failed:</b> ${failed.map((c) => `<a href="#${anchor(c.id)}">${escapeHtml(c.id)}</a>`).join(', ')}</p>`
      : '',
    `<ol>${ordered.map(({ group, checks }) => `<li><a href="#${groupId(group)}">${escapeHtml(group)}</a> <span class="counts">${counts(checks)}</span></li>`).join('')}</ol>`,
    '</nav>',
  ].join('\n');
  const head = `<tr><th>Check</th><th>Level</th><th>Result</th><th>What is checked</th>${timed ? '<th>Time</th>' : ''}</tr>`;
  const sections = ordered.map(
    ({ group, checks }) =>
      `<h2 id="${groupId(group)}">${escapeHtml(group)}</h2>\n<table><thead>${head}</thead><tbody>\n${checks.map((check) => row(check, timed)).join('\n')}\n</tbody></table>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${input.suite}: ${input.target}`)}</title>
<style>${STYLE}</style>
</head>
<body><main>
<h1>${escapeHtml(input.suite)}</h1>
<p class="meta">${escapeHtml(input.target)} · ${escapeHtml(input.generatedAt)} · ${(input.durationMs / 1000).toFixed(1)} s</p>
<span class="verdict ${ok ? 'ok' : 'ko'}">${ok ? 'CONFORMS: no MUST check failed' : `DOES NOT CONFORM: ${failureReason(input.checks)}`}</span>
<div class="summary"><div><b>${summary.pass}</b>pass</div><div><b>${summary.fail}</b>fail</div><div><b>${summary.warn}</b>warn</div><div><b>${summary.skip}</b>skip</div></div>
${toc}
${sections.join('\n')}
</main></body>
</html>
`;
}
