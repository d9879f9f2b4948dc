/**
 * The Redis key layout of one kubeling cluster. Everything sits under a caller-given prefix
 * (`kubeling:<cluster>:`) because several clusters and test runs share one Redis and must never
 * see each other's keys.
 */
import type { GroupResource } from '@kubeling/api';

export interface StoreKeys {
  /** The one global resourceVersion counter (like etcd's revision). */
  readonly rv: string;
  /** The change log stream; entry ids are `<rv>-1`. */
  readonly log: string;
  /** The highest resourceVersion no longer in the log. */
  readonly compacted: string;
  /**
   * The hash holding the objects of one resource in one namespace (`''` when cluster-scoped),
   * keyed by `namespace/name`. One hash per namespace, so a namespaced list reads only its own.
   */
  objects(resource: string, namespace: string): string;
  /** Every hash of a resource starts with this: `objects(r, ns) === objectsPrefix(r) + ns`. */
  objectsPrefix(resource: string): string;
  /** The set of namespaces holding objects of one resource (for lists across namespaces). */
  namespaces(resource: string): string;
}

export function storeKeys(prefix: string): StoreKeys {
  return {
    rv: `${prefix}rv`,
    log: `${prefix}log`,
    compacted: `${prefix}compacted`,
    objects: (resource, namespace) => `${prefix}obj:${resource}:${namespace}`,
    objectsPrefix: (resource) => `${prefix}obj:${resource}:`,
    namespaces: (resource) => `${prefix}ns:${resource}`,
  };
}

/**
 * `group/resource` — the name a resource goes by in the change log and in `watch({ resources })`:
 * `/pods` for the core group, `apps/deployments` otherwise.
 */
export function resourceKey(gr: GroupResource): string {
  return `${gr.group}/${gr.resource}`;
}

/** The hash field of one object: `namespace/name`, with an empty namespace when cluster-scoped. */
export function objectField(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Escapes glob characters so SCAN MATCH takes the prefix literally. */
export function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** The key prefix of a kubeling cluster: every key of cluster `name` starts with it. */
export function clusterPrefix(cluster: string): string {
  return `kubeling:${cluster}:`;
}
