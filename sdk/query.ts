/**
 * Query strings as the spec declares them: scalars as `key=value`, arrays repeated (`form`, exploded), and
 * object parameters such as `sort` JSON-encoded, because the spec gives them `content: application/json`
 * (the seed's `sort={"field":"id","direction":"DESC"}`).
 */
export function serializeQuery(query: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else if (typeof value === 'object') params.append(key, JSON.stringify(value));
    else params.append(key, String(value));
  }
  // URLSearchParams writes spaces as '+'; %20 is unambiguous for every server and for the signed path.
  return params.toString().replace(/\+/g, '%20');
}
