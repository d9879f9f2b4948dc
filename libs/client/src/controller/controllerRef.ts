/**
 * Controller references (apimachinery meta/v1 controller_ref.go): of an object's
 * ownerReferences at most one has `controller: true`; that owner is the object's controller,
 * the one that created it and keeps it, and the one to wake when the object changes.
 */
import type { KindInfo, KubeObject, OwnerReference } from '@kubeling/api';
import { apiVersionOf } from '@kubeling/api';

/** metav1.GetControllerOf: the owner reference with controller: true, if any. */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/**
 * metav1.NewControllerRef: the reference a controller puts on what it creates. blockOwnerDeletion
 * is true as upstream sets it, so a foreground deletion of the owner waits for its dependents.
 */
export function newControllerRef(
  owner: KubeObject,
  kind: Pick<KindInfo, 'group' | 'version' | 'kind'>,
): OwnerReference {
  return {
    apiVersion: apiVersionOf(kind),
    kind: kind.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * True when `ref` points at an object of `kind`. Group and kind are compared, not the version:
 * one object is served at every version of its group, so a reference written as apps/v1beta1
 * still names the same owner (controller-runtime's EnqueueRequestForOwner compares the same).
 */
export function refersToKind(
  ref: Pick<OwnerReference, 'apiVersion' | 'kind'>,
  kind: Pick<KindInfo, 'group' | 'kind'>,
): boolean {
  return ref.kind === kind.kind && groupOfApiVersion(ref.apiVersion) === kind.group;
}
