/**
 * The one token bucket of the client (client-go util/flowcontrol's tokenBucketRateLimiter, on
 * golang.org/x/time/rate): it holds up to `burst` tokens, starts full, and gains `qps` tokens
 * per second. Three users, three ways to spend a token:
 *
 * - `tryAccept()` takes a token if one is there (the event spam filter drops what it refuses);
 * - `reserve()` takes a token now even into debt and says how long until it is due (the work
 *   queue's BucketRateLimiter turns that into a requeue delay);
 * - `wait()` reserves and sleeps until the token is due (the Client's QPS/burst limit), giving
 *   the token back when the caller's deadline would pass first or its signal aborts — the
 *   deadline check is rate.Limiter.Wait's ("would exceed context deadline"), so a throttled
 *   request fails at once instead of sleeping past its own time limit.
 *
 * Time is the injected clock's; refills are computed from it on each call, so a FakeClock
 * drives the bucket without timers (only `wait` sleeps, on the clock's timers).
 */
import type { Clock, PassiveClock } from '@kubeling/api';
import { realClock, sleep, statusFailure } from '@kubeling/api';

export interface TokenBucketOptions {
  /** Tokens added per second; must be > 0. */
  qps: number;
  /** Bucket size: requests allowed at once after a quiet period; at least 1. */
  burst: number;
  /** A Clock (with timers) when `wait` is used with a fake clock; default the real clock. */
  clock?: PassiveClock;
}

export interface WaitOptions {
  /** Clock time (ms) the wait must not pass. */
  deadline?: number;
  signal?: AbortSignal;
}

export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  private readonly clock: PassiveClock;
  private tokens: number;
  private last: number;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.qps > 0)) throw new Error(`token bucket: qps must be > 0, got ${opts.qps}`);
    this.qps = opts.qps;
    this.burst = Math.max(1, opts.burst);
    this.clock = opts.clock ?? realClock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  /** Tokens available now (negative: reserved ahead). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes a token if one is available now. */
  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes a token, into debt if need be; returns the ms until it is due (0: now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  /** Gives back a reserved token that will not be used. */
  cancel(): void {
    this.refill();
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /**
   * Resolves when a token is due. Rejects — with the token given back — with a 504 Timeout when
   * the token would come after `deadline`, and with the signal's reason (a StatusError) or a
   * 504 when `signal` aborts first.
   */
  async wait(opts: WaitOptions = {}): Promise<void> {
    const { signal, deadline } = opts;
    if (signal?.aborted) throw cancelled(signal);
    const delay = this.reserve();
    if (delay === 0) return;
    if (deadline !== undefined && this.clock.now() + delay > deadline) {
      this.cancel();
      throw statusFailure(
        'Timeout',
        `client rate limiter Wait returned an error: rate: Wait(n=1) would exceed context deadline`,
      );
    }
    const timers: Clock = 'setTimer' in this.clock ? (this.clock as Clock) : realClock;
    await sleep(timers, delay, signal);
    if (signal?.aborted) {
      this.cancel();
      throw cancelled(signal);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
    }
  }
}

function cancelled(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : statusFailure('Timeout', 'the request was cancelled');
}
