/**
 * The api-server's watch cache (upstream's cacher): a StorageInterface that serves lists and
 * watches from memory, fed by one reader of the store's change log per resource. See cacher.ts
 * for the read semantics and watchCache.ts for the indexes and the no-gap rule.
 *
 *   const storage = new Cacher(store, { indexers: { '/pods': podIndexers } });
 *   await storage.list({ group: '', resource: 'pods' }, { indexFields: { 'spec.nodeName': 'n1' } });
 */
export { Cacher, cacherDefaults, tooLargeResourceVersion } from './cacher';
export type { CacherOptions, CacherMetrics } from './cacher';
export type { Indexers, WatchCacheObserver } from './watchCache';
