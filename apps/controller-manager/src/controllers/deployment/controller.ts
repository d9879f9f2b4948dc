/**
 * The Deployment controller (kubernetes pkg/controller/deployment/deployment_controller.go):
 * rolls each Deployment's pods out through ReplicaSets named `<deployment>-<pod-template-hash>`.
 *
 * - Handlers only enqueue Deployment keys: a Deployment its own; a ReplicaSet its controller
 *   owner, or (an orphan) every Deployment whose selector matches it; a deleted pod of a
 *   Recreate Deployment its Deployment (Recreate waits for the last old pod to go).
 * - `sync(key)` (syncDeployment): NotFound is nothing to do (the ReplicaSets are the garbage
 *   collector's); an empty selector gets a SelectingAll warning; otherwise the ReplicaSets are
 *   claimed (adopted / released as for pods), then, in upstream's order: being deleted → status
 *   only; paused condition; paused → scale only; rollback annotation → rollback.ts; a scaling
 *   event → scale only (sync.ts); else the strategy: rolling.ts or recreate.ts, which write
 *   the status and the Progressing condition (progress.ts) and may ask to look again when the
 *   progress deadline passes.
 */
import type { Clock, Deployment, Pod, ReplicaSet } from '@kubeling/api';
import {
  deepEqual,
  deploymentKind,
  labelSelectorAsSelector,
  podKind,
  realClock,
  replicaSetKind,
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
  lastKnownState,
  NamespaceIndex,
  objectKey,
  refersToKind,
  splitKey,
} from '@kubeling/client';
import type { OwnerReference } from '@kubeling/api';
import { ControllerRefManager, recheckDeletionTimestamp } from '../../controllerRefManager';
import type { Registry } from '@kubeling/runtime';
import { instrumentSync } from '../../syncMetrics';
import type { DeploymentSyncContext } from './context';
import { deployments, updateDeploymentStatus } from './context';
import { rolloutRecreate } from './recreate';
import { getRollbackTo, rollback } from './rollback';
import { rolloutRolling } from './rolling';
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './sync';
import { RecreateStrategy } from './util/rollout';

export interface DeploymentControllerOptions {
  client: Client;
  factory: SharedInformerFactory;
  recorder: EventRecorder;
  clock?: Clock;
  workers?: number;
  /** Where workqueue_depth / workqueue_work_duration_seconds go (the process's registry). */
  metrics?: Registry;
  onError?: (key: string, err: unknown) => void;
}

export class DeploymentController {
  readonly controller: Controller;
  private readonly opts: DeploymentControllerOptions;
  private readonly dc: DeploymentSyncContext;
  private readonly deployments: SharedInformer<Deployment>;
  private readonly replicaSets: SharedInformer<ReplicaSet>;
  private readonly pods: SharedInformer<Pod>;

  constructor(opts: DeploymentControllerOptions) {
    this.opts = opts;
    const clock = opts.clock ?? realClock;
    const { factory } = opts;
    this.deployments = factory.informerFor<Deployment>(deploymentKind, {
      transform: dropManagedFields,
    });
    this.replicaSets = factory.informerFor<ReplicaSet>(replicaSetKind, {
      transform: dropManagedFields,
    });
    this.pods = factory.informerFor<Pod>(podKind, { transform: dropManagedFields });
    this.dc = {
      client: opts.client,
      recorder: opts.recorder,
      clock,
      getReplicaSet: (ns, name) => this.replicaSets.store.getObject(ns, name),
    };
    this.controller = new Controller({
      name: 'deployment',
      workers: opts.workers ?? 5,
      clock,
      reconcile: instrumentSync(
        opts.metrics,
        'deployment',
        () => this.controller.queue.len(),
        (key: string) => this.sync(key),
      ),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
    const enqueue = this.controller.enqueueKey;
    this.controller.watch(this.deployments, {
      onAdd: (d) => enqueue(objectKey(d)),
      onUpdate: (_old, d) => enqueue(objectKey(d)),
      onDelete: (d) => enqueue(objectKey(lastKnownState(d))),
    });
    this.controller.watch(this.replicaSets, {
      onAdd: (rs) => this.addReplicaSet(rs),
      onUpdate: (old, cur) => this.updateReplicaSet(old, cur),
      onDelete: (rs) => void this.enqueueOwnerOf(lastKnownState(rs)),
    });
    this.controller.watch(this.pods, {
      onDelete: (p) => this.deletePod(lastKnownState(p)),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }

  private resolve(namespace: string | undefined, ref: OwnerReference): Deployment | undefined {
    if (!refersToKind(ref, deploymentKind)) return undefined;
    const d = this.deployments.store.getObject(namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private enqueueOwnerOf(rs: ReplicaSet): boolean {
    const ref = getControllerOf(rs);
    if (!ref) return false;
    const d = this.resolve(rs.metadata.namespace, ref);
    if (d) this.controller.enqueueKey(objectKey(d));
    return true;
  }

  /** getDeploymentsForReplicaSet: Deployments whose selector matches an orphan ReplicaSet. */
  private enqueueSelecting(rs: ReplicaSet): void {
    for (const d of this.deployments.store.byIndex(NamespaceIndex, rs.metadata.namespace ?? '')) {
      try {
        const sel = labelSelectorAsSelector(d.spec.selector);
        if (!sel.empty() && sel.matches(rs.metadata.labels))
          this.controller.enqueueKey(objectKey(d));
      } catch {
        // An invalid selector selects nothing.
      }
    }
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) {
      this.enqueueOwnerOf(rs);
      return;
    }
    if (!this.enqueueOwnerOf(rs)) this.enqueueSelecting(rs);
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) this.enqueueOwnerOf(old);
    if (curRef) {
      this.enqueueOwnerOf(cur);
      return;
    }
    if (refChanged || !deepEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {}))
      this.enqueueSelecting(cur);
  }

  /** A Recreate Deployment waits for its last old pod to go: its deletion wakes it. */
  private deletePod(pod: Pod): void {
    const ref = getControllerOf(pod);
    if (!ref || !refersToKind(ref, replicaSetKind)) return;
    const rs = this.replicaSets.store.getObject(pod.metadata.namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const dRef = getControllerOf(rs);
    const d = dRef && this.resolve(rs.metadata.namespace, dRef);
    if (d && d.spec.strategy?.type === RecreateStrategy) this.controller.enqueueKey(objectKey(d));
  }

  /** syncDeployment. */
  async sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const cached = this.deployments.store.getObject(namespace, name);
    if (!cached) return;
    const d = structuredClone(cached);
    const ns = namespace ?? '';
    let selector;
    try {
      selector = labelSelectorAsSelector(d.spec.selector);
    } catch {
      return;
    }
    if (selector.empty()) {
      this.opts.recorder.event(
        d,
        'Warning',
        'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.',
      );
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        (d.status ??= {}).observedGeneration = d.metadata.generation ?? 0;
        await updateDeploymentStatus(this.dc, d);
      }
      return;
    }

    // getReplicaSetsForDeployment: adopt matching orphans, release those that stopped matching.
    const rsList = await new ControllerRefManager<ReplicaSet>({
      controller: d,
      controllerKind: deploymentKind,
      match: (rs) => selector.matches(rs.metadata.labels),
      client: this.opts.client.resource(replicaSetKind).namespace(ns),
      canAdopt: recheckDeletionTimestamp(d, () => deployments(this.dc, ns).get(name)),
    }).claim(this.replicaSets.store.byIndex(NamespaceIndex, ns));

    if (d.metadata.deletionTimestamp) return syncStatusOnly(this.dc, d, rsList);
    await checkPausedConditions(this.dc, d);
    if (d.spec.paused) return sync(this.dc, d, rsList);
    if (getRollbackTo(d) !== undefined) return rollback(this.dc, d, rsList);
    if (await isScalingEvent(this.dc, d, rsList)) return sync(this.dc, d, rsList);

    const after =
      d.spec.strategy?.type === RecreateStrategy
        ? await rolloutRecreate(this.dc, d, rsList, this.podsByReplicaSet(d, rsList, selector))
        : await rolloutRolling(this.dc, d, rsList);
    return after === undefined ? undefined : { requeueAfter: after };
  }

  /** getPodMapForDeployment: the Deployment's pods by the uid of the ReplicaSet that owns them. */
  private podsByReplicaSet(
    d: Deployment,
    rsList: ReplicaSet[],
    selector: { matches(l: Record<string, string> | undefined): boolean },
  ): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>();
    for (const rs of rsList) map.set(rs.metadata.uid ?? '', []);
    for (const pod of this.pods.store.byIndex(NamespaceIndex, d.metadata.namespace ?? '')) {
      if (!selector.matches(pod.metadata.labels)) continue;
      const ref = getControllerOf(pod);
      if (ref && map.has(ref.uid)) map.get(ref.uid)!.push(pod);
    }
    return map;
  }
}
