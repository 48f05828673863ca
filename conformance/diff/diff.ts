import { type Json } from '@starship/contract';
import { DiffContext, type Change, type LocatedChange } from './context.ts';
import { SpecDocument } from './document.ts';
import { compareRateLimits, compareSigningSchemes } from './extensions.ts';
import { compareOperations } from './operations.ts';
import { compareSecuritySchemes } from './security.ts';
import { compareServers } from './servers.ts';
import { compareWebhooks } from './webhooks.ts';
import type { Severity } from './rules.ts';

export type { Change, LocatedChange } from './context.ts';

export type Summary = Record<Severity, number>;

/** DESIGN.md's diff report. */
export interface DiffReport {
  changes: Change[];
  summary: Summary;
}

const SECTIONS: Array<(ctx: DiffContext) => void> = [compareServers, compareSecuritySchemes, compareSigningSchemes, compareRateLimits, compareOperations, compareWebhooks];

/** Every change from `base` to `revision` (both bundled: internal `$ref`s only), most severe first. */
export function diffDocuments(base: Json, revision: Json): LocatedChange[] {
  const ctx = new DiffContext(new SpecDocument(base), new SpecDocument(revision));
  for (const section of SECTIONS) section(ctx);
  return ctx.changes();
}

export function summarize(changes: readonly Change[]): Summary {
  const summary: Summary = { breaking: 0, warning: 0, additive: 0 };
  for (const change of changes) summary[change.severity]++;
  return summary;
}

export function toReport(changes: readonly Change[]): DiffReport {
  return {
    changes: changes.map(({ rule, severity, location, message, clause }) => ({ rule, severity, location, message, clause })),
    summary: summarize(changes),
  };
}
