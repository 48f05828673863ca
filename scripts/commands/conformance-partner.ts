import { writeFileSync } from 'node:fs';
import { DEFAULT_TIMEOUT_MS, runPartnerCertification } from '../../conformance/partner/runner.ts';
import { signedReportHtml } from '../../conformance/partner/signed-html.ts';
import { formatJunit, passed, summarize, type ReportCheck } from '../../conformance/report/index.ts';

export interface ConformancePartnerOptions {
  run: string;
  sandboxUrl?: string;
  adminToken?: string;
  json?: string;
  junit?: string;
  html?: string;
  timeout?: string;
  pendingSeconds?: string;
  ipAllowlist?: string;
  webhookHost?: string;
}

const COLOURS: Record<ReportCheck['result'], string> = { PASS: '32', FAIL: '31', WARN: '33', SKIP: '90' };

function progressLine(check: ReportCheck, colour: boolean): string {
  const label = colour ? `\x1b[${COLOURS[check.result]}m${check.result}\x1b[0m` : check.result;
  const head = `  ${label}  ${check.id.padEnd(20)} ${check.title}`;
  if (check.detail === '') return head;
  return `${head}\n${check.detail.replace(/^/gm, '        ')}`;
}

function seconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be whole seconds, got ${value}`);
  return n;
}

/**
 * `starship conformance partner`: exit 0 only when no MUST check fails (2 on usage errors, via the CLI).
 * The JSON report is the sandbox's signed report, written as received; JUnit and HTML are rendered from it,
 * and the HTML carries it too, so either file can be checked with verify-report.
 */
export async function conformancePartnerCommand(options: ConformancePartnerOptions): Promise<number> {
  if (Boolean(options.sandboxUrl) !== Boolean(options.adminToken)) throw new Error('--sandbox-url and --admin-token go together');
  const timeoutSeconds = seconds(options.timeout, '--timeout');
  const pendingSeconds = seconds(options.pendingSeconds, '--pending-seconds');
  const colour = process.stderr.isTTY === true && !process.env.NO_COLOR;
  const { report, input } = await runPartnerCertification({
    command: options.run,
    ...(options.sandboxUrl ? { sandboxUrl: options.sandboxUrl, adminToken: options.adminToken } : {}),
    timeoutMs: timeoutSeconds === undefined ? DEFAULT_TIMEOUT_MS : timeoutSeconds * 1000,
    ...(pendingSeconds === undefined ? {} : { pendingSeconds }),
    ...(options.ipAllowlist ? { ipAllowlist: options.ipAllowlist.split(',').map((cidr) => cidr.trim()).filter(Boolean) } : {}),
    ...(options.webhookHost ? { webhookHost: options.webhookHost } : {}),
    stdio: 'inherit',
    onEvent: (message) => console.error(`starship conformance partner: ${message}`),
  });
  let group = '';
  for (const check of input.checks) {
    if (check.group !== group) console.error((group = check.group ?? ''));
    console.error(progressLine(check, colour));
  }
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  if (options.junit) writeFileSync(options.junit, formatJunit(input));
  if (options.html) writeFileSync(options.html, signedReportHtml(report));
  const s = summarize(input.checks);
  const ok = passed(input.checks);
  const verdict = ok ? 'certified (no MUST check failed)' : `NOT certified (${s.fail} MUST check${s.fail === 1 ? '' : 's'} failed)`;
  console.log(`partner ${report.certification.partner_id}: ${verdict}: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip; report signed with ${report.signature.algorithm} key ${report.signature.key_id}`);
  return ok ? 0 : 1;
}
