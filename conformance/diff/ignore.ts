import { parse } from 'yaml';
import { isObject } from '@starship/contract';
import type { Change } from './context.ts';
import { isRuleId, type RuleId } from './rules.ts';

/**
 * An accepted change: `location` is the change's JSON pointer exactly, or a pattern where `*` matches any
 * characters. Entries expire so an exception is revisited, never forgotten.
 */
export interface IgnoreEntry {
  rule: RuleId;
  location: string;
  reason: string;
  /** YYYY-MM-DD, the last day the entry applies. */
  expires: string;
  /** 1-based position in the file, for messages. */
  index: number;
}

export class IgnoreFileError extends Error {
  override name = 'IgnoreFileError';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string): boolean {
  return DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}

export function parseIgnoreFile(text: string, file: string): IgnoreEntry[] {
  const document: unknown = parse(text) ?? {};
  const list = isObject(document) ? document.ignore : undefined;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new IgnoreFileError(`${file}: \`ignore\` must be a list`);
  return list.map((raw, i) => {
    const where = `${file}: entry ${i + 1}`;
    if (!isObject(raw)) throw new IgnoreFileError(`${where} must be a mapping with rule, location, reason and expires`);
    const { rule, location, reason, expires } = raw;
    if (typeof rule !== 'string' || !isRuleId(rule)) throw new IgnoreFileError(`${where}: unknown rule ${JSON.stringify(rule)}`);
    if (typeof location !== 'string' || location === '') throw new IgnoreFileError(`${where}: location must be a JSON pointer (\`#/...\`, \`*\` matches anything)`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new IgnoreFileError(`${where}: a reason is required`);
    if (typeof expires !== 'string' || !validDate(expires)) throw new IgnoreFileError(`${where}: expires must be a date (YYYY-MM-DD)`);
    return { rule, location, reason: reason.trim(), expires, index: i + 1 };
  });
}

/** Entries past their date; `today` is YYYY-MM-DD (UTC). */
export function expiredEntries(entries: readonly IgnoreEntry[], today: string): IgnoreEntry[] {
  return entries.filter((entry) => entry.expires < today);
}

export function expiryMessage(file: string, expired: readonly IgnoreEntry[]): string {
  const list = expired.map((e) => `entry ${e.index} (${e.rule} at ${e.location}) expired on ${e.expires}`).join('; ');
  return `${file}: ${list}. Fix the change, or renew the entry with a current reason and a new expires date`;
}

function matcher(location: string): (candidate: string) => boolean {
  if (!location.includes('*')) return (candidate) => candidate === location;
  const pattern = new RegExp(`^${location.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (candidate) => pattern.test(candidate);
}

export interface Ignored<T extends Change> {
  change: T;
  entry: IgnoreEntry;
}

export function applyIgnores<T extends Change>(changes: readonly T[], entries: readonly IgnoreEntry[]): { kept: T[]; ignored: Array<Ignored<T>>; unused: IgnoreEntry[] } {
  const matchers = entries.map((entry) => ({ entry, matches: matcher(entry.location) }));
  const used = new Set<IgnoreEntry>();
  const kept: T[] = [];
  const ignored: Array<Ignored<T>> = [];
  for (const change of changes) {
    const hit = matchers.find(({ entry, matches }) => entry.rule === change.rule && matches(change.location));
    if (hit === undefined) kept.push(change);
    else {
      used.add(hit.entry);
      ignored.push({ change, entry: hit.entry });
    }
  }
  return { kept, ignored, unused: entries.filter((entry) => !used.has(entry)) };
}
