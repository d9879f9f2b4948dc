/**
 * Event handlers a controller registers on its informers. They only compute keys and enqueue
 * them (level-triggered: `reconcile(key)` reads the current state from the caches, whatever
 * the event was), in the shapes client-go and controller-runtime give:
 *
 * - `enqueueObject`: the object's own `namespace/name` (handler.EnqueueRequestForObject).
 * - `enqueueOwner`: the key of the object's controller, when that controller is of the owner
 *   kind (handler.EnqueueRequestForOwner with OnlyControllerOwner; the ReplicaSet controller's
 *   addPod/updatePod/deletePod). A dependent that changes wakes the owner that manages it.
 * - `filteringHandler`: another handler behind a predicate (cache.FilteringResourceEventHandler).
 */
import type { KindInfo, KubeObject, OwnerReference } from '@kubeling/api';
import type { DeletedFinalStateUnknown, EventHandler } from '../informer/listener';
import { lastKnownState } from '../informer/listener';
import { objectKey } from '../resources';
import { getControllerOf, refersToKind } from './controllerRef';

/** Enqueues `obj`'s own key on add, update and delete (tombstones included). */
export function enqueueObject<T extends KubeObject>(
  enqueue: (key: string) => void,
): EventHandler<T> {
  return {
    onAdd: (obj) => enqueue(objectKey(obj)),
    onUpdate: (_old, obj) => enqueue(objectKey(obj)),
    onDelete: (obj) => enqueue(objectKey(lastKnownState(obj))),
  };
}

export interface EnqueueOwnerOptions {
  /** The owner kind: only controller references to it (same group and kind) count. */
  ownerKind: Pick<KindInfo, 'group' | 'kind' | 'namespaced'>;
  enqueue: (key: string) => void;
  /**
   * The owner as cached (its informer's `store.getObject`). When given, a reference whose uid
   * differs from the cached owner's is ignored: it names an earlier owner of the same name that
   * was deleted and recreated (the ReplicaSet controller's resolveControllerRef does the same).
   */
  getOwner?: (namespace: string | undefined, name: string) => KubeObject | undefined;
}

/**
 * Enqueues the controller owner of the object that changed. On an update that changed the
 * controller reference (adopted, released, or moved to another owner) both the old and the new
 * owner are enqueued: the old one has lost a dependent, the new one gained it.
 */
export function enqueueOwner<T extends KubeObject>(opts: EnqueueOwnerOptions): EventHandler<T> {
  const keyOf = (obj: KubeObject, ref: OwnerReference | undefined): string | undefined => {
    if (!ref || !refersToKind(ref, opts.ownerKind)) return undefined;
    // An owner is in the dependent's namespace, or cluster-scoped (a Node owning a namespaced
    // object); a namespaced dependent cannot be owned across namespaces.
    const namespace = opts.ownerKind.namespaced ? obj.metadata.namespace : undefined;
    if (opts.ownerKind.namespaced && !namespace) return undefined;
    if (opts.getOwner) {
      const owner = opts.getOwner(namespace, ref.name);
      if (!owner || owner.metadata.uid !== ref.uid) return undefined;
    }
    return namespace ? `${namespace}/${ref.name}` : ref.name;
  };
  const enqueueFor = (obj: KubeObject) => {
    const key = keyOf(obj, getControllerOf(obj));
    if (key !== undefined) opts.enqueue(key);
  };
  return {
    onAdd: (obj) => enqueueFor(obj),
    onUpdate: (old, obj) => {
      const oldRef = getControllerOf(old);
      const newRef = getControllerOf(obj);
      const changed =
        oldRef?.uid !== newRef?.uid ||
        oldRef?.name !== newRef?.name ||
        oldRef?.kind !== newRef?.kind ||
        oldRef?.apiVersion !== newRef?.apiVersion;
      if (changed) {
        const oldKey = keyOf(old, oldRef);
        if (oldKey !== undefined) opts.enqueue(oldKey);
      }
      enqueueFor(obj);
    },
    onDelete: (obj) => enqueueFor(lastKnownState(obj)),
  };
}

/**
 * cache.FilteringResourceEventHandler: `handler` sees only objects that pass `filter`. An
 * update that moves an object into the filter reaches the handler as an add, one that moves it
 * out as a delete (with the old state), so the handler's view stays consistent: it never gets
 * an update or delete for an object it was not told was added. A delete is filtered on the
 * object's last known state (a tombstone's object), and passed on as it came.
 */
export function filteringHandler<T>(
  filter: (obj: T) => boolean,
  handler: EventHandler<T>,
): EventHandler<T> {
  return {
    onAdd: (obj, isInInitialList) =>
      filter(obj) ? handler.onAdd?.(obj, isInInitialList) : undefined,
    onUpdate: (old, obj) => {
      const before = filter(old);
      const after = filter(obj);
      if (before && after) return handler.onUpdate?.(old, obj);
      if (after) return handler.onAdd?.(obj, false);
      if (before) return handler.onDelete?.(old);
      return undefined;
    },
    onDelete: (obj: T | DeletedFinalStateUnknown<T>) =>
      filter(lastKnownState(obj)) ? handler.onDelete?.(obj) : undefined,
  };
}
