/**
 * Leader election on a coordination.k8s.io/v1 Lease (client-go tools/leaderelection), so that
 * of several replicas of a component exactly one acts at a time and a standby takes over when
 * the leader dies.
 *
 * The rules copied from client-go:
 *
 * - Every `retryPeriod` (jittered: up to 1.2 × more while acquiring, wait.JitterUntil) a
 *   candidate reads the Lease. A Lease held by someone else is respected while the holder's
 *   record keeps changing: the candidate notes *when it received* a changed record (its own
 *   clock, never the holder's renewTime, so clock skew between machines does not matter) and
 *   takes over only when the record has not changed for the holder's leaseDurationSeconds.
 * - Writes carry the Lease's resourceVersion (optimistic concurrency): of two candidates
 *   racing for an expired Lease one gets 409 Conflict and stays a candidate.
 * - Taking over sets holderIdentity, acquireTime, renewTime, leaseDurationSeconds and
 *   increments leaseTransitions; renewing only moves renewTime.
 * - The leader renews every `retryPeriod` and stops leading (aborts the signal given to
 *   onStartedLeading, then onStoppedLeading) when `renewDeadline` passes without a successful
 *   renewal — on a timer, not when a hanging request returns: every read and write of the
 *   Lease carries the time left as its deadline.
 * - On a clean stop the leader releases the Lease (ReleaseOnCancel): holderIdentity cleared and
 *   leaseDurationSeconds 1, so a standby takes over at its next retry instead of waiting out
 *   the lease duration.
 * - onStoppedLeading is called when run() ends, whether or not this candidate ever led
 *   (client-go defers it the same way); onNewLeader whenever the observed holder changes.
 *
 * Why two candidates never act at once. Say A's last successful write of the Lease (the one
 * that took or renewed it) was sent at s, committed at c >= s, and its reply came at r >= c.
 * - A acts until s + renewDeadline at the latest, whatever happens to its requests after s: a
 *   timer aborts its signal then, and a reply that arrives later counts for nothing.
 * - B can only take over with a write carrying the resourceVersion of A's last record (any
 *   other gets 409), so B read that record, and noted the time o it received it: o >= c. B
 *   writes only in an attempt that starts after o + leaseDuration, so B acts from after
 *   c + leaseDuration >= s + leaseDuration.
 * - leaseDuration > renewDeadline (checked in the constructor), so between A's end and B's
 *   start lie at least leaseDuration - renewDeadline (5 s by default), which absorbs late timers
 *   and clocks running at slightly different rates.
 * client-go counts renewDeadline from the start of a renewal round (r + retryPeriod), and so
 * relies on leaseDuration - renewDeadline exceeding retryPeriod plus the reply's latency; its
 * request timeout (30 s by default here before) could outlive the Lease, and a standby could
 * then lead while the old leader still acted. Counting from s needs no bound on latency: after
 * a success the leader has renewDeadline - retryPeriod (8 s by default) of further attempts.
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
import type { CallOptions, Client, ResourceClient } from '../client';
import type { Clock } from '@kubeling/api';
import { jitter, realClock, sleep } from '@kubeling/api';

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
  clock?: Clock;
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
  private readonly clock: Clock;
  private readonly leases: ResourceClient<Lease>;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: Observed | undefined;
  private reportedLeader = '';
  private leading = false;
  /** While leading: the clock time after which this candidate must not act (s + renewDeadline). */
  private actUntil = 0;
  private readonly stopController = new AbortController();
  private running: Promise<void> | undefined;

  constructor(opts: LeaderElectionOptions) {
    this.opts = opts;
    this.identity = opts.identity ?? defaultIdentity();
    this.clock = opts.clock ?? realClock;
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
      const sent = await this.acquire();
      if (sent === undefined) return;
      const lost = new AbortController();
      const onStop = () => lost.abort();
      this.stopController.signal.addEventListener('abort', onStop, { once: true });
      // The deadline of acting, moved on by every successful renewal; when it passes the
      // leader stops at once, even while a renewal is still in flight (see the module comment).
      let cancelDeadline = () => {};
      const actUntil = (sentAt: number) => {
        cancelDeadline();
        this.actUntil = sentAt + this.renewDeadlineMs;
        cancelDeadline = this.clock.setTimer(() => {
          if (lost.signal.aborted) return;
          this.report(new Error(`failed to renew lease ${this.leaseRef()}: timed out`));
          lost.abort();
        }, this.actUntil - this.clock.now());
      };
      actUntil(sent);
      this.leading = true;
      // isLeader() turns false with the signal, not when the renew loop next wakes.
      lost.signal.addEventListener('abort', () => (this.leading = false), { once: true });
      // The leader's work runs beside the renew loop; its failures are its own to report.
      Promise.resolve()
        .then(() => this.opts.onStartedLeading(lost.signal))
        .catch((e: unknown) => this.report(e));
      await this.renew(lost.signal, actUntil);
      this.leading = false;
      cancelDeadline();
      lost.abort();
      this.stopController.signal.removeEventListener('abort', onStop);
      if (this.stopped && this.opts.releaseOnCancel !== false) await this.release();
    } finally {
      this.leading = false;
      this.opts.onStoppedLeading?.();
    }
  }

  /**
   * Retries until the Lease is ours — resolving with when the winning write was sent — or the
   * elector stops (undefined). An attempt that has not succeeded within renewDeadline of its
   * start is abandoned: a leadership won later would already be past its deadline.
   */
  private async acquire(): Promise<number | undefined> {
    while (!this.stopped) {
      const sent = await this.tryAcquireOrRenew(
        this.clock.now() + this.renewDeadlineMs,
        this.stopController.signal,
      );
      if (sent !== undefined) return sent;
      await sleep(this.clock, jitter(this.retryPeriodMs, JitterFactor), this.stopController.signal);
    }
    return undefined;
  }

  /**
   * Renews every retryPeriod, each attempt bounded by the acting deadline; returns when `lost`
   * aborts (the deadline passed, or stop).
   */
  private async renew(lost: AbortSignal, actUntil: (sentAt: number) => void): Promise<void> {
    while (!lost.aborted) {
      await sleep(this.clock, this.retryPeriodMs, lost);
      if (lost.aborted) return;
      const sent = await this.tryAcquireOrRenew(this.actUntil, lost);
      if (sent !== undefined && !lost.aborted) actUntil(sent);
    }
  }

  /** The CallOptions of a Lease request that must be done by `deadline` (clock time). */
  private call(deadline: number, signal: AbortSignal): CallOptions {
    return { timeoutMs: Math.max(1, deadline - this.clock.now()), signal };
  }

  /**
   * One attempt (client-go tryAcquireOrRenew), each request bounded by `deadline`: when this
   * candidate holds the Lease now, the time its successful write was sent; else undefined.
   */
  private async tryAcquireOrRenew(
    deadline: number,
    signal: AbortSignal,
  ): Promise<number | undefined> {
    const now = this.clock.now();
    if (now >= deadline || signal.aborted) return undefined;
    const mine: LeaseSpec = {
      holderIdentity: this.identity,
      // Rounded up: a standby must never wait less than this candidate's lease duration.
      leaseDurationSeconds: Math.max(1, Math.ceil(this.leaseDurationMs / 1000)),
      acquireTime: rfc3339Micro(now),
      renewTime: rfc3339Micro(now),
      leaseTransitions: 0,
    };
    let lease: Lease;
    try {
      lease = await this.leases.get(this.opts.leaseName, this.call(deadline, signal));
    } catch (e) {
      if (!hasReason(e, 'NotFound')) {
        if (!signal.aborted) this.report(e);
        return undefined;
      }
      try {
        const sent = this.clock.now();
        const created = await this.leases.create(
          {
            metadata: { name: this.opts.leaseName, namespace: this.opts.leaseNamespace },
            spec: mine,
          },
          this.call(deadline, signal),
        );
        this.observe(created, this.clock.now());
        return sent;
      } catch (ce) {
        if (!hasReason(ce, 'AlreadyExists') && !signal.aborted) this.report(ce);
        return undefined;
      }
    }

    const spec = lease.spec ?? {};
    // Noted when received (client-go's observedTime): never earlier than the write it shows.
    if (!this.observed || !sameRecord(this.observed.spec, spec))
      this.observe(lease, this.clock.now());
    const holder = spec.holderIdentity ?? '';
    const held = this.observed as Observed;
    // isLeaseValid: the duration the holder wrote (a released Lease says 1 s), from when we saw it.
    const validMs = (held.spec.leaseDurationSeconds ?? 0) * 1000 || this.leaseDurationMs;
    if (holder && holder !== this.identity && held.at + validMs > now) return undefined;

    // Ours to take or keep: keep acquireTime and the count when renewing, start anew otherwise.
    if (holder === this.identity) {
      mine.acquireTime = spec.acquireTime ?? mine.acquireTime;
      mine.leaseTransitions = spec.leaseTransitions ?? 0;
    } else {
      mine.leaseTransitions = (spec.leaseTransitions ?? 0) + 1;
    }
    try {
      const sent = this.clock.now();
      const updated = await this.leases.update(
        { ...lease, spec: { ...spec, ...mine } },
        this.call(deadline, signal),
      );
      this.observe(updated, this.clock.now());
      return sent;
    } catch (e) {
      if (!hasReason(e, 'Conflict') && !signal.aborted) this.report(e);
      return undefined;
    }
  }

  /** ReleaseOnCancel: an empty holder and a 1 s lease, keeping the transition count. */
  private async release(): Promise<void> {
    // Bounded like any Lease request; the stop signal has fired already, so none is passed.
    const call = { timeoutMs: this.renewDeadlineMs };
    try {
      const lease = await this.leases.get(this.opts.leaseName, call);
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
      const updated = await this.leases.update({ ...lease, spec }, call);
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
