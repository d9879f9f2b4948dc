/**
 * Resource addressing from the scheme: which group/version/resource a kind is served under and
 * whether it is namespaced, so callers name a kind (`podKind`) or a resource (`'deployments.apps'`)
 * and never build paths or subjects by hand.
 */
import type { KindInfo, KubeObject, Scheme } from '@kubeling/api';
import { apiVersionOf, scheme as defaultScheme } from '@kubeling/api';

export interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** A kind from the scheme, or a resource as kubectl writes it: `pods`, `deployments.apps`. */
export type ResourceName<T extends KubeObject = KubeObject> = KindInfo<T> | string;

export function resourceInfo(name: ResourceName, scheme: Scheme = defaultScheme): ResourceInfo {
  let info: KindInfo | undefined;
  if (typeof name === 'string') {
    const dot = name.indexOf('.');
    const resource = dot < 0 ? name : name.slice(0, dot);
    const group = dot < 0 ? '' : name.slice(dot + 1);
    info = scheme.byResource(group, resource);
    if (!info) throw new Error(`the scheme has no resource "${name}"`);
  } else {
    info = name as unknown as KindInfo;
  }
  return {
    group: info.group,
    version: info.version,
    resource: info.resource,
    kind: info.kind,
    namespaced: info.namespaced,
  };
}

export function apiVersionOfResource(r: ResourceInfo): string {
  return apiVersionOf(r);
}

/** `namespace/name` (or `name` for cluster-scoped objects): client-go's MetaNamespaceKeyFunc. */
export function objectKey(obj: { metadata: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

/** The inverse of objectKey: SplitMetaNamespaceKey. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
