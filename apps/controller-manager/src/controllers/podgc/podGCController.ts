/**
 * The pod garbage collector (kubernetes pkg/controller/podgc/gc_controller.go). Every
 * gcCheckPeriod (20 s) one pass:
 * - gcTerminated: with more than --terminated-pod-gc-threshold finished pods (Succeeded or
 *   Failed), the oldest (by creationTimestamp) beyond the threshold are deleted; 0 disables it;
 * - gcTerminating: pods being deleted on a node that is not Ready and carries the
 *   `node.kubernetes.io/out-of-service` taint are marked Failed and force-deleted;
 * - gcOrphaned: pods bound to a node the cache does not have are checked again after a
 *   quarantine (40 s: the node informer may lag), then the node is read live; if it is really
 *   gone each pod gets the DisruptionTarget condition (DeletionByPodGC, "PodGC: node no longer
 *   exists"), phase Failed, and is force-deleted (grace period 0);
 * - gcUnscheduledTerminating: pods being deleted that were never scheduled are force-deleted.
 * Keys: `gc` for the pass, `node/<name>` for a quarantined node.
 */
import type { Clock, Node, Pod } from '@kubeling/api';
import { hasReason, nodeKind, podKind, realClock, rfc3339 } from '@kubeling/api';
import type { Client, ReconcileResult, SharedInformerFactory } from '@kubeling/client';
import { Controller, isPodTerminal } from '@kubeling/client';

export const TaintNodeOutOfService = 'node.kubernetes.io/out-of-service';
const PassKey = 'gc';
const NodeKeyPrefix = 'node/';

export interface PodGCOptions {
  client: Client;
  factory: SharedInformerFactory;
  /** --terminated-pod-gc-threshold; 0 or less: finished pods are never collected. */
  terminatedPodThreshold?: number;
  /** gcCheckPeriod: 20 s upstream. */
  gcCheckPeriodMs?: number;
  /** How long a node must be missing from the cache before it is checked live: 40 s upstream. */
  quarantineMs?: number;
  clock?: Clock;
  onError?: (key: string, err: unknown) => void;
}

export class PodGCController {
  private readonly opts: PodGCOptions;
  private readonly clock: Clock;
  private readonly controller: Controller;
  private readonly pods;
  private readonly nodes;
  /** Nodes already waiting out their quarantine. */
  private readonly quarantined = new Set<string>();

  constructor(opts: PodGCOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.pods = opts.factory.informerFor<Pod>(podKind);
    this.nodes = opts.factory.informerFor<Node>(nodeKind);
    this.controller = new Controller({
      name: 'pod-garbage-collector',
      workers: 1,
      clock: this.clock,
      reconcile: (key) =>
        key === PassKey ? this.gc() : this.checkNode(key.slice(NodeKeyPrefix.length)),
      waitFor: [this.pods, this.nodes],
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    // The pass runs once the caches synced (the queue starts then), and every period after.
    this.controller.enqueueKey(PassKey);
    return this.controller.run(signal);
  }

  private async gc(): Promise<ReconcileResult> {
    const pods = this.pods.store.list();
    const threshold = this.opts.terminatedPodThreshold ?? 12500;
    if (threshold > 0) await this.gcTerminated(pods, threshold);
    await this.gcTerminating(pods);
    this.gcOrphaned(pods);
    await this.gcUnscheduledTerminating(pods);
    return { requeueAfter: this.opts.gcCheckPeriodMs ?? 20_000 };
  }

  private async gcTerminated(pods: Pod[], threshold: number): Promise<void> {
    const terminated = pods.filter(isPodTerminal);
    const excess = terminated.length - threshold;
    if (excess <= 0) return;
    // Oldest first (byEvictionAndCreationTimestamp: evicted pods before others).
    const evicted = (p: Pod) => (p.status?.reason === 'Evicted' ? 0 : 1);
    terminated.sort(
      (a, b) =>
        evicted(a) - evicted(b) ||
        (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
    for (const p of terminated.slice(0, excess)) await this.deletePod(p, false);
  }

  private async gcTerminating(pods: Pod[]): Promise<void> {
    for (const p of pods) {
      if (!p.metadata.deletionTimestamp || !p.spec.nodeName) continue;
      const node = this.nodes.store.get(p.spec.nodeName);
      if (!node) continue;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      const outOfService = (node.spec?.taints ?? []).some(
        (t) => t.key === TaintNodeOutOfService && t.effect === 'NoExecute',
      );
      if (!ready && outOfService) await this.deletePod(p, true);
    }
  }

  /** Nodes the cache does not have are quarantined, then checked live (checkNode). */
  private gcOrphaned(pods: Pod[]): void {
    for (const p of pods) {
      const name = p.spec.nodeName;
      if (!name || this.nodes.store.get(name) || this.quarantined.has(name)) continue;
      this.quarantined.add(name);
      this.controller.enqueueKeyAfter(NodeKeyPrefix + name, this.opts.quarantineMs ?? 40_000);
    }
  }

  private async checkNode(name: string): Promise<void> {
    this.quarantined.delete(name);
    if (this.nodes.store.get(name)) return;
    try {
      await this.opts.client.resource(nodeKind).get(name);
      return; // it exists: the cache is behind
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
    for (const p of this.pods.store.list())
      if (p.spec.nodeName === name)
        await this.deletePod(p, true, {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'DeletionByPodGC',
          message: 'PodGC: node no longer exists',
        });
  }

  private async gcUnscheduledTerminating(pods: Pod[]): Promise<void> {
    for (const p of pods)
      if (p.metadata.deletionTimestamp && !p.spec.nodeName) await this.deletePod(p, true);
  }

  /**
   * markFailedAndDeletePod: a pod still running is first marked Failed (with `condition`),
   * so its controller counts it as gone; then it is deleted, with grace period 0 when forced.
   */
  private async deletePod(
    pod: Pod,
    force: boolean,
    condition?: { type: string; status: string; reason: string; message: string },
  ): Promise<void> {
    const pods = this.opts.client.resource(podKind).namespace(pod.metadata.namespace ?? '');
    const name = pod.metadata.name ?? '';
    try {
      if (force && !isPodTerminal(pod)) {
        const next = structuredClone(pod);
        const conditions = (next.status?.conditions ?? []).filter(
          (c) => c.type !== condition?.type,
        );
        if (condition)
          conditions.push({ ...condition, lastTransitionTime: rfc3339(this.clock.now()) });
        next.status = { ...next.status, phase: 'Failed', conditions };
        await pods.updateStatus(next);
      }
      await pods.delete(name, {
        ...(force ? { gracePeriodSeconds: 0 } : {}),
        preconditions: { uid: pod.metadata.uid ?? '' },
      });
    } catch (e) {
      if (!hasReason(e, 'NotFound') && !hasReason(e, 'Conflict')) throw e;
    }
  }
}
