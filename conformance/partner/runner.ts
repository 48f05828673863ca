/**
 * `starship conformance partner`: starts a certification session on a sandbox, runs the partner's command with the
 * session's base URL and credentials in its environment (the published script in scripts/guides/certification.md says what it
 * must do), waits for it, and has the sandbox grade the session and sign the report. The session is opened and
 * graded either by an operator (the control API with the admin token) or by the partner itself, with its own
 * sandbox key and secret (the test helpers: no admin token, as on the hosted sandbox).
 */
import { spawn } from 'node:child_process';
import { createStarshipTestHelpers } from '@starship/sdk';
import type { components } from '@starship/spec/sandbox';
import { createControlClient } from '../control-client.ts';
import type { ReportInput } from '../report/index.ts';
import { reportInputOf, type CertificationReport } from './signed-html.ts';

type Control = components['schemas'];
export type CertificationSession = Control['CertificationSession'];

export const DEFAULT_TIMEOUT_MS = 120_000;

/** A partner's own sandbox credentials; `baseUrl` is its API root including /api/v1. */
export interface PartnerCredentials {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
}

export interface PartnerRunOptions {
  /** The partner's command, run by the shell. */
  command: string;
  /** An operator's session: the sandbox origin whose control API (/sandbox/v1) runs it, and its admin token. */
  sandboxUrl?: string;
  adminToken?: string;
  /** Or the partner's own session, opened and graded with its credentials (the test helpers). */
  credentials?: PartnerCredentials;
  timeoutMs?: number;
  cwd?: string;
  /** 'inherit' passes the command's output through; 'pipe' collects it (returned as `output`). */
  stdio?: 'inherit' | 'pipe';
  pendingSeconds?: number;
  /** Networks the command calls the sandbox from (default loopback). */
  ipAllowlist?: string[];
  /** Where the command should bind its webhook receiver so the sandbox reaches it (default 127.0.0.1). */
  webhookHost?: string;
  onEvent?: (message: string) => void;
}

export interface PartnerRunResult {
  session: CertificationSession;
  report: CertificationReport;
  /** The report with the catalogue's groups and clauses, for the JUnit and HTML writers. */
  input: ReportInput;
  output: string;
}

/** Where sessions are opened and graded, and the partner API root their commands call. */
interface Sessions {
  baseUrl: string;
  open(request: Control['CertificationSessionRequest']): Promise<CertificationSession>;
  grade(sessionId: string, run: Control['CertificationRun']): Promise<CertificationReport>;
}

function operatorSessions(sandboxUrl: string, adminToken: string): Sessions {
  const control = createControlClient({ origin: sandboxUrl, adminToken });
  return {
    baseUrl: `${control.origin}/api/v1`,
    open: (request) => control.createCertificationSession({ body: request }),
    grade: (sessionId, run) => control.gradeCertificationSession({ path: { session_id: sessionId }, body: { run } }),
  };
}

function partnerSessions(credentials: PartnerCredentials): Sessions {
  const helpers = createStarshipTestHelpers({ ...credentials, maxAttempts: 1 });
  return {
    baseUrl: credentials.baseUrl.replace(/\/+$/, ''),
    open: (request) => helpers.certification.createSession(request),
    grade: async (sessionId, run) => (await helpers.certification.grade(sessionId, { run })) as CertificationReport,
  };
}

function sessionsFor(options: PartnerRunOptions): Sessions {
  if (options.credentials && !options.sandboxUrl && !options.adminToken) return partnerSessions(options.credentials);
  if (!options.credentials && options.sandboxUrl && options.adminToken) return operatorSessions(options.sandboxUrl, options.adminToken);
  throw new Error("give either the partner's credentials or a sandbox URL with its admin token");
}

/** The environment the certification script promises the partner's command. */
export function scriptEnvironment(session: CertificationSession, baseUrl: string, webhookHost = '127.0.0.1'): Record<string, string> {
  return {
    STARSHIP_BASE_URL: baseUrl,
    STARSHIP_API_KEY: session.api_key,
    STARSHIP_API_SECRET: session.api_secret,
    STARSHIP_CERT_SESSION_ID: session.session_id,
    STARSHIP_CERT_SCRIPT_VERSION: String(session.script_version),
    STARSHIP_CERT_INSTANT_PRODUCT_ID: String(session.instant_product.product_id),
    STARSHIP_CERT_INSTANT_AMOUNT: session.instant_product.amount,
    STARSHIP_CERT_INSTANT_CURRENCY: session.instant_product.currency,
    STARSHIP_CERT_DELAYED_PRODUCT_ID: String(session.delayed_product.product_id),
    STARSHIP_CERT_DELAYED_AMOUNT: session.delayed_product.amount,
    STARSHIP_CERT_DELAYED_CURRENCY: session.delayed_product.currency,
    STARSHIP_CERT_WEBHOOK_HOST: webhookHost,
  };
}

interface CommandOutcome {
  exit_code: number | null;
  timed_out: boolean;
  duration_ms: number;
  output: string;
}

function runCommand(command: string, env: Record<string, string>, options: PartnerRunOptions): Promise<CommandOutcome> {
  const started = performance.now();
  const piped = options.stdio === 'pipe';
  // Its own process group, so a timeout stops the command and everything it started.
  const child = spawn(command, { shell: true, cwd: options.cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', piped ? 'pipe' : 'inherit', piped ? 'pipe' : 'inherit'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ exit_code: code, timed_out: timedOut, duration_ms: Math.round(performance.now() - started), output });
    });
  });
}

export async function runPartnerCertification(options: PartnerRunOptions): Promise<PartnerRunResult> {
  const say = options.onEvent ?? (() => {});
  const sessions = sessionsFor(options);
  const session = await sessions.open({
    ...(options.pendingSeconds ? { pending_seconds: options.pendingSeconds } : {}),
    ...(options.ipAllowlist ? { ip_allowlist: options.ipAllowlist } : {}),
  });
  const { baseUrl } = sessions;
  const owner = session.owner_partner_id ? ` (for ${session.owner_partner_id})` : '';
  say(`session ${session.session_id}: partner ${session.partner_id}${owner}, running: ${options.command}`);
  const outcome = await runCommand(options.command, scriptEnvironment(session, baseUrl, options.webhookHost), options);
  say(
    outcome.timed_out
      ? `the command was stopped after ${(outcome.duration_ms / 1000).toFixed(1)} s (time limit)`
      : `the command exited ${outcome.exit_code ?? 'on a signal'} after ${(outcome.duration_ms / 1000).toFixed(1)} s; grading`,
  );
  const { output, ...run } = outcome;
  const report = await sessions.grade(session.session_id, run);
  return { session, report, input: reportInputOf(report), output };
}
