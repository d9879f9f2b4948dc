/**
 * The scheduling queue (upstream's internal/queue PriorityQueue), three parts:
 * - activeQ: pods to try now, highest spec.priority first, then the earliest enqueued;
 * - backoffQ: pods that failed and wait out their backoff (1 s doubling per attempt, at most
 *   10 s), ordered by when it ends; flushed into activeQ every second;
 * - unschedulablePods: pods no node fitted. A cluster event that may make them fit (a node
 *   added or changed, a pod deleted) moves them back (to backoffQ if still backing off); and
 *   any pod left there longer than 5 minutes goes back anyway (checked every 30 s).
 * A pod whose attempt overlapped a move event goes to backoffQ, not unschedulablePods: the event
 * may have been the one it waited for (the moveRequestCycle rule).
 */
import type { CancelTimer, Clock, Pod } from '@kubeling/api';
import { realClock } from '@kubeling/api';
import { podKeyOf } from '../framework/nodeInfo';
import { KeyedHeap } from './heap';

export interface QueuedPodInfo {
  pod: Pod;
  key: string;
  /** When it entered activeQ last (its place among equal priorities). */
  timestamp: number;
  /** When it was first seen (creation-to-schedule latency). */
  initialAttemptTimestamp: number;
  attempts: number;
  /** Plugins that rejected it last time. */
  unschedulablePlugins: Set<string>;
}

export interface SchedulingQueueOptions {
  clock?: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** podMaxInUnschedulablePodsDuration; default 5 minutes. */
  maxInUnschedulableMs?: number;
}

export type QueueEvent =
  'NodeAdd' | 'NodeUpdate' | 'AssignedPodDelete' | 'AssignedPodAdd' | 'Flush';

const priorityOf = (p: Pod) => p.spec.priority ?? 0;

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>(
    (q) => q.key,
    (a, b) => {
      const pa = priorityOf(a.pod);
      const pb = priorityOf(b.pod);
      return pa !== pb ? pa > pb : a.timestamp < b.timestamp;
    },
  );
  private readonly backoffQ = new KeyedHeap<QueuedPodInfo>(
    (q) => q.key,
    (a, b) => this.backoffEnd(a) < this.backoffEnd(b),
  );
  private readonly unschedulable = new Map<string, { info: QueuedPodInfo; since: number }>();
  /** Pods popped and being scheduled. */
  private readonly inFlight = new Set<string>();
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private waiters: Array<() => void> = [];
  private closed = false;
  private timers: CancelTimer[] = [];

  constructor(opts: SchedulingQueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = opts.maxInUnschedulableMs ?? 5 * 60_000;
  }

  /** Starts the periodic flushes (backoffQ every 1 s, unschedulablePods every 30 s). */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.closed) return;
        fn();
        this.timers.push(this.clock.setTimer(tick, ms, { unref: true }));
      };
      this.timers.push(this.clock.setTimer(tick, ms, { unref: true }));
    };
    every(1000, () => this.flushBackoffQCompleted());
    every(30_000, () => this.flushUnschedulableLeftover());
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) t();
    this.wake();
  }

  /** A backoff of 1 s doubling per failed attempt, at most 10 s. */
  backoffDurationMs(info: QueuedPodInfo): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < info.attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  private backoffEnd(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDurationMs(info);
  }

  private isBackingOff(info: QueuedPodInfo): boolean {
    return info.attempts > 0 && this.backoffEnd(info) > this.clock.now();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private toActive(info: QueuedPodInfo): void {
    this.activeQ.push(info);
    this.wake();
  }

  /** A new unassigned pod. */
  add(pod: Pod): void {
    const now = this.clock.now();
    const key = podKeyOf(pod);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) {
      this.update(pod);
      return;
    }
    this.toActive({
      pod,
      key,
      timestamp: now,
      initialAttemptTimestamp: now,
      attempts: 0,
      unschedulablePlugins: new Set(),
    });
  }

  /** The pod changed: an unschedulable pod whose spec changed gets another try at once. */
  update(pod: Pod): void {
    const key = podKeyOf(pod);
    for (const q of [this.activeQ, this.backoffQ]) {
      const info = q.get(key);
      if (info) {
        info.pod = pod;
        q.push(info);
        return;
      }
    }
    const u = this.unschedulable.get(key);
    if (u) {
      const specChanged =
        JSON.stringify(u.info.pod.spec) !== JSON.stringify(pod.spec) ||
        JSON.stringify(u.info.pod.metadata.labels) !== JSON.stringify(pod.metadata.labels);
      u.info.pod = pod;
      if (specChanged) {
        this.unschedulable.delete(key);
        if (this.isBackingOff(u.info)) this.backoffQ.push(u.info);
        else this.toActive(u.info);
      }
      return;
    }
    if (!this.inFlight.has(key)) this.add(pod);
  }

  delete(pod: Pod): void {
    const key = podKeyOf(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key);
  }

  /** The next pod to schedule; waits until there is one (undefined once closed or aborted). */
  async pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    while (this.activeQ.size === 0) {
      if (this.closed || signal?.aborted) return undefined;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    const info = this.activeQ.pop()!;
    info.attempts++;
    this.schedulingCycle++;
    this.inFlight.add(info.key);
    return info;
  }

  /** The cycle number of the last pop (addUnschedulableIfNotPresent compares against it). */
  get cycle(): number {
    return this.schedulingCycle;
  }

  /** The attempt of `info` ended (bound, or given back to the queue). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * After a failed attempt that started at `cycle`: to backoffQ when a move event came since
   * (or the failure was an error, not "no node fits"), else to unschedulablePods.
   */
  addUnschedulableIfNotPresent(info: QueuedPodInfo, cycle: number, error = false): void {
    this.inFlight.delete(info.key);
    if (this.has(info.key)) return;
    info.timestamp = this.clock.now();
    if (error || this.moveRequestCycle >= cycle) this.backoffQ.push(info);
    else this.unschedulable.set(info.key, { info, since: this.clock.now() });
  }

  /** A cluster event that may make unschedulable pods fit: all of them get another try. */
  moveAllToActiveOrBackoffQueue(_event: QueueEvent): void {
    for (const [key, { info }] of this.unschedulable) {
      this.unschedulable.delete(key);
      if (this.isBackingOff(info)) this.backoffQ.push(info);
      else this.toActive(info);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const top = this.backoffQ.peek();
      if (!top || this.backoffEnd(top) > now) return;
      this.backoffQ.pop();
      this.toActive(top);
    }
  }

  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const [key, { info, since }] of this.unschedulable)
      if (now - since > this.maxInUnschedulableMs) {
        this.unschedulable.delete(key);
        if (this.isBackingOff(info)) this.backoffQ.push(info);
        else this.toActive(info);
      }
  }

  /** scheduler_pending_pods by queue. */
  pending(): { active: number; backoff: number; unschedulable: number } {
    return {
      active: this.activeQ.size,
      backoff: this.backoffQ.size,
      unschedulable: this.unschedulable.size,
    };
  }

  /** Pods nominated to a node (preemptors waiting for their victims to go). */
  nominatedPods(): QueuedPodInfo[] {
    const out: QueuedPodInfo[] = [];
    for (const q of [this.activeQ.values(), this.backoffQ.values()])
      for (const i of q) if (i.pod.status?.nominatedNodeName) out.push(i);
    for (const { info } of this.unschedulable.values())
      if (info.pod.status?.nominatedNodeName) out.push(info);
    return out;
  }
}
