/**
 * When and how long to wait before retrying. Pure: the caller supplies the attempt number, the
 * Retry-After header, the random source and the clock, and does the waiting and the request itself.
 * Whether a request may be retried at all is the caller's call too: a POST is only safe to resend with
 * the same Idempotency-Key.
 */

/** Total attempts, the first one included. */
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_BASE_DELAY_MS = 250;
export const DEFAULT_MAX_DELAY_MS = 20_000;

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Rate limiting and transient server/gateway failures; any other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

const DELTA_SECONDS = /^[0-9]+$/;
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '[0-9]{2}:[0-9]{2}:[0-9]{2}';
// RFC 9110 §5.6.7: recipients must accept IMF-fixdate and the two obsolete forms. Matching them exactly
// keeps Date.parse from reading something like "1.5" as a calendar date.
const IMF_FIXDATE = new RegExp(`^${DAY}, [0-9]{2} ${MONTH} [0-9]{4} ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), [0-9]{2}-${MONTH}-[0-9]{2} ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} [ 0-9][0-9] ${TIME} [0-9]{4}$`);

/**
 * Retry-After (delta-seconds or HTTP-date) as milliseconds from `now`; 0 for a date in the past and
 * undefined when absent or unparseable, in which case the header is ignored.
 */
export function parseRetryAfterMs(header: string | null | undefined, now: Date = new Date()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (DELTA_SECONDS.test(value)) return Number(value) * 1000;
  let at = Number.NaN;
  if (IMF_FIXDATE.test(value) || RFC850_DATE.test(value)) at = Date.parse(value);
  // asctime carries no zone but is defined as UTC; without the suffix Date.parse would use local time.
  else if (ASCTIME_DATE.test(value)) at = Date.parse(`${value} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

export interface RetryDelayInput {
  /** 1 for the first retry (the wait after the first failed attempt), 2 for the second, … */
  attempt: number;
  retryAfterHeader?: string | null;
  baseMs?: number;
  capMs?: number;
  /** Uniform in [0, 1); defaults to Math.random. */
  random?: () => number;
  /** Reference time for an HTTP-date Retry-After; defaults to the current time. */
  now?: Date;
}

/**
 * Capped exponential backoff with full jitter: uniform in [0, min(capMs, baseMs * 2^(attempt-1))).
 * A Retry-After is a floor, not a suggestion: the result is never shorter than it, even beyond capMs,
 * so callers should compare the result against their own time budget before sleeping.
 */
export function retryDelayMs({
  attempt,
  retryAfterHeader,
  baseMs = DEFAULT_BASE_DELAY_MS,
  capMs = DEFAULT_MAX_DELAY_MS,
  random = Math.random,
  now,
}: RetryDelayInput): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer ≥ 1, got ${attempt}`);
  const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  const retryAfter = parseRetryAfterMs(retryAfterHeader, now);
  return retryAfter === undefined ? jittered : Math.max(retryAfter, jittered);
}
