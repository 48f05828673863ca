/** Shared by the audit checks: one problem per offending exchange, reported together. */
import type { Exchange } from '../api-client.ts';
import { fail } from '../types.ts';

const SHOWN = 8;

/** The exchanges the audits judge: responses to requests the spec describes. */
export const audited = (exchanges: readonly Exchange[]) => exchanges.filter((exchange) => !exchange.offSpec);

export function listProblems(exchanges: readonly Exchange[], problem: (exchange: Exchange) => string | undefined, what: string): string {
  const found: string[] = [];
  for (const exchange of exchanges) {
    const text = problem(exchange);
    if (text) found.push(`${exchange.method} ${exchange.path} → ${exchange.status} [${exchange.checkId}]: ${text}`);
  }
  if (found.length > 0) {
    const more = found.length > SHOWN ? `\n… and ${found.length - SHOWN} more` : '';
    fail(`${found.length} of ${exchanges.length} ${what}:\n${found.slice(0, SHOWN).join('\n')}${more}`);
  }
  return `${exchanges.length} ${what} checked`;
}
