/**
 * The informer's local cache (client-go tools/cache ThreadSafeStore + Indexer): objects by
 * `namespace/name` key, plus secondary indexes kept current on every write, so a controller
 * asks "pods on node-7" or "pods controlled by this ReplicaSet" without scanning.
 *
 * An index function maps an object to the index values it is filed under (none, one or
 * several). Objects handed out are the cached ones: treat them as read-only and
 * `structuredClone` before mutating (client-go's rule for its caches).
 */
import type { KubeObject } from '@kubeling/api';
import { getControllerOf } from '../controller/controllerRef';
import { objectKey } from '../resources';

export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** client-go's cache.NamespaceIndex. */
export const NamespaceIndex = 'namespace';
/** Pods by the node they are bound to (the kubelet's and the scheduler's question). */
export const NodeNameIndex = 'spec.nodeName';
/** Objects by the uid of their controller owner (ownerReferences[].controller). */
export const ControllerUidIndex = 'controller';

export const indexByNamespace: IndexFunc<KubeObject> = (obj) =>
  obj.metadata.namespace ? [obj.metadata.namespace] : [];

export const indexByNodeName: IndexFunc<KubeObject> = (obj) => {
  const node = (obj.spec as { nodeName?: unknown } | undefined)?.nodeName;
  return typeof node === 'string' && node ? [node] : [];
};

export const indexByControllerUid: IndexFunc<KubeObject> = (obj) => {
  const ref = getControllerOf(obj);
  return ref ? [ref.uid] : [];
};

export class Indexer<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers: Indexers<T> = {};
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers(indexers);
  }

  /** Adds index functions, indexing what is already cached (client-go only allows this before start). */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers[name]) throw new Error(`indexer conflict: ${name}`);
      this.indexers[name] = fn;
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) this.file(index, fn(obj), key);
    }
  }

  keyOf(obj: T): string {
    return objectKey(obj);
  }

  /** Adds or replaces the object; returns the previous one under its key. */
  set(obj: T): T | undefined {
    const key = this.keyOf(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of Object.entries(this.indexers))
      this.file(this.indices.get(name)!, fn(obj), key);
    return old;
  }

  /** Removes the object under `key`; returns it. */
  deleteKey(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /** get by namespace and name. */
  getObject(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  size(): number {
    return this.items.size;
  }

  /** Objects filed under `value` in index `indexName`. */
  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k) as T);
  }

  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index with name ${indexName} does not exist`);
    return [...(index.get(value) ?? [])];
  }

  /** The values present in an index (client-go ListIndexFuncValues). */
  indexValues(indexName: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index with name ${indexName} does not exist`);
    return [...index.keys()];
  }

  private file(index: Map<string, Set<string>>, values: string[], key: string): void {
    for (const v of values) {
      let set = index.get(v);
      if (!set) index.set(v, (set = new Set()));
      set.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const set = index.get(v);
        if (!set) continue;
        set.delete(key);
        if (!set.size) index.delete(v);
      }
    }
  }
}
