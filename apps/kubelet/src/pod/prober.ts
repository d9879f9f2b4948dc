/**
 * One probe of one container (pkg/kubelet/prober/worker.go): after initialDelaySeconds, run the
 * probe every periodSeconds with timeoutSeconds; the result flips to failure after
 * failureThreshold consecutive failures and to success after successThreshold consecutive
 * successes (upstream's defaults: 10 s period, 1 s timeout, 3 failures, 1 success).
 * Initial results as upstream: readiness and startup start as failure, liveness as success.
 * Liveness and readiness wait for the startup probe to succeed (the worker is created then).
 */
import type { Clock, Probe } from '@kubeling/api';
import type { ActionResult } from '../runtime/runtime';

export type ProbeType = 'Readiness' | 'Liveness' | 'Startup';

export interface ProberOptions {
  type: ProbeType;
  probe: Probe;
  clock: Clock;
  run(probe: Probe, timeoutMs: number): Promise<ActionResult>;
  /** The result changed; `output` is the last failure's. */
  onResult(ok: boolean, output: string): void;
  /** Every failed attempt (upstream records an Unhealthy event for each). */
  onFailure?(output: string): void;
}

export class Prober {
  private result: boolean;
  private successes = 0;
  private failures = 0;
  private cancel: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly opts: ProberOptions) {
    this.result = opts.type === 'Liveness';
    const delay = (opts.probe.initialDelaySeconds ?? 0) * 1000;
    this.cancel = opts.clock.setTimer(() => void this.tick(), delay, { unref: true });
  }

  get ok(): boolean {
    return this.result;
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const p = this.opts.probe;
    const timeoutMs = (p.timeoutSeconds ?? 1) * 1000;
    let r: ActionResult;
    try {
      r = await this.opts.run(p, timeoutMs);
    } catch (e) {
      r = { ok: false, output: (e as Error).message };
    }
    if (this.stopped) return;
    if (r.ok) {
      this.failures = 0;
      this.successes++;
      if (!this.result && this.successes >= (p.successThreshold ?? 1)) {
        this.result = true;
        this.opts.onResult(true, '');
      }
    } else {
      this.successes = 0;
      this.failures++;
      this.opts.onFailure?.(r.output);
      if (this.failures >= (p.failureThreshold ?? 3)) {
        const changed = this.result || this.opts.type !== 'Readiness';
        this.result = false;
        // Liveness/startup: the container is restarted and its probers made anew.
        if (this.opts.type !== 'Readiness') this.failures = 0;
        if (changed) this.opts.onResult(false, r.output);
      }
    }
    if (this.stopped) return;
    const period = (p.periodSeconds ?? 10) * 1000;
    this.cancel = this.opts.clock.setTimer(() => void this.tick(), period, { unref: true });
  }
}
