/**
 * The readable side of a signed certification report: the HTML page is rendered from the signed JSON alone and
 * carries it, so `verify-report` can check an HTML report too — the embedded JSON against the sandbox's key,
 * and the page against a fresh rendering of that JSON (an edit to what a reader sees is caught as well).
 */
import type { components } from '@starship/spec/sandbox';
import { escapeHtml, formatHtml, type ReportInput } from '../report/index.ts';
import { formatClause, guideUrl } from '../server/clauses.ts';
import { PARTNER_CHECK_BY_ID } from './catalogue.ts';

export type CertificationReport = components['schemas']['CertificationReport'];

const EMBED_ID = 'starship-signed-report';

export function reportInputOf(report: CertificationReport): ReportInput {
  const { certification, signature } = report;
  const owner = certification.owner_partner_id ? ` for ${certification.owner_partner_id}` : '';
  // A practice sandbox's key is made for one run: the report says so wherever it is read.
  const practice = certification.practice ? 'PRACTICE RUN (not a certification: signed by a key Starship does not trust) · ' : '';
  return {
    suite: 'starship conformance partner',
    target: `${practice}partner ${certification.partner_id}${owner} · session ${certification.session_id} · signed ${signature.algorithm} key ${signature.key_id}`,
    checks: report.checks.map((check) => {
      const definition = PARTNER_CHECK_BY_ID.get(check.id);
      return { ...check, ...(definition ? { group: definition.group, clause: formatClause(definition.clause), guide: guideUrl(definition.clause.guide) } : {}) };
    }),
    durationMs: certification.run.duration_ms,
    generatedAt: certification.graded_at,
  };
}

export function signedReportHtml(report: CertificationReport): string {
  const { signature } = report;
  // `<` escaped so the JSON can never close its script element; JSON.parse reads \u003c back as `<`.
  const json = JSON.stringify(report).replace(/</g, '\\u003c');
  const block =
    `<p class="meta">Signed by the sandbox: ${escapeHtml(signature.algorithm)} key ${escapeHtml(signature.key_id)}. ` +
    `Check it with <code>starship conformance verify-report THIS_FILE --public-key KEY.pem</code>.</p>\n` +
    `<script type="application/json" id="${EMBED_ID}">${json}</script>\n`;
  return formatHtml(reportInputOf(report)).replace('</main>', `${block}</main>`);
}

/** The signed report an HTML page carries, provided the page is exactly its rendering; otherwise why not. */
export function reportFromHtml(html: string): { report: unknown } | { problem: string } {
  const match = new RegExp(`<script type="application/json" id="${EMBED_ID}">([^<]*)</script>`).exec(html);
  if (!match) return { problem: 'the page carries no signed report' };
  let report: CertificationReport;
  try {
    report = JSON.parse(match[1]!) as CertificationReport;
  } catch {
    return { problem: 'the embedded report is not JSON' };
  }
  try {
    if (signedReportHtml(report) !== html) return { problem: 'the page differs from the rendering of its signed report' };
  } catch {
    return { problem: 'the embedded report is not a certification report' };
  }
  return { report };
}
