/**
 * The garbage collector (kubernetes pkg/controller/garbagecollector): deletes objects whose
 * owners are gone, and carries out the Orphan and Foreground propagation policies that the
 * api-server records as finalizers on a deleted owner.
 *
 * - The graph: an informer for every served resource that can be deleted, listed and watched
 *   (events excepted, as upstream ignores them), indexed by uid and by owner uid (./graph.ts).
 * - attemptToDelete(key) (upstream's attemptToDeleteItem): an object being deleted with the
 *   `foregroundDeletion` finalizer waits for its blocking dependents (ownerReferences with
 *   blockOwnerDeletion) and loses the finalizer once they are gone. Otherwise its owner
 *   references are classified: solid (the owner exists), dangling (it does not, or a different
 *   object of that name does) and waiting (the owner is being deleted in the foreground). An
 *   owner no cache holds is verified with a live GET before it counts as dangling, so a
 *   dependent seen before its owner's informer caught up is never deleted, and owners deleted
 *   (or never created) while the collector was down are found after a restart: every object
 *   with ownerReferences is checked once the caches have synced.
 *   Some solid owner: dangling and waiting references are removed, the object stays.
 *   No solid owner: the object is deleted (Foreground when an owner waits on it and it has
 *   dependents of its own, else as its own finalizers say, else Background).
 * - attemptToOrphan(key): an object being deleted with the `orphan` finalizer has the
 *   references to it removed from its dependents, then loses the finalizer.
 * Writes carry the cached resourceVersion or a uid precondition: a stale cache gives 409 and
 * the key comes back with backoff, never a wrong delete.
 */
import type { Clock, KindInfo, KubeObject, OwnerReference } from '@kubeling/api';
import { deepEqual, hasReason, realClock } from '@kubeling/api';
import type { Client, EventRecorder, SharedInformerFactory } from '@kubeling/client';
import { Controller, lastKnownState } from '@kubeling/client';
import type { ResourceDiscovery } from '../../discovery';
import type { ItemRef } from './graph';
import {
  FinalizerDeleteDependents,
  FinalizerOrphanDependents,
  Graph,
  hasFinalizer,
  indexers,
  isDeletingDependents,
  isOrphaning,
} from './graph';

/** Resources upstream's garbage collector never watches. */
const ignoredResources = new Set(['/events', 'events.k8s.io/events']);

export interface GarbageCollectorOptions {
  client: Client;
  factory: SharedInformerFactory;
  discovery: ResourceDiscovery;
  recorder: EventRecorder;
  workers?: number;
  clock?: Clock;
  onError?: (key: string, err: unknown) => void;
}

type Policy = 'Orphan' | 'Background' | 'Foreground';

export class GarbageCollector {
  private readonly opts: GarbageCollectorOptions;
  private readonly graph = new Graph();
  /** Owner uids verified absent by a live GET (upstream's absentOwnerCache, bounded). */
  private readonly absentOwners = new Set<string>();
  private attemptToDelete!: Controller;
  private attemptToOrphan!: Controller;

  constructor(opts: GarbageCollectorOptions) {
    this.opts = opts;
  }

  /** Discovers the resources, builds the graph's informers and runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { factory, workers = 20, onError } = this.opts;
    const clock = this.opts.clock ?? realClock;
    this.attemptToDelete = new Controller({
      name: 'garbagecollector-attempt-to-delete',
      workers,
      clock,
      reconcile: (key) => this.attemptToDeleteItem(key),
      ...(onError ? { onError } : {}),
    });
    this.attemptToOrphan = new Controller({
      name: 'garbagecollector-attempt-to-orphan',
      workers,
      clock,
      reconcile: (key) => this.orphanDependents(key),
      ...(onError ? { onError } : {}),
    });
    for (const info of await this.opts.discovery()) {
      if (ignoredResources.has(`${info.group}/${info.resource}`)) continue;
      const informer = factory.informerFor<KubeObject>(info, { indexers });
      this.graph.add(info, informer);
      this.attemptToDelete.watch(informer, this.deleteHandler(info));
      this.attemptToOrphan.watch(informer, {
        onAdd: (o) => this.enqueueOrphan(info, o),
        onUpdate: (_old, o) => this.enqueueOrphan(info, o),
      });
    }
    await Promise.all([this.attemptToDelete.run(signal), this.attemptToOrphan.run(signal)]);
  }

  /** Upstream's processGraphChanges, reduced to the keys each change makes worth a look. */
  private deleteHandler(info: KindInfo) {
    const enqueue = (key: string) => this.attemptToDelete.enqueueKey(key);
    const wakeForeground = (o: KubeObject) => {
      if (!isDeletingDependents(o)) return;
      enqueue(this.graph.keyOf(info, o));
      for (const d of this.graph.dependents(o.metadata.uid ?? '')) enqueue(d.key);
    };
    // Owners deleting in the foreground wait on their dependents: wake them when one changes.
    const wakeWaitingOwners = (refs: OwnerReference[] | undefined) => {
      for (const r of refs ?? []) {
        const owner = this.graph.byUid(r.uid);
        if (owner && isDeletingDependents(owner.obj)) enqueue(owner.key);
      }
    };
    return {
      onAdd: (o: KubeObject) => {
        if (o.metadata.ownerReferences?.length) enqueue(this.graph.keyOf(info, o));
        wakeForeground(o);
      },
      onUpdate: (old: KubeObject, o: KubeObject) => {
        wakeForeground(o);
        if (!deepEqual(old.metadata.ownerReferences ?? [], o.metadata.ownerReferences ?? [])) {
          enqueue(this.graph.keyOf(info, o));
          wakeWaitingOwners(old.metadata.ownerReferences);
        }
      },
      onDelete: (d: KubeObject | { obj: KubeObject }) => {
        const o = lastKnownState(d as KubeObject);
        // Its dependents may be dangling now; its owners may have been waiting for it.
        for (const dep of this.graph.dependents(o.metadata.uid ?? '')) enqueue(dep.key);
        wakeWaitingOwners(o.metadata.ownerReferences);
      },
    };
  }

  private enqueueOrphan(info: KindInfo, o: KubeObject): void {
    if (isOrphaning(o)) this.attemptToOrphan.enqueueKey(this.graph.keyOf(info, o));
  }

  private async attemptToDeleteItem(key: string): Promise<void> {
    const ref = this.graph.parse(key);
    const item = ref && this.graph.get(ref);
    if (!ref || !item) return;
    if (isDeletingDependents(item)) return this.processDeletingDependents(ref, item);
    // Being deleted for another reason: its deletion will finish without us.
    if (item.metadata.deletionTimestamp) return;
    const owners = item.metadata.ownerReferences ?? [];
    if (owners.length === 0) return;

    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const owner of owners) {
      const state = await this.ownerState(item, owner);
      (state === 'solid' ? solid : state === 'dangling' ? dangling : waiting).push(owner);
    }

    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      // Owned by something that exists: only the references that point nowhere go.
      const gone = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.patchOwnerReferences(
        ref,
        item,
        owners.filter((r) => !gone.has(r.uid)),
      );
      return;
    }
    const dependents = this.graph.dependents(item.metadata.uid ?? '');
    let policy: Policy;
    if (waiting.length && dependents.length) {
      // An owner waits for this object, which has dependents of its own: delete it in the
      // foreground too. Dependents that are themselves deleting in the foreground stop
      // blocking it, so a cycle of foreground deletions cannot wait on itself.
      for (const d of dependents)
        if (isDeletingDependents(d.obj) && d.ref.blockOwnerDeletion) {
          const dRef = this.graph.parse(d.key);
          if (!dRef) continue;
          await this.patchOwnerReferences(
            dRef,
            d.obj,
            (d.obj.metadata.ownerReferences ?? []).map((r) =>
              r.uid === item.metadata.uid ? { ...r, blockOwnerDeletion: false } : r,
            ),
          );
        }
      policy = 'Foreground';
    } else if (hasFinalizer(item, FinalizerOrphanDependents)) policy = 'Orphan';
    else if (hasFinalizer(item, FinalizerDeleteDependents)) policy = 'Foreground';
    else policy = 'Background';
    await this.deleteObject(ref, item, policy);
  }

  /** solid: it exists; dangling: it does not (or another object has its name); waiting: deleting in the foreground. */
  private async ownerState(
    item: KubeObject,
    owner: OwnerReference,
  ): Promise<'solid' | 'dangling' | 'waiting'> {
    const cached = this.graph.byUid(owner.uid);
    if (cached) return isDeletingDependents(cached.obj) ? 'waiting' : 'solid';
    if (this.absentOwners.has(owner.uid)) return 'dangling';
    const info = this.opts.client.scheme.byKind(owner.apiVersion, owner.kind);
    // A kind the API does not serve: it cannot be verified either way, so it is tried again.
    if (!info) throw new Error(`unable to get REST mapping for ${owner.apiVersion}/${owner.kind}`);
    const namespace = info.namespaced ? item.metadata.namespace : undefined;
    if (info.namespaced && !namespace) {
      // A cluster-scoped object cannot have a namespaced owner (upstream's event).
      this.opts.recorder.eventf(
        item,
        'Warning',
        'OwnerRefInvalidNamespace',
        'ownerRef [%s/%s, namespace: %s, name: %s, uid: %s] does not exist in namespace %q',
        owner.apiVersion,
        owner.kind,
        '',
        owner.name,
        owner.uid,
        '',
      );
      return 'dangling';
    }
    try {
      const resource = this.opts.client.resource(info);
      const live = await (namespace ? resource.namespace(namespace) : resource).get(owner.name);
      if (live.metadata.uid === owner.uid) return isDeletingDependents(live) ? 'waiting' : 'solid';
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
    this.rememberAbsent(owner.uid);
    return 'dangling';
  }

  private rememberAbsent(uid: string): void {
    // Upstream keeps an LRU of 500; a Set dropping its oldest entry is the same bound.
    if (this.absentOwners.size >= 500) {
      const oldest = this.absentOwners.values().next().value;
      if (oldest !== undefined) this.absentOwners.delete(oldest);
    }
    this.absentOwners.add(uid);
  }

  /** Foreground deletion: wait for the blocking dependents, then drop the finalizer. */
  private async processDeletingDependents(ref: ItemRef, item: KubeObject): Promise<void> {
    const blocking = this.graph
      .dependents(item.metadata.uid ?? '')
      .filter((d) => d.ref.blockOwnerDeletion === true);
    if (blocking.length === 0) {
      await this.removeFinalizer(ref, item, FinalizerDeleteDependents);
      return;
    }
    // Those not yet being deleted are deleted; each delete event wakes this owner again.
    for (const d of blocking)
      if (!d.obj.metadata.deletionTimestamp || isDeletingDependents(d.obj))
        this.attemptToDelete.enqueueKey(d.key);
  }

  /** Orphan: the dependents lose their reference to the owner, then the owner its finalizer. */
  private async orphanDependents(key: string): Promise<void> {
    const ref = this.graph.parse(key);
    const owner = ref && this.graph.get(ref);
    if (!ref || !owner || !isOrphaning(owner)) return;
    const uid = owner.metadata.uid ?? '';
    for (const d of this.graph.dependents(uid)) {
      const dRef = this.graph.parse(d.key);
      if (!dRef) continue;
      await this.patchOwnerReferences(
        dRef,
        d.obj,
        (d.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid),
      );
    }
    await this.removeFinalizer(ref, owner, FinalizerOrphanDependents);
  }

  private client(ref: ItemRef) {
    const r = this.opts.client.resource(ref.info);
    return ref.namespace ? r.namespace(ref.namespace) : r;
  }

  private async deleteObject(ref: ItemRef, item: KubeObject, policy: Policy): Promise<void> {
    try {
      await this.client(ref).delete(ref.name, {
        propagationPolicy: policy,
        preconditions: { uid: item.metadata.uid ?? '' },
      });
    } catch (e) {
      // Gone already, or replaced by a new object of that name (the uid precondition).
      if (!hasReason(e, 'NotFound') && !hasReason(e, 'Conflict')) throw e;
    }
  }

  private async patchOwnerReferences(
    ref: ItemRef,
    item: KubeObject,
    ownerReferences: OwnerReference[],
  ): Promise<void> {
    try {
      await this.client(ref).patch(ref.name, 'merge', {
        metadata: {
          ownerReferences: ownerReferences.length ? ownerReferences : null,
          resourceVersion: item.metadata.resourceVersion,
          uid: item.metadata.uid,
        },
      });
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }

  private async removeFinalizer(ref: ItemRef, item: KubeObject, finalizer: string): Promise<void> {
    if (!hasFinalizer(item, finalizer)) return;
    const finalizers = (item.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await this.client(ref).patch(ref.name, 'merge', {
        metadata: {
          finalizers: finalizers.length ? finalizers : null,
          resourceVersion: item.metadata.resourceVersion,
          uid: item.metadata.uid,
        },
      });
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }
}
