/** The seed's pagination headers (X-Page, X-Per-Page, …) read into one object. */
export interface Pagination {
  page: number;
  per_page: number;
  total_count: number;
  total_pages: number;
  page_size: number;
  has_more: boolean;
}

export interface Page<T> {
  items: T[];
  pagination: Pagination;
}

function integerHeader(headers: Headers, name: string, fallback: number): number {
  const value = Number.parseInt(headers.get(name) ?? '', 10);
  return Number.isFinite(value) ? value : fallback;
}

/** Tolerant: a missing or garbled header falls back to what the body itself shows. */
export function readPagination(headers: Headers, itemCount: number): Pagination {
  const page = integerHeader(headers, 'X-Page', 1);
  const perPage = integerHeader(headers, 'X-Per-Page', itemCount);
  const totalPages = integerHeader(headers, 'X-Total-Pages', page);
  const hasMore = headers.get('X-Has-More');
  return {
    page,
    per_page: perPage,
    total_count: integerHeader(headers, 'X-Total-Count', itemCount),
    total_pages: totalPages,
    page_size: integerHeader(headers, 'X-Page-Size', itemCount),
    has_more: hasMore === null ? page < totalPages : hasMore.toLowerCase() === 'true',
  };
}
