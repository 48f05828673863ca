/**
 * Fixed-window rate limiting per (API key, endpoint class) on the sandbox's virtual clock: a per-minute window
 * whose limit depends on the class, plus a burst window shared by every class (20 per 10 s by default). The
 * windows are aligned to the clock (a minute window runs from :00 to :60), which makes X-RateLimit-Reset
 * one well-defined instant and lets advanceClock move a client past it. Only admitted requests count.
 * State is in memory: a restart starts every window afresh. Instances sharing PostgreSQL count in the
 * database instead (SharedRateLimiter) with the same window arithmetic.
 */
import type { PartnerCredentials, RateWindows, SharedRateWindows } from '../engine.ts';
import { isObject, type OpenApiDocument } from '@starship/contract';

export interface RateLimits {
  windowSeconds: number;
  burst: { limit: number; windowSeconds: number };
  /** Requests per window by class, e.g. { PRODUCT_LIST: 100, DEFAULT: 120 }. */
  classes: Record<string, number>;
}

export type Overrides = PartnerCredentials['rateLimitOverrides'];

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds at which the per-minute window resets. */
  reset: number;
  /** Seconds until the exceeded window resets; set when not allowed. */
  retryAfter?: number;
}

type Bucket = RateWindows;

/** Reads the root `x-starship-rate-limits` extension. */
export function rateLimitsFromSpec(doc: OpenApiDocument): RateLimits {
  const ext = doc['x-starship-rate-limits'];
  if (!isObject(ext) || !isObject(ext.classes) || !isObject(ext.burst)) {
    throw new Error('the spec has no usable x-starship-rate-limits extension');
  }
  const classes: Record<string, number> = {};
  for (const [name, limit] of Object.entries(ext.classes)) classes[name] = Number(limit);
  return {
    windowSeconds: Number(ext.window_seconds),
    burst: { limit: Number(ext.burst.limit), windowSeconds: Number(ext.burst.window_seconds) },
    classes,
  };
}

const SWEEP_THRESHOLD = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(readonly limits: RateLimits) {}

  limitFor(cls: string, overrides?: Overrides): number {
    const override = (overrides as Record<string, number | undefined> | undefined)?.[cls.toLowerCase()];
    return override ?? this.limits.classes[cls] ?? this.limits.classes.DEFAULT ?? 60;
  }

  burstLimit(overrides?: Overrides): number {
    return overrides?.burst ?? this.limits.burst.limit;
  }

  private windowStart(now: number, length: number): number {
    return Math.floor(now / length) * length;
  }

  /** The bucket as of `now`, windows rolled over; not stored. */
  private current(key: string, now: number): Bucket {
    return this.rolled(this.buckets.get(key), now);
  }

  /** A stored bucket as of `now`: a window that has ended counts nothing. */
  rolled(stored: Bucket | undefined, now: number): Bucket {
    const windowStart = this.windowStart(now, this.limits.windowSeconds);
    const burstStart = this.windowStart(now, this.limits.burst.windowSeconds);
    return {
      windowStart,
      count: stored?.windowStart === windowStart ? stored.count : 0,
      burstStart,
      burstCount: stored?.burstStart === burstStart ? stored.burstCount : 0,
    };
  }

  /** What a request would see, without counting it (for responses rejected before the limiter ran). */
  peek(apiKey: string, cls: string, now: number, overrides?: Overrides): RateDecision {
    const bucket = this.current(`${apiKey}\0${cls}`, now);
    const limit = this.limitFor(cls, overrides);
    return { allowed: true, limit, remaining: Math.max(0, limit - bucket.count), reset: bucket.windowStart + this.limits.windowSeconds };
  }

  /** Whether a request at `now` fits in `bucket` (the counts before it); the rejection when it does not. */
  decide(bucket: Bucket, now: number, limit: number, burstLimit: number): RateDecision {
    const reset = bucket.windowStart + this.limits.windowSeconds;
    const burstReset = bucket.burstStart + this.limits.burst.windowSeconds;
    const overMinute = bucket.count >= limit;
    const overBurst = bucket.burstCount >= burstLimit;
    if (overMinute || overBurst) {
      const until = Math.max(overMinute ? reset : 0, overBurst ? burstReset : 0);
      return { allowed: false, limit, remaining: Math.max(0, limit - bucket.count), reset, retryAfter: Math.max(1, Math.ceil(until - now)) };
    }
    return { allowed: true, limit, remaining: limit - bucket.count - 1, reset };
  }

  /** Admits (and counts) or rejects one request at `now` (unix seconds). */
  hit(apiKey: string, cls: string, now: number, overrides?: Overrides): RateDecision {
    const key = `${apiKey}\0${cls}`;
    const bucket = this.current(key, now);
    const limit = this.limitFor(cls, overrides);
    const decision = this.decide(bucket, now, limit, this.burstLimit(overrides));
    if (!decision.allowed) return decision;
    bucket.count++;
    bucket.burstCount++;
    if (this.buckets.size >= SWEEP_THRESHOLD) this.sweep(now);
    this.buckets.set(key, bucket);
    return decision;
  }

  /** Records a bucket counted elsewhere (SharedRateLimiter), for peek(). */
  remember(key: string, bucket: Bucket): void {
    if (this.buckets.size >= SWEEP_THRESHOLD) this.sweep(bucket.windowStart);
    this.buckets.set(key, bucket);
  }

  private sweep(now: number): void {
    const windowStart = this.windowStart(now, this.limits.windowSeconds);
    for (const [key, bucket] of this.buckets) if (bucket.windowStart !== windowStart) this.buckets.delete(key);
  }
}

/**
 * The limiter of instances sharing PostgreSQL: every admitted request is counted in the database (one atomic
 * upsert, engine/rate-limit-windows.ts), so a partner's limit holds across instances. The arithmetic is the
 * in-memory limiter's. peek() (headers of a response rejected before counting) answers from the windows this
 * instance last saw, without a query: those headers are informative and such responses are not counted.
 */
export class SharedRateLimiter {
  readonly #local: RateLimiter;

  constructor(
    readonly limits: RateLimits,
    private readonly windows: SharedRateWindows,
  ) {
    this.#local = new RateLimiter(limits);
  }

  peek(apiKey: string, cls: string, now: number, overrides?: Overrides): RateDecision {
    return this.#local.peek(apiKey, cls, now, overrides);
  }

  async hit(apiKey: string, cls: string, now: number, overrides?: Overrides): Promise<RateDecision> {
    // PostgreSQL text cannot hold NUL; a class name never contains ':'.
    const key = `${cls}:${apiKey}`;
    const limit = this.#local.limitFor(cls, overrides);
    const burstLimit = this.#local.burstLimit(overrides);
    const bucket = this.#local.rolled(undefined, now);
    const { counted, windows } = await this.windows.hit(key, bucket.windowStart, bucket.burstStart, limit, burstLimit);
    const seen = this.#local.rolled(windows, now);
    this.#local.remember(`${apiKey}\0${cls}`, seen);
    if (counted) return { allowed: true, limit, remaining: Math.max(0, limit - seen.count), reset: seen.windowStart + this.limits.windowSeconds };
    return this.#local.decide(seen, now, limit, burstLimit);
  }
}
