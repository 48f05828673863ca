/**
 * What counts as a delivered webhook (seeds, "Webhooks": the endpoint must return 2xx within 5 seconds): the
 * sandbox's dispatcher decides retries with it, and partner certification grades receivers by it.
 */
export const ATTEMPT_TIMEOUT_MS = 5_000;

/** A 2xx answered in time is the only success; `null` is no answer (timeout, refused connection). */
export function isDelivered(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode < 300;
}
