/**
 * `starship logs [--follow]`: your partner-API request log with the sandbox's verdicts (testHelperListRequests),
 * oldest first, one line per request and, for a request something rejected, the check that failed and why
 * (for a signature, the canonical string the sandbox signed, to diff against yours) — as `stripe logs tail`.
 *
 * --follow polls for new entries. Entry ids are ULIDs of the moment each was recorded, and another sandbox
 * instance may record one a moment later than a newer one, so each poll asks again from a few seconds before
 * the newest entry seen and skips what it already printed.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { createStarshipTestHelpers } from '@starship/sdk';
import type { components } from '@starship/spec/sandbox';
import { decodeTime, encodeTime } from 'ulid';
import { requireCredentials, type CredentialOptions } from './partner-credentials.ts';

type Entry = components['schemas']['RequestLogEntry'];

export interface LogsOptions extends CredentialOptions {
  follow?: boolean;
  limit?: string;
  operation?: string;
  /** Poll interval of --follow (tests shorten it). */
  intervalMs?: number;
}

const OVERLAP_MS = 5_000;
const PAGE = 200;

/** One line per entry, plus the failed check when one failed. */
export function formatEntry(entry: Entry): string {
  const head = `${entry.at}  ${entry.method} ${entry.path}  → ${entry.status}${entry.error_code ? ` ${entry.error_code}` : ''}  ${entry.operation_id ?? '(no operation)'}  trace ${entry.trace_id}`;
  const failed = Object.entries(entry.verdicts).filter(([, verdict]) => verdict.result === 'FAIL');
  const details = failed.map(([check, verdict]) => {
    const reason = 'reason' in verdict && verdict.reason ? `: ${verdict.reason}` : '';
    const canonical = check === 'signature' && entry.verdicts.signature.canonical_string !== null ? `\n      canonical string the sandbox signed: ${entry.verdicts.signature.canonical_string}` : '';
    return `    ${check} FAIL${reason}${canonical}`;
  });
  return [head, ...details].join('\n');
}

/** The smallest request-log id recorded at or after `ms`. */
function idAt(ms: number): string {
  return `req_${encodeTime(Math.max(0, ms), 10)}${'0'.repeat(16)}`;
}

/** The time encoded in a request-log id (`req_` + ULID). */
function timeOf(id: string): number {
  return decodeTime(id.slice('req_'.length));
}

export async function logsCommand(options: LogsOptions, io: { signal?: AbortSignal } = {}): Promise<number> {
  const credentials = requireCredentials(options);
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new Error(`--limit must be a whole number from 1 to 500 (got ${options.limit})`);
  const helpers = createStarshipTestHelpers({ ...credentials, maxAttempts: 1 });
  const filter = options.operation ? { operation_id: options.operation } : {};

  const { items } = await helpers.requests.list({ limit, ...filter });
  for (const entry of items) console.log(formatEntry(entry));
  if (!options.follow) {
    if (items.length === 0) console.error('no requests yet');
    return 0;
  }

  const controller = new AbortController();
  const stop = () => controller.abort();
  io.signal?.addEventListener('abort', stop, { once: true });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const printed = new Set(items.map((e) => e.id));
  let newest = items.at(-1)?.id;
  try {
    while (!controller.signal.aborted) {
      await delay(options.intervalMs ?? 1_000, undefined, { signal: controller.signal }).catch(() => {});
      if (controller.signal.aborted) break;
      let after = newest === undefined ? undefined : idAt(timeOf(newest) - OVERLAP_MS);
      for (;;) {
        const page = await helpers.requests.list({ limit: PAGE, ...filter, ...(after ? { after } : {}) });
        for (const entry of page.items) {
          if (printed.has(entry.id)) continue;
          printed.add(entry.id);
          console.log(formatEntry(entry));
          if (newest === undefined || entry.id > newest) newest = entry.id;
        }
        if (!page.hasMore || page.items.length === 0) break;
        after = page.items.at(-1)!.id;
      }
      // What is older than the overlap is never asked for again.
      if (newest !== undefined) for (const id of printed) if (timeOf(id) < timeOf(newest) - 2 * OVERLAP_MS) printed.delete(id);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    io.signal?.removeEventListener('abort', stop);
  }
  return 0;
}
