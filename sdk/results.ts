/** openapi-fetch results as the SDK returns them: the data, or a thrown StarshipApiError. */
import { parseErrorEnvelope } from './errors.ts';
import { readPagination, type Page } from './pagination.ts';

export async function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): Promise<T> {
  const { data, error, response } = result;
  if (response.ok && error === undefined) return data as T;
  const text = typeof error === 'string' ? error : JSON.stringify(error ?? '');
  throw parseErrorEnvelope(response.status, text, response.headers);
}

export async function unwrapPage<T>(result: { data?: T[]; error?: unknown; response: Response }): Promise<Page<T>> {
  const items = await unwrap(result);
  return { items, pagination: readPagination(result.response.headers, items.length) };
}
