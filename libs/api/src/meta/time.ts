/**
 * Time as Kubernetes serializes it, and the one clock every part of kubeling takes (store
 * compaction, work-queue delays and backoff, informer resync, leases, grace periods), so
 * time-based behaviour is testable without sleeping: tests pass `FakeClock`
 * (`@kubeling/api/testing`) and move time themselves. k8s.io/utils/clock plays this part upstream
 * (PassiveClock tells the time, Clock also schedules).
 */

/** Cancels a scheduled callback; calling it after the callback ran, or twice, is harmless. */
export type CancelTimer = () => void;

export interface TimerOptions {
  /**
   * The timer alone does not keep the process alive (node's `unref`): for housekeeping such as
   * compaction, which must not hold a process open that has nothing else to do.
   */
  unref?: boolean;
}

/** Tells the time (upstream's clock.PassiveClock): what code that only reads the time takes. */
export interface PassiveClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Clock extends PassiveClock {
  /** Runs `fn` once, `ms` milliseconds from now (clamped to >= 0). */
  setTimer(fn: () => void, ms: number, opts?: TimerOptions): CancelTimer;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms, opts) {
    const t = setTimeout(fn, Math.max(0, ms));
    if (opts?.unref) t.unref();
    return () => clearTimeout(t);
  },
};

/**
 * Resolves after `ms` on `clock`, or at once (resolving, not rejecting) when `signal` aborts:
 * loops that sleep between attempts check their own stop flag after waking.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
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

/** metav1.Time: RFC 3339 with second precision, always UTC (`2024-05-01T10:00:00Z`). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime: RFC 3339 with microseconds (`2024-05-01T10:00:00.123000Z`), as Leases and events.k8s.io use. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Parses a metav1.Time or MicroTime; NaN when absent or malformed. */
export function parseTime(text: string | undefined): number {
  return text ? Date.parse(text) : NaN;
}
