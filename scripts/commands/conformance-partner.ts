import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { DEFAULT_TIMEOUT_MS, runPartnerCertification } from '@starship/conformance/partner/runner';
import { signedReportHtml } from '@starship/conformance/partner/signed-html';
import { failureReason, formatJunit, passed, summarize, type ReportCheck } from '@starship/conformance/report/index';
import { startSandbox, type RunningSandbox } from '@starship/sandbox/server';

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

/** Without --sandbox-url the session runs on a sandbox in this process: a loopback port, an in-memory database. */
function startLocalSandbox(): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    host: '127.0.0.1',
    db: ':memory:',
    adminToken: `adm_${randomBytes(24).toString('base64url')}`,
    logger: pino({ level: 'silent' }),
    print: () => {},
    handleSignals: false,
  });
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
  const say = (message: string) => console.error(`starship conformance partner: ${message}`);
  const own = options.sandboxUrl ? undefined : await startLocalSandbox();
  if (own) say(`sandbox started at ${own.origin} (in memory)`);
  const { report, input } = await runPartnerCertification({
    command: options.run,
    sandboxUrl: own?.origin ?? options.sandboxUrl!,
    adminToken: own?.adminToken ?? options.adminToken!,
    timeoutMs: timeoutSeconds === undefined ? DEFAULT_TIMEOUT_MS : timeoutSeconds * 1000,
    ...(pendingSeconds === undefined ? {} : { pendingSeconds }),
    ...(options.ipAllowlist ? { ipAllowlist: options.ipAllowlist.split(',').map((cidr) => cidr.trim()).filter(Boolean) } : {}),
    ...(options.webhookHost ? { webhookHost: options.webhookHost } : {}),
    stdio: 'inherit',
    onEvent: say,
  }).finally(() => own?.close());
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
  console.log(`partner ${report.certification.partner_id}: ${verdict}: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.skip} skip; report signed with ${report.signature.algorithm} key ${report.signature.key_id}`);
  return ok ? 0 : 1;
}
