/** The list response every list operation returns: the page as a bare array plus the pagination headers. */
import type { ListResult } from '../engine.ts';

export interface PageRequest {
  page?: number;
  limit?: number;
}

/** The spec's defaults (page 1, limit 50), which the validator has normally filled in already. */
export function pageResponse<T>({ items, total }: ListResult<T>, { page = 1, limit = 50 }: PageRequest) {
  const totalPages = Math.ceil(total / limit);
  return {
    status: 200 as const,
    body: items,
    headers: {
      'X-Page': page,
      'X-Per-Page': limit,
      'X-Total-Count': total,
      'X-Total-Pages': totalPages,
      'X-Page-Size': items.length,
      'X-Has-More': page < totalPages,
    },
  };
}
