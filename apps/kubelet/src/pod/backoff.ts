/**
 * The kubelet's crash-loop back-off (pkg/kubelet/kuberuntime's backOff, flowcontrol.Backoff):
 * the first restart of a container is immediate; each later one waits 10 s, doubling up to
 * 5 min; a container that ran for 10 min before it exited starts again from the beginning
 * (upstream resets after 2 × the max back-off without a restart; we follow the documented
 * "after 10 minutes of running" rule). The same shape serves image pull back-off.
 */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;
export const BACKOFF_RESET_MS = 600_000;

export class CrashBackoff {
  /** The wait before the next restart; 0 until the first restart happened. */
  private nextMs = 0;

  constructor(
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
    private readonly resetMs = BACKOFF_RESET_MS,
  ) {}

  /** A container that ran `ranMs` exited: how long until it may start again. */
  onExit(ranMs: number): number {
    if (ranMs >= this.resetMs) this.nextMs = 0;
    return this.nextMs;
  }

  /** A restart happened: the next one waits longer. */
  onRestart(): void {
    this.nextMs = this.nextMs === 0 ? this.initialMs : Math.min(this.nextMs * 2, this.maxMs);
  }

  get currentMs(): number {
    return this.nextMs;
  }
}

/** `10s`, `1m20s`, `5m0s`: how Go prints a duration in the back-off message. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m${s % 60}s`;
}
