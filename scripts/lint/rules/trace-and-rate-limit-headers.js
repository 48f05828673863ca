/** @import { Oas3Rule } from '@redocly/openapi-core' */
import { headerNamesOf, pathOperations, responsesOf } from '../operations.js';
import { reportOnce } from '../report-once.js';

const DEFAULT_HEADERS = ['X-Trace-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];
const DEFAULT_RATE_LIMITED_HEADERS = ['Retry-After'];

/**
 * Every response declares `headers` (trace id and rate-limit state); a 429 also declares
 * `rateLimitedHeaders`. The sandbox control API is not rate limited and configures X-Trace-ID only.
 * @type {Oas3Rule}
 */
const TraceAndRateLimitHeaders = ({ headers = DEFAULT_HEADERS, rateLimitedHeaders = DEFAULT_RATE_LIMITED_HEADERS }) => {
  const report = reportOnce();
  return pathOperations(({ operation }, ctx) => {
    for (const resolved of responsesOf(ctx, operation)) {
      const declared = headerNamesOf(resolved.response);
      const wanted = /** @type {string[]} */ (resolved.code === '429' ? [...headers, ...rateLimitedHeaders] : headers);
      const missing = wanted.filter((h) => !declared.has(h.toLowerCase()));
      if (missing.length > 0) {
        report(ctx, resolved.location, `${resolved.code} response must declare headers: ${missing.join(', ')}.`);
      }
    }
  });
};

export default TraceAndRateLimitHeaders;
