/** page/limit as every list operation takes them (1-based page, limit 1–10000, defaults 1 and 50). */
import type { PageQuery } from '../engine.ts';
import { invalid } from './errors.ts';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 10_000;

export interface Page {
  limit: number;
  offset: number;
}

export function pageOf(query: PageQuery): Page {
  const page = query.page ?? 1;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const problems: string[] = [];
  if (!Number.isInteger(page) || page < 1) problems.push('page must be an integer >= 1');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) problems.push(`limit must be an integer between 1 and ${MAX_LIMIT}`);
  if (problems.length) throw invalid(...problems);
  // A page far past the end (page=1e308 is a valid integer) is as empty as the first page past it; an
  // offset beyond the safe integers would reach SQL as a float, which SQLite rejects (datatype mismatch).
  return { limit, offset: Math.min((page - 1) * limit, Number.MAX_SAFE_INTEGER) };
}
