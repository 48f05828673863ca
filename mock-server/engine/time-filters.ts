/** RFC 3339 query bounds (`from`, `to`, `since`) normalised to the stored timestamp form. */

/** The bound as `toISOString()` (comparable with stored timestamps), or undefined; bad input adds a problem. */
export function isoBound(value: string | undefined, name: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    problems.push(`${name} must be an RFC 3339 date-time`);
    return undefined;
  }
  return new Date(ms).toISOString();
}
