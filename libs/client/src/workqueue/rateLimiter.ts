/**
 * How long a failed item waits before it is retried (client-go util/workqueue's rate limiters).
 *
 * The default for controllers is client-go's DefaultControllerRateLimiter: the larger of a
 * per-item exponential backoff (5 ms, doubling on each failure of that item, capped at 1000 s;
 * `forget` resets it once the item succeeds) and an overall token bucket (10 per second, bursts
 * of 100) so that many failing items together cannot hammer the api-server.
 */
import type { Clock } from '@kubeling/api';
import { TokenBucket } from '../flowcontrol/tokenBucket';

export interface RateLimiter<T> {
  /** How long to wait before retrying `item` (and counts this failure). */
  when(item: T): number;
  /** The item succeeded: stop tracking it. */
  forget(item: T): void;
  /** Failures recorded for `item` since it was last forgotten. */
  numRequeues(item: T): number;
}

export interface ExponentialOptions {
  /** First delay (default 5 ms). */
  baseDelayMs?: number;
  /** Cap (default 1000 s). */
  maxDelayMs?: number;
}

/** ItemExponentialFailureRateLimiter: base × 2^failures, capped. */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  private readonly base: number;
  private readonly max: number;

  constructor(opts: ExponentialOptions = {}) {
    this.base = opts.baseDelayMs ?? 5;
    this.max = opts.maxDelayMs ?? 1_000_000;
  }

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    // 2^exp overflows to Infinity long after it passed the cap; Math.min handles both.
    return Math.min(this.base * 2 ** exp, this.max);
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

export interface BucketOptions {
  /** Tokens added per second (default 10). */
  qps?: number;
  /** Bucket size (default 100). */
  burst?: number;
  clock?: Clock;
}

/**
 * BucketRateLimiter: a token bucket shared by all items; `when` reserves a token and returns
 * how long until it is available (0 while the burst lasts).
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private readonly bucket: TokenBucket;

  constructor(opts: BucketOptions = {}) {
    this.bucket = new TokenBucket({
      qps: opts.qps ?? 10,
      burst: opts.burst ?? 100,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  }

  when(_item: T): number {
    return this.bucket.reserve();
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** MaxOfRateLimiter: the longest wait any of the limiters asks for. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

/** DefaultControllerRateLimiter: max(per-item 5 ms → 1000 s, overall 10 qps / burst 100). */
export function defaultControllerRateLimiter<T>(clock?: Clock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>({ baseDelayMs: 5, maxDelayMs: 1_000_000 }),
    new BucketRateLimiter<T>({ qps: 10, burst: 100, ...(clock ? { clock } : {}) }),
  );
}
