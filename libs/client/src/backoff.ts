/**
 * Exponential backoff with jitter and a reset after a quiet period (client-go
 * wait.NewExponentialBackoffManager, which the reflector uses with 800 ms → 30 s, factor 2,
 * jitter 1, reset after 2 min without failures).
 */
import type { Clock } from '@kubeling/api';
import { realClock } from '@kubeling/api';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Up to this fraction of the delay is added at random. */
  jitter?: number;
  /** A failure more than this long after the previous one starts again from initialMs. */
  resetAfterMs?: number;
  clock?: Clock;
}

export class Backoff {
  private readonly initial: number;
  private readonly max: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfter: number;
  private readonly clock: Clock;
  private current: number;
  private lastFailure = -Infinity;

  constructor(opts: BackoffOptions = {}) {
    this.initial = opts.initialMs ?? 800;
    this.max = opts.maxMs ?? 30_000;
    this.factor = opts.factor ?? 2;
    this.jitter = opts.jitter ?? 1;
    this.resetAfter = opts.resetAfterMs ?? 120_000;
    this.clock = opts.clock ?? realClock;
    this.current = this.initial;
  }

  /** The delay before the next attempt, after a failure now. */
  next(): number {
    const now = this.clock.now();
    if (now - this.lastFailure > this.resetAfter) this.current = this.initial;
    this.lastFailure = now;
    const d = this.current;
    this.current = Math.min(this.current * this.factor, this.max);
    return Math.min(d + Math.random() * this.jitter * d, this.max * (1 + this.jitter));
  }

  reset(): void {
    this.current = this.initial;
    this.lastFailure = -Infinity;
  }
}
