/**
 * Every server check, in the order they run: cheap stateless probes first, then state-building groups,
 * webhooks (which may advance the sandbox clock) and the destructive RATE checks late, and the audits of
 * everything recorded last (the runner moves `audit` checks to the end). Ids are a stable interface:
 * reports, CI filters and the README's Prism table refer to them.
 */
import { AUTH_CHECKS } from './checks/auth.ts';
import { CAT_CHECKS } from './checks/cat.ts';
import { COMPAT_CHECKS } from './checks/compat.ts';
import { ENUM_CHECKS } from './checks/enum.ts';
import { ERR_CHECKS } from './checks/err.ts';
import { IDEM_CHECKS } from './checks/idem.ts';
import { ORD_CHECKS } from './checks/ord.ts';
import { PAGE_CHECKS } from './checks/page.ts';
import { RATE_CHECKS } from './checks/rate.ts';
import { SCHEMA_CHECKS } from './checks/schema.ts';
import { SIGN_CHECKS } from './checks/sign.ts';
import { WAL_CHECKS } from './checks/wal.ts';
import { WH_CHECKS } from './checks/wh.ts';
import type { Check } from './types.ts';

export const CHECKS: readonly Check[] = [
  ...AUTH_CHECKS,
  ...SIGN_CHECKS,
  ...ERR_CHECKS,
  ...PAGE_CHECKS,
  ...CAT_CHECKS,
  ...ENUM_CHECKS,
  ...IDEM_CHECKS,
  ...ORD_CHECKS,
  ...WAL_CHECKS,
  ...COMPAT_CHECKS,
  ...WH_CHECKS,
  ...RATE_CHECKS,
  ...SCHEMA_CHECKS,
];

/**
 * The checks `--only` selects: each entry a check id or a group, spelled exactly (ids are a stable,
 * UPPERCASE interface: `auth` is a typo, not AUTH). An unknown entry is a usage error naming what exists,
 * so a typo can never turn into a green run of zero checks.
 */
export function selectChecks(only: readonly string[] | undefined): readonly Check[] {
  if (!only || only.length === 0) return CHECKS;
  const groups = new Set<string>(CHECKS.map((check) => check.group));
  const ids = new Set<string>(CHECKS.map((check) => check.id));
  const unknown = only.filter((entry) => !groups.has(entry) && !ids.has(entry));
  if (unknown.length > 0) {
    const hint = (entry: string) => {
      const upper = entry.toUpperCase();
      return groups.has(upper) || ids.has(upper) ? ` (did you mean ${upper}?)` : '';
    };
    throw new UnknownCheckError(
      `--only: unknown check id or group ${unknown.map((entry) => `${JSON.stringify(entry)}${hint(entry)}`).join(', ')}. ` +
        `Groups: ${[...groups].join(', ')}. Check ids: ${[...ids].join(', ')}`,
    );
  }
  return CHECKS.filter((check) => only.includes(check.id) || only.includes(check.group));
}

export class UnknownCheckError extends Error {
  override name = 'UnknownCheckError';
}
