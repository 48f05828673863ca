/**
 * Canonical JSON for signing (after RFC 8785, JCS): object keys sorted by UTF-16 code units, no whitespace,
 * strings and numbers as JSON.stringify writes them. The reports signed here hold only strings, integers,
 * booleans and null, where JSON.stringify's number form is JCS's, so the full number algorithm is not needed
 * (hand-written because no JCS library is a dependency; safe-stable-stringify only arrives transitively).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
}
