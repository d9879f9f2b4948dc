/**
 * The ReplicaSet controller (kubernetes pkg/controller/replicaset): keeps `spec.replicas` active
 * pods matching each ReplicaSet's selector, and its status. The ReplicationController controller
 * is this same controller over a conversion (../replicationcontroller), as upstream's is.
 *
 * - Handlers only enqueue owner keys. A pod wakes its controller owner (and counts as an
 *   observed creation or deletion for the expectations); an orphan pod wakes every owner whose
 *   selector matches it, one of which will adopt it.
 * - `sync(key)` reads the caches: the owner gone (NotFound) forgets its expectations; else it
 *   claims pods (adopt matching orphans, release owned pods that stopped matching), and — only
 *   when the expectations are satisfied, so a burst never over-creates — creates or deletes the
 *   difference, at most `burstReplicas` (500) per sync, creates in slow-start batches
 *   (1, 2, 4 ...), deletes the pods ranked first by ./ranking.ts. Then it writes the status,
 *   and asks to come back when a ready pod is due to become available (minReadySeconds).
 */
import type { Clock, KindInfo, KubeObject, Pod, ReplicaSet, ReplicaSetStatus } from '@kubeling/api';
import {
  deepEqual,
  hasReason,
  isStatusError,
  labelSelectorAsSelector,
  podKind,
  realClock,
} from '@kubeling/api';
import type {
  Client,
  EventRecorder,
  ReconcileResult,
  SharedInformer,
  SharedInformerFactory,
} from '@kubeling/client';
import {
  Controller,
  dropManagedFields,
  getControllerOf,
  isPodActive,
  lastKnownState,
  NamespaceIndex,
  newControllerRef,
  objectKey,
  podKey,
  refersToKind,
  splitKey,
  UIDTrackingControllerExpectations,
} from '@kubeling/client';
import type { OwnerReference } from '@kubeling/api';
import { ControllerRefManager, recheckDeletionTimestamp } from '../../controllerRefManager';
import { PodControl } from '../../podControl';
import { instrumentSync } from '../../syncMetrics';
import type { Registry } from '@kubeling/runtime';
import { podsToDelete } from './ranking';
import { slowStartBatch, SlowStartInitialBatchSize } from './slowStart';
import { calculateStatus, nextAvailableIn, statusUnchanged } from './status';

/** BurstReplicas: the most pods one sync creates or deletes. */
export const BurstReplicas = 500;

/**
 * How the controller sees the kind it manages: a ReplicaSet as is, a ReplicationController
 * converted (its map selector as matchLabels), and the status written back in the kind's shape.
 */
export interface ReplicaSetAdapter<T extends KubeObject> {
  kind: KindInfo<T>;
  /** Name of the work queue and of logs: "replicaset", "replicationmanager". */
  queueName: string;
  toReplicaSet(obj: T): ReplicaSet;
  withStatus(obj: T, status: ReplicaSetStatus): T;
}

export const replicaSetAdapter = (kind: KindInfo<ReplicaSet>): ReplicaSetAdapter<ReplicaSet> => ({
  kind,
  queueName: 'replicaset',
  toReplicaSet: (rs) => rs,
  withStatus: (rs, status) => ({ ...rs, status }),
});

export interface ReplicaSetControllerOptions<T extends KubeObject> {
  client: Client;
  factory: SharedInformerFactory;
  recorder: EventRecorder;
  adapter: ReplicaSetAdapter<T>;
  clock?: Clock;
  workers?: number;
  burstReplicas?: number;
  /** Where workqueue_depth / workqueue_work_duration_seconds go (the process's registry). */
  metrics?: Registry;
  onError?: (key: string, err: unknown) => void;
}

export class ReplicaSetController<T extends KubeObject> {
  readonly controller: Controller;
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly opts: ReplicaSetControllerOptions<T>;
  private readonly clock: Clock;
  private readonly owners: SharedInformer<T>;
  private readonly pods: SharedInformer<Pod>;
  private readonly podControl: PodControl;
  private readonly burst: number;

  constructor(opts: ReplicaSetControllerOptions<T>) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.burst = opts.burstReplicas ?? BurstReplicas;
    const { factory, adapter } = opts;
    this.owners = factory.informerFor<T>(adapter.kind, { transform: dropManagedFields });
    this.pods = factory.informerFor<Pod>(podKind, { transform: dropManagedFields });
    this.expectations = new UIDTrackingControllerExpectations({ clock: this.clock });
    this.podControl = new PodControl(opts.client, opts.recorder);
    this.controller = new Controller({
      name: adapter.queueName,
      workers: opts.workers ?? 5,
      clock: this.clock,
      reconcile: instrumentSync(
        opts.metrics,
        adapter.queueName,
        () => this.controller.queue.len(),
        (key: string) => this.sync(key),
      ),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
    const enqueue = this.controller.enqueueKey;
    this.controller.watch(this.owners, {
      onAdd: (o) => enqueue(objectKey(o)),
      onUpdate: (_old, o) => enqueue(objectKey(o)),
      onDelete: (o) => {
        const key = objectKey(lastKnownState(o));
        this.expectations.deleteExpectations(key);
        enqueue(key);
      },
    });
    this.controller.watch(this.pods, {
      onAdd: (p) => this.addPod(p),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (p) => this.deletePod(lastKnownState(p)),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }

  private selectorOf(owner: T) {
    return labelSelectorAsSelector(this.opts.adapter.toReplicaSet(owner).spec.selector);
  }

  /** resolveControllerRef: the cached owner a controllerRef names, if it is of our kind and uid. */
  private resolve(namespace: string | undefined, ref: OwnerReference): T | undefined {
    if (!refersToKind(ref, this.opts.adapter.kind)) return undefined;
    const owner = this.owners.store.getObject(namespace, ref.name);
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  }

  /** getPodReplicaSets: owners in the pod's namespace whose (non-empty) selector matches it. */
  private ownersSelecting(pod: Pod): T[] {
    return this.owners.store.byIndex(NamespaceIndex, pod.metadata.namespace ?? '').filter((o) => {
      try {
        const sel = this.selectorOf(o);
        return !sel.empty() && sel.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private addPod(pod: Pod): void {
    // A pod already being deleted when first seen (after a restart) is no creation to observe.
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const owner = this.resolve(pod.metadata.namespace, ref);
      if (!owner) return;
      const key = objectKey(owner);
      this.expectations.creationObserved(key);
      this.controller.enqueueKey(key);
      return;
    }
    for (const o of this.ownersSelecting(pod)) this.controller.enqueueKey(objectKey(o));
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = !deepEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // A graceful delete: the pod no longer counts. Observed now, not when it finally goes,
      // so the replacement is created at once (the UID-tracking expectations count it once).
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid;
    if (refChanged && oldRef) {
      const o = this.resolve(old.metadata.namespace, oldRef);
      if (o) this.controller.enqueueKey(objectKey(o));
    }
    if (curRef) {
      const owner = this.resolve(cur.metadata.namespace, curRef);
      if (!owner) return;
      const key = objectKey(owner);
      this.controller.enqueueKey(key);
      return;
    }
    if (labelsChanged || refChanged)
      for (const o of this.ownersSelecting(cur)) this.controller.enqueueKey(objectKey(o));
  }

  private deletePod(pod: Pod): void {
    const ref = getControllerOf(pod);
    if (!ref) return;
    const owner = this.resolve(pod.metadata.namespace, ref);
    if (!owner) return;
    const key = objectKey(owner);
    this.expectations.deletionObservedOf(key, podKey(pod));
    this.controller.enqueueKey(key);
  }

  /** syncReplicaSet. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const owner = this.owners.store.getObject(namespace, name);
    if (!owner) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const rs = this.opts.adapter.toReplicaSet(owner);
    const needsSync = this.expectations.satisfied(key);
    let selector;
    try {
      selector = labelSelectorAsSelector(rs.spec.selector);
    } catch {
      // Validation refuses such selectors; nothing a retry would change.
      return;
    }
    const active = this.pods.store.byIndex(NamespaceIndex, namespace ?? '').filter(isPodActive);
    const pods = await new ControllerRefManager<Pod>({
      controller: owner,
      controllerKind: this.opts.adapter.kind,
      match: (p) => selector.matches(p.metadata.labels),
      client: this.opts.client.resource(podKind).namespace(namespace),
      canAdopt: recheckDeletionTimestamp(owner, () =>
        this.opts.client
          .resource(this.opts.adapter.kind)
          .namespace(namespace)
          .get(name ?? ''),
      ),
    }).claim(active);

    let manageError: unknown;
    if (needsSync && !owner.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, owner, rs, pods);
      } catch (e) {
        manageError = e ?? new Error('unknown error');
      }
    }
    const now = this.clock.now();
    const status = calculateStatus(rs, pods, manageError, now);
    if (!statusUnchanged(rs, status)) {
      status.observedGeneration = rs.metadata.generation ?? 0;
      await this.opts.client
        .resource(this.opts.adapter.kind)
        .namespace(namespace)
        .updateStatus(this.opts.adapter.withStatus(structuredClone(owner), status));
    }
    if (manageError !== undefined) throw manageError;
    // Pods that are ready but not yet available become available by time alone: come back then.
    const wait = nextAvailableIn(rs, pods, now);
    return wait === undefined ? undefined : { requeueAfter: wait };
  }

  /** manageReplicas: creates or deletes the difference between the pods and `replicas`. */
  private async manageReplicas(key: string, owner: T, rs: ReplicaSet, pods: Pod[]): Promise<void> {
    const replicas = rs.spec.replicas ?? 1;
    let diff = pods.length - replicas;
    if (diff < 0) {
      diff = Math.min(-diff, this.burst);
      // Expect them all before the first create: each add event lowers the count, and a sync
      // woken by one waits until all are seen.
      this.expectations.expectCreations(key, diff);
      const ref = newControllerRef(owner, this.opts.adapter.kind);
      const { successes, error } = await slowStartBatch(
        diff,
        SlowStartInitialBatchSize,
        async () => {
          try {
            await this.podControl.createPod(rs.spec.template, owner, ref);
          } catch (e) {
            // A namespace being deleted refuses creates: not this controller's failure.
            if (isNamespaceTerminating(e)) return;
            throw e;
          }
        },
      );
      // The creates never sent (after the failed batch) and the failed one will never be seen.
      for (let i = 0; i < diff - successes; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, this.burst);
      const victims = podsToDelete(pods, this.relatedPods(owner), diff, this.clock.now());
      this.expectations.expectDeletionsOf(key, victims.map(podKey));
      const results = await Promise.allSettled(
        victims.map(async (p) => {
          try {
            await this.podControl.deletePod(
              p.metadata.namespace ?? '',
              p.metadata.name ?? '',
              owner,
            );
          } catch (e) {
            // Never observed: lower the expectation now. NotFound is someone else's delete.
            this.expectations.deletionObservedOf(key, podKey(p));
            if (!hasReason(e, 'NotFound')) throw e;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /**
   * getIndirectlyRelatedPods: the pods of this owner and of its siblings (owners with the same
   * controller, e.g. the ReplicaSets of one Deployment), for the per-node rank.
   */
  private relatedPods(owner: T): Pod[] {
    const ns = owner.metadata.namespace ?? '';
    const parent = getControllerOf(owner);
    const family = new Set<string>([owner.metadata.uid ?? '']);
    if (parent)
      for (const o of this.owners.store.byIndex(NamespaceIndex, ns))
        if (getControllerOf(o)?.uid === parent.uid) family.add(o.metadata.uid ?? '');
    return this.pods.store
      .byIndex(NamespaceIndex, ns)
      .filter((p) => family.has(getControllerOf(p)?.uid ?? '') && isPodActive(p));
  }
}

/** apierrors.HasStatusCause(err, NamespaceTerminatingCause). */
function isNamespaceTerminating(e: unknown): boolean {
  return (
    isStatusError(e) &&
    (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')
  );
}
