/** Shared by the audit checks: one problem per offending exchange, reported together. */
import type { Exchange } from '../api-client.ts';
import { fail } from '../types.ts';

const SHOWN = 8;

/** The exchanges the audits judge: responses to requests the spec describes. */
export const audited = (exchanges: readonly Exchange[]) => exchanges.filter((exchange) => !exchange.offSpec);

/** `method path → status [check]: problem` for each exchange with a problem. */
export function problemLines(exchanges: readonly Exchange[], problem: (exchange: Exchange) => string | undefined): string[] {
  return exchanges.flatMap((exchange) => {
    const text = problem(exchange);
    return text ? [`${exchange.method} ${exchange.path} → ${exchange.status} [${exchange.checkId}]: ${text}`] : [];
  });
}

/** `N of M <what>:` and the first lines. */
export function summarise(lines: readonly string[], total: number, what: string): string {
  const more = lines.length > SHOWN ? `\n… and ${lines.length - SHOWN} more` : '';
  return `${lines.length} of ${total} ${what}:\n${lines.slice(0, SHOWN).join('\n')}${more}`;
}

export function listProblems(exchanges: readonly Exchange[], problem: (exchange: Exchange) => string | undefined, what: string): string {
  const found = problemLines(exchanges, problem);
  if (found.length > 0) fail(summarise(found, exchanges.length, what));
  return `${exchanges.length} ${what} checked`;
}
