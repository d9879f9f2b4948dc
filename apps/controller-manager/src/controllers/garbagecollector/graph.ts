/**
 * The garbage collector's dependency graph (upstream's GraphBuilder `uidToNode`), kept as two
 * indexes on the shared informers of every resource instead of a second copy of every object:
 * `uid` (an object by its uid) and `ownerUid` (the dependents that name an owner uid). An
 * owner that no informer holds is "virtual" in upstream's words: it may not exist, or the
 * caches may not have seen it yet, which is why attemptToDelete verifies it with a live GET.
 */
import type { KindInfo, KubeObject, OwnerReference } from '@kubeling/api';
import type { SharedInformer } from '@kubeling/client';

export const UidIndex = 'gc/uid';
export const OwnerUidIndex = 'gc/ownerUid';

export const indexers = {
  [UidIndex]: (o: KubeObject) => (o.metadata.uid ? [o.metadata.uid] : []),
  [OwnerUidIndex]: (o: KubeObject) => (o.metadata.ownerReferences ?? []).map((r) => r.uid),
};

/** One object's identity in the work queues: `group/resource/namespace/name`. */
export interface ItemRef {
  info: KindInfo;
  namespace: string;
  name: string;
}

export class Graph {
  /** Informers by `group/resource`. */
  readonly informers = new Map<string, { info: KindInfo; informer: SharedInformer<KubeObject> }>();

  add(info: KindInfo, informer: SharedInformer<KubeObject>): void {
    this.informers.set(`${info.group}/${info.resource}`, { info, informer });
  }

  keyOf(info: KindInfo, obj: KubeObject): string {
    return `${info.group}/${info.resource}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
  }

  parse(key: string): ItemRef | undefined {
    const [group, resource, namespace, name] = key.split('/');
    const entry = this.informers.get(`${group}/${resource}`);
    if (!entry || name === undefined) return undefined;
    return { info: entry.info, namespace: namespace ?? '', name };
  }

  get(ref: ItemRef): KubeObject | undefined {
    const entry = this.informers.get(`${ref.info.group}/${ref.info.resource}`);
    return entry?.informer.store.getObject(ref.namespace || undefined, ref.name);
  }

  /** The cached object with this uid, and the key it is queued under. */
  byUid(uid: string): { key: string; obj: KubeObject } | undefined {
    for (const { info, informer } of this.informers.values()) {
      const obj = informer.store.byIndex(UidIndex, uid)[0];
      if (obj) return { key: this.keyOf(info, obj), obj };
    }
    return undefined;
  }

  /** The keys (and objects) of everything naming `uid` among its ownerReferences. */
  dependents(uid: string): Array<{ key: string; obj: KubeObject; ref: OwnerReference }> {
    const out: Array<{ key: string; obj: KubeObject; ref: OwnerReference }> = [];
    for (const { info, informer } of this.informers.values())
      for (const obj of informer.store.byIndex(OwnerUidIndex, uid)) {
        const ref = obj.metadata.ownerReferences?.find((r) => r.uid === uid);
        if (ref) out.push({ key: this.keyOf(info, obj), obj, ref });
      }
    return out;
  }
}

export const hasFinalizer = (obj: KubeObject, f: string) =>
  obj.metadata.finalizers?.includes(f) ?? false;

export const FinalizerOrphanDependents = 'orphan';
export const FinalizerDeleteDependents = 'foregroundDeletion';

/** Being deleted and waiting for its dependents (foreground deletion). */
export const isDeletingDependents = (obj: KubeObject) =>
  !!obj.metadata.deletionTimestamp && hasFinalizer(obj, FinalizerDeleteDependents);

/** Being deleted and waiting for its dependents to be orphaned. */
export const isOrphaning = (obj: KubeObject) =>
  !!obj.metadata.deletionTimestamp && hasFinalizer(obj, FinalizerOrphanDependents);
