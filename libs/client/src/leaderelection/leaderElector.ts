/**
 * Leader election on a coordination.k8s.io/v1 Lease (client-go tools/leaderelection), so that
 * of several replicas of a component exactly one acts at a time and a standby takes over when
 * the leader dies.
 *
 * The rules copied from client-go:
 *
 * - Every `retryPeriod` (jittered: up to 1.2 × more while acquiring, wait.JitterUntil) a
 *   candidate reads the Lease. A Lease held by someone else is respected while the holder's
 *   record keeps changing: the candidate notes *when it saw* the record change (its own clock,
 *   never the holder's renewTime, so clock skew between machines does not matter) and takes
 *   over only when the record has not changed for the holder's leaseDurationSeconds.
 * - Writes carry the Lease's resourceVersion (optimistic concurrency): of two candidates
 *   racing for an expired Lease one gets 409 Conflict and stays a candidate.
 * - Taking over sets holderIdentity, acquireTime, renewTime, leaseDurationSeconds and
 *   increments leaseTransitions; renewing only moves renewTime.
 * - The leader renews every `retryPeriod`; when a renewal round has not succeeded within
 *   `renewDeadline` it stops leading (onStoppedLeading) — before its Lease can expire for the
 *   others, because renewDeadline < leaseDuration.
 * - On a clean stop the leader releases the Lease (ReleaseOnCancel): holderIdentity cleared and
 *   leaseDurationSeconds 1, so a standby takes over at its next retry instead of waiting out
 *   the lease duration.
 * - onStoppedLeading is called when run() ends, whether or not this candidate ever led
 *   (client-go defers it the same way); onNewLeader whenever the observed holder changes.
 *
 * Bound on takeover after a leader dies: leaseDuration after its last renewal was observed,
 * plus up to one jittered retry period (2.2 × retryPeriod) on each side.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Lease, LeaseSpec } from '@kubeling/api';
import type { Logger } from '@kubeling/runtime';
import { defaultLogger } from '@kubeling/runtime';
import { hasReason, leaseKind, rfc3339Micro } from '@kubeling/api';
import type { Client, ResourceClient } from '../client';
import type { TimerClock } from '../clock';
import { jitter, realTimerClock, sleep } from '../clock';

/** wait.JitterUntil's factor for the acquire loop (client-go JitterFactor). */
export const JitterFactor = 1.2;

export interface LeaderCallbacks {
  /** Leadership acquired; `signal` aborts when it is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** run() is ending: leadership lost, or stopped (also when this candidate never led). */
  onStoppedLeading?(): void;
  /** The observed holder changed (including to this candidate). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionOptions extends LeaderCallbacks {
  client: Client;
  leaseNamespace: string;
  leaseName: string;
  /** Unique per candidate; default `<hostname>_<uuid>` as upstream components use. */
  identity?: string;
  /** Default 15 s. */
  leaseDurationMs?: number;
  /** Default 10 s. */
  renewDeadlineMs?: number;
  /** Default 2 s. */
  retryPeriodMs?: number;
  /** Clear the Lease on stop so a standby takes over at once (default true). */
  releaseOnCancel?: boolean;
  clock?: TimerClock;
  /** Told of failed reads and writes of the Lease (they are retried). */
  onError?: (err: unknown) => void;
  /** Where errors go when there is no onError; default the process's logger. */
  logger?: Logger;
}

export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/** What the elector last saw in the Lease, and when (on its own clock). */
interface Observed {
  spec: LeaseSpec;
  resourceVersion: string | undefined;
  at: number;
}

export class LeaderElector {
  readonly identity: string;
  private readonly opts: LeaderElectionOptions;
  private readonly clock: TimerClock;
  private readonly leases: ResourceClient<Lease>;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: Observed | undefined;
  private reportedLeader = '';
  private leading = false;
  private readonly stopController = new AbortController();
  private running: Promise<void> | undefined;

  constructor(opts: LeaderElectionOptions) {
    this.opts = opts;
    this.identity = opts.identity ?? defaultIdentity();
    this.clock = opts.clock ?? realTimerClock;
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    // NewLeaderElector's checks: the leader must give up before others may take over.
    if (this.leaseDurationMs <= this.renewDeadlineMs)
      throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JitterFactor * this.retryPeriodMs)
      throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (this.retryPeriodMs < 1) throw new Error('retryPeriod must be greater than zero');
    if (!this.identity) throw new Error('Lock identity is empty');
    this.leases = opts.client.resource(leaseKind).namespace(opts.leaseNamespace);
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder this candidate last observed ('' when none). */
  getLeader(): string {
    return this.observed?.spec.holderIdentity ?? '';
  }

  /**
   * Campaigns, leads, and returns when leadership is lost or `stop()` (or `signal`) ends it.
   * Call once per elector; a component that lost leadership exits (and restarts clean).
   */
  run(signal?: AbortSignal): Promise<void> {
    if (this.running) return this.running;
    signal?.addEventListener('abort', () => this.stopController.abort(), { once: true });
    if (signal?.aborted) this.stopController.abort();
    this.running = this.campaign();
    return this.running;
  }

  /** Stops campaigning or leading; releases the Lease when leading. Resolves when run() has. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.running;
  }

  private get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  private async campaign(): Promise<void> {
    try {
      if (!(await this.acquire())) return;
      const lost = new AbortController();
      const onStop = () => lost.abort();
      this.stopController.signal.addEventListener('abort', onStop, { once: true });
      this.leading = true;
      // The leader's work runs beside the renew loop; its failures are its own to report.
      Promise.resolve()
        .then(() => this.opts.onStartedLeading(lost.signal))
        .catch((e: unknown) => this.report(e));
      await this.renew();
      this.leading = false;
      lost.abort();
      this.stopController.signal.removeEventListener('abort', onStop);
      if (this.stopped && this.opts.releaseOnCancel !== false) await this.release();
    } finally {
      this.leading = false;
      this.opts.onStoppedLeading?.();
    }
  }

  /** Retries until the Lease is ours (true) or the elector stops (false). */
  private async acquire(): Promise<boolean> {
    while (!this.stopped) {
      if (await this.tryAcquireOrRenew()) return true;
      await sleep(this.clock, jitter(this.retryPeriodMs, JitterFactor), this.stopController.signal);
    }
    return false;
  }

  /** Renewal rounds every retryPeriod; returns when a round misses renewDeadline, or on stop. */
  private async renew(): Promise<void> {
    while (!this.stopped) {
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let renewed = false;
      while (!this.stopped) {
        if (await this.tryAcquireOrRenew()) {
          renewed = true;
          break;
        }
        if (this.clock.now() + this.retryPeriodMs > deadline) break;
        await sleep(this.clock, this.retryPeriodMs, this.stopController.signal);
      }
      if (this.stopped) return;
      if (!renewed) {
        this.report(new Error(`failed to renew lease ${this.leaseRef()}: timed out`));
        return;
      }
      await sleep(this.clock, this.retryPeriodMs, this.stopController.signal);
    }
  }

  /** One attempt (client-go tryAcquireOrRenew): true when this candidate holds the Lease now. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const mine: LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.max(1, Math.round(this.leaseDurationMs / 1000)),
      acquireTime: rfc3339Micro(now),
      renewTime: rfc3339Micro(now),
      leaseTransitions: 0,
    };
    let lease: Lease;
    try {
      lease = await this.leases.get(this.opts.leaseName);
    } catch (e) {
      if (!hasReason(e, 'NotFound')) {
        this.report(e);
        return false;
      }
      try {
        const created = await this.leases.create({
          metadata: { name: this.opts.leaseName, namespace: this.opts.leaseNamespace },
          spec: mine,
        });
        this.observe(created, this.clock.now());
        return true;
      } catch (ce) {
        if (!hasReason(ce, 'AlreadyExists')) this.report(ce);
        return false;
      }
    }

    const spec = lease.spec ?? {};
    if (!this.observed || !sameRecord(this.observed.spec, spec)) this.observe(lease, now);
    const holder = spec.holderIdentity ?? '';
    const held = this.observed as Observed;
    // isLeaseValid: the duration the holder wrote (a released Lease says 1 s), from when we saw it.
    const validMs = (held.spec.leaseDurationSeconds ?? 0) * 1000 || this.leaseDurationMs;
    if (holder && holder !== this.identity && held.at + validMs > now) return false;

    // Ours to take or keep: keep acquireTime and the count when renewing, start anew otherwise.
    if (holder === this.identity) {
      mine.acquireTime = spec.acquireTime ?? mine.acquireTime;
      mine.leaseTransitions = spec.leaseTransitions ?? 0;
    } else {
      mine.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
    }
    try {
      const updated = await this.leases.update({
        ...lease,
        spec: { ...spec, ...mine },
      });
      this.observe(updated, this.clock.now());
      return true;
    } catch (e) {
      if (!hasReason(e, 'Conflict')) this.report(e);
      return false;
    }
  }

  /** ReleaseOnCancel: an empty holder and a 1 s lease, keeping the transition count. */
  private async release(): Promise<void> {
    try {
      const lease = await this.leases.get(this.opts.leaseName);
      if (lease.spec?.holderIdentity !== this.identity) return;
      const now = rfc3339Micro(this.clock.now());
      const spec: LeaseSpec = {
        ...lease.spec,
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: lease.spec.leaseTransitions ?? 0,
      };
      delete spec.holderIdentity;
      const updated = await this.leases.update({ ...lease, spec });
      this.observe(updated, this.clock.now());
    } catch (e) {
      this.report(e);
    }
  }

  private observe(lease: Lease, at: number): void {
    this.observed = {
      spec: { ...(lease.spec ?? {}) },
      resourceVersion: lease.metadata.resourceVersion,
      at,
    };
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      if (holder) this.opts.onNewLeader?.(holder);
    }
  }

  private leaseRef(): string {
    return `${this.opts.leaseNamespace}/${this.opts.leaseName}`;
  }

  private report(e: unknown): void {
    if (this.opts.onError) this.opts.onError(e);
    else
      (this.opts.logger ?? defaultLogger()).error('leader election', {
        lease: this.leaseRef(),
        err: e,
      });
  }
}

/** client-go compares the raw record: any field changing counts as the holder being alive. */
function sameRecord(a: LeaseSpec, b: LeaseSpec): boolean {
  return (
    (a.holderIdentity ?? '') === (b.holderIdentity ?? '') &&
    (a.leaseDurationSeconds ?? 0) === (b.leaseDurationSeconds ?? 0) &&
    (a.acquireTime ?? '') === (b.acquireTime ?? '') &&
    (a.renewTime ?? '') === (b.renewTime ?? '') &&
    (a.leaseTransitions ?? 0) === (b.leaseTransitions ?? 0)
  );
}
