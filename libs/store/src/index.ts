/**
 * @kubeling/store — the Redis storage layer, in etcd's role. Only the api-server uses it.
 *
 *   import { Store, resourceKey } from '@kubeling/store';
 *   const store = new Store({ prefix: 'kubeling:dev:' });            // REDIS_URL or localhost
 *   const cms = { group: '', resource: 'configmaps' };
 *   const cm = await store.create(cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' } });
 *   await store.guaranteedUpdate(cms, 'default', 'a', (cur) => ({ ...cur, data: { n: '1' } }));
 *   const w = await store.watch({ resources: [resourceKey(cms)], fromResourceVersion: cm.metadata.resourceVersion! },
 *     (ev) => console.log(ev.type, ev.object.metadata.name, ev.resourceVersion));
 *   w.stop(); await store.close();
 *
 * Data model (every key under the caller's prefix `<p>`, e.g. `kubeling:<cluster>:`; clusters and
 * test runs share one Redis and never see each other):
 *   <p>rv                     the ONE global resourceVersion counter (INCR), like etcd's revision;
 *                             resourceVersions are its decimal strings.
 *   <p>obj:<group>/<resource>:<namespace>
 *                             one hash per resource and namespace (`` for cluster-scoped); field
 *                             `<namespace>/<name>`; value `<rv>|<json>`, the JSON without
 *                             metadata.resourceVersion (readers put it back), so Lua stamps a new
 *                             rv without parsing JSON. A namespaced list reads one hash.
 *   <p>ns:<group>/<resource>  the set of namespaces holding objects of the resource, kept by the
 *                             create/delete scripts, for lists across namespaces.
 *   <p>log                    the change log, a Stream; one entry per write, id `<rv>-1`, fields
 *                             t (ADDED|MODIFIED|DELETED), r (group/resource), k (ns/name),
 *                             o (object JSON; for DELETED its last state), p and pv (previous JSON
 *                             and its rv, for MODIFIED and DELETED).
 *   <p>compacted              the highest rv no longer in the log (0 at first).
 *
 * Guarantees:
 *   - Every create/update/delete is ONE Lua script: preconditions, INCR rv, hash write, XADD. A
 *     write and its log entry are atomic and share one rv, so log ids are consecutive.
 *   - Watchers read the log, not in-process notifications: nothing committed is lost even if the
 *     api-server dies between commit and fan-out; several api-servers may share one Redis.
 *   - A watch from R gets every event with rv > R exactly once, in rv order, then live events;
 *     R older than `compacted` gets 410 Expired and the client relists.
 *   - Compaction keeps the newest `logRetention` entries, on a timer, idempotent across replicas.
 */
export { Store, deleteKeysWithPrefix } from './store';
export { Delivery } from './delivery';
export type { DeliveryOptions } from './delivery';
export { encodeContinue, decodeContinue } from './continueToken';
export type { ContinueToken } from './continueToken';
export { parseResourceVersion } from './codec';
export { resourceKey, clusterPrefix } from './keys';
export type {
  DeleteOptions,
  EventType,
  GuaranteedUpdateOptions,
  ListOptions,
  ListResult,
  StoreEvent,
  StorageInterface,
  StoreOptions,
  UpdateOptions,
  Watch,
  WatchHandler,
  WatchOptions,
} from './types';
