/**
 * The clock every time-based part of the client takes (work queue delays and backoff, informer
 * resync, leader-election leases, event aggregation). libs/api's `Clock` only tells the time;
 * this one also schedules, so tests can drive time with `FakeClock` (testing/fakeClock.ts)
 * instead of sleeping — client-go's `clock.WithTicker` plays the same part.
 */
import type { Clock } from '@kubeling/api';

/** Cancels a scheduled callback; calling it after the callback ran, or twice, is harmless. */
export type CancelTimer = () => void;

export interface TimerClock extends Clock {
  /** Runs `fn` once, `ms` milliseconds from now (clamped to >= 0). */
  setTimer(fn: () => void, ms: number): CancelTimer;
}

export const realTimerClock: TimerClock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/**
 * Resolves after `ms` on `clock`, or at once (resolving, not rejecting) when `signal` aborts:
 * loops that sleep between attempts check their own stop flag after waking.
 */
export function sleep(clock: TimerClock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      cancel();
      resolve();
    };
    const cancel = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** wait.Jitter: `ms` plus a random extra of up to `factor` × `ms`. */
export function jitter(ms: number, factor: number): number {
  return factor > 0 ? ms + Math.random() * factor * ms : ms;
}
