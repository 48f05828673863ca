/** RFC 3339 query bounds (`from`, `to`, `since`) normalised to the stored timestamp form. */
import { isDateTime } from '@starship/contract/formats';

/** The bound as `toISOString()` (comparable with stored timestamps), or undefined; bad input adds a problem. */
export function isoBound(value: string | undefined, name: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  const ms = isDateTime(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    problems.push(`${name} must be an RFC 3339 date-time`);
    return undefined;
  }
  return new Date(ms).toISOString();
}
