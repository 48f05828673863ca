import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { DEFAULT_TIMEOUT_MS, runPartnerCertification, type PartnerRunOptions } from '@starship/conformance/partner/runner';
import { signedReportHtml } from '@starship/conformance/partner/signed-html';
import { failureReason, formatJunit, passed, summarize, type ReportCheck } from '@starship/conformance/report/index';
import { startSandbox, type RunningSandbox } from '@starship/sandbox/server';
import { credentialsFrom, type CredentialOptions } from './partner-credentials.ts';

export interface ConformancePartnerOptions extends CredentialOptions {
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
 * A practice run's sandbox: in this process, on a loopback port, in memory, with a signing key made for this
 * run alone (reports say `practice: true`; the public key is written beside them).
 */
function startPracticeSandbox(): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    host: '127.0.0.1',
    db: ':memory:',
    adminToken: `adm_${randomBytes(24).toString('base64url')}`,
    logger: pino({ level: 'silent' }),
    print: () => {},
    handleSignals: false,
    practice: true,
  });
}

/** `report.json` → `report.public-key.pem`, beside it. */
export function publicKeyFileFor(reportFile: string): string {
  return `${reportFile.replace(/\.(json|html?)$/i, '')}.public-key.pem`;
}

/**
 * `starship conformance partner`: exit 0 only when no MUST check fails (2 on usage errors, via the CLI).
 * Who opens the session: the partner itself with its sandbox credentials (flags or STARSHIP_* variables; no
 * admin token, as on the hosted sandbox), an operator (--sandbox-url with --admin-token), or, with neither, a
 * practice sandbox in this process whose report says it is one. The JSON report is the sandbox's signed report,
 * written as received; JUnit and HTML are rendered from it, and the HTML carries it too, so either file can be
 * checked with verify-report.
 */
export async function conformancePartnerCommand(options: ConformancePartnerOptions): Promise<number> {
  if (Boolean(options.sandboxUrl) !== Boolean(options.adminToken)) throw new Error('--sandbox-url and --admin-token go together');
  const operator = options.sandboxUrl !== undefined;
  const credentials = operator ? undefined : credentialsFrom(options);
  if (operator && (options.baseUrl || options.apiKey || options.apiSecret)) {
    throw new Error("give either your sandbox credentials (--base-url, --api-key, --api-secret) or an operator's --sandbox-url and --admin-token, not both");
  }
  const timeoutSeconds = seconds(options.timeout, '--timeout');
  const pendingSeconds = seconds(options.pendingSeconds, '--pending-seconds');
  const colour = process.stderr.isTTY === true && !process.env.NO_COLOR;
  const say = (message: string) => console.error(`starship conformance partner: ${message}`);
  const practice = !operator && !credentials ? await startPracticeSandbox() : undefined;
  if (practice) say(`practice run: a sandbox started at ${practice.origin} (in memory), signing with a key made for this run only`);
  else if (credentials) say(`certifying with your credentials against ${credentials.baseUrl}`);
  const authority: Pick<PartnerRunOptions, 'sandboxUrl' | 'adminToken' | 'credentials'> = practice
    ? { sandboxUrl: practice.origin, adminToken: practice.adminToken }
    : credentials
      ? { credentials }
      : { sandboxUrl: options.sandboxUrl!, adminToken: options.adminToken! };
  let publicKeyPem: string | undefined;
  const { report, input } = await runPartnerCertification({
    command: options.run,
    ...authority,
    timeoutMs: timeoutSeconds === undefined ? DEFAULT_TIMEOUT_MS : timeoutSeconds * 1000,
    ...(pendingSeconds === undefined ? {} : { pendingSeconds }),
    ...(options.ipAllowlist ? { ipAllowlist: options.ipAllowlist.split(',').map((cidr) => cidr.trim()).filter(Boolean) } : {}),
    ...(options.webhookHost ? { webhookHost: options.webhookHost } : {}),
    stdio: 'inherit',
    onEvent: say,
  }).finally(async () => {
    if (practice) publicKeyPem = (await practice.engine.getReportSigningKey()).public_key_pem;
    await practice?.close();
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
  const verdict = ok ? 'certified (no MUST check failed)' : `NOT certified (${failureReason(input.checks)})`;
  const owner = report.certification.owner_partner_id ? ` for ${report.certification.owner_partner_id}` : '';
  console.log(
    `partner ${report.certification.partner_id}${owner}: ${verdict}: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip; report signed with ${report.signature.algorithm} key ${report.signature.key_id}`,
  );
  if (publicKeyPem) {
    const reportFile = options.json ?? options.html;
    const keyFile = reportFile ? publicKeyFileFor(reportFile) : undefined;
    if (keyFile) writeFileSync(keyFile, publicKeyPem);
    console.log(
      `PRACTICE RUN: signed by a key made for this run, not one Starship trusts${keyFile ? `; its public key is in ${keyFile} (starship conformance verify-report ${reportFile} --public-key ${keyFile})` : ''}. Certify on the hosted sandbox with your sandbox credentials.`,
    );
  }
  return ok ? 0 : 1;
}
