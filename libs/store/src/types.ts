/** The public shapes of the store: the storage interface, options, list pages, watch events. */
import type { Clock, GroupResource, KubeObject } from '@kubeling/api';
import type { Redis } from 'ioredis';

export interface StoreOptions {
  /** Used when `redis` is not given; default `$REDIS_URL`, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** A connection to use instead of opening one; the caller keeps owning (and closing) it. */
  redis?: Redis;
  /** Every key of this cluster starts with it, e.g. `kubeling:<cluster>:`. */
  prefix: string;
  /** How many change-log entries compaction keeps (default 100,000). */
  logRetention?: number;
  /** How often to compact (default 60,000 ms; 0 turns the timer off). */
  compactIntervalMs?: number;
  /** Events a watcher may have waiting before it is closed as too slow (default 10,000). */
  watchQueueLimit?: number;
  /** Timers of compaction and of the change-log reader's retries (default realClock). */
  clock?: Clock;
}

export interface ListOptions {
  /** Only this namespace; undefined or '' lists every namespace. */
  namespace?: string;
  /** Applied after namespace scoping and before `limit` (label and field selectors). */
  filter?: (o: KubeObject) => boolean;
  /** Page size; undefined or <= 0 returns everything. */
  limit?: number;
  /** The token a previous page returned. */
  continue?: string;
  /**
   * Exact field values the filter requires (from `spec.nodeName=node-7`: `{'spec.nodeName':
   * 'node-7'}`). A store with an index on such a field reads only those objects; the filter
   * still decides, so a store without the index ignores this.
   */
  indexFields?: Record<string, string>;
  /**
   * The request's resourceVersion semantics (upstream's ListOptions): '' (or undefined) a
   * consistent read of the newest state; '0' any state; 'N' a state not older than N, or
   * exactly N with `resourceVersionMatch: 'Exact'`. The Redis store always reads the newest
   * state; the watch cache serves each from memory.
   */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface ListResult {
  /** Shared with the store's cache: never mutate, clone first. */
  items: KubeObject[];
  /**
   * The UTF-8 JSON of each item (`JSON.stringify(items[i])`), when the store keeps it (the watch
   * cache does), so a LIST body can be written without serializing unchanged objects again.
   */
  encodedItems?: Uint8Array[];
  resourceVersion: string;
  continue?: string;
  /** Set, as upstream does, only when there is a next page and no filter. */
  remainingItemCount?: number;
}

export interface UpdateOptions {
  /** Compare-and-swap: fail with Conflict unless the stored object has this resourceVersion.
   *  Defaults to obj.metadata.resourceVersion when that is set; '' means unconditional. */
  expectedResourceVersion?: string;
}

export interface DeleteOptions {
  expectedResourceVersion?: string;
  expectedUID?: string;
}

export interface GuaranteedUpdateOptions {
  /** How many Conflicts to absorb before giving up (default: no limit, as upstream). */
  maxRetries?: number;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as read from the change log. Objects are shared between watchers: clone before mutating. */
export interface StoreEvent {
  type: EventType;
  /** `group/resource`, see `resourceKey`. */
  resource: string;
  /** The new state; for DELETED the last state, stamped with the delete's resourceVersion. */
  object: KubeObject;
  /** The state before, for MODIFIED and DELETED (with its own resourceVersion). */
  prevObject?: KubeObject;
  resourceVersion: string;
}

export interface WatchOptions {
  /** `group/resource` keys to receive; undefined means every resource. */
  resources?: string[];
  /** Deliver every event with a greater resourceVersion, then live events. */
  fromResourceVersion: string;
  /**
   * Called once if the watch ends by itself (not by `stop()`): `err` is undefined when the store
   * closed, an Expired StatusError when the log moved past this watcher, or the error that ended it
   * (a throwing handler, a consumer too slow to keep up). The client then re-watches or relists.
   */
  onClose?: (err?: Error) => void;
  /**
   * Called, in order with the events, whenever the watch has seen the change log up to `rv`:
   * every event of its resources with a resourceVersion <= rv has been handled, even when none of
   * the changes up to rv was for them (etcd's progress notification). The watch cache uses it
   * to know how fresh it is.
   */
  onProgress?: (rv: string) => void;
  /** This watch's own `watchQueueLimit` (the watch cache's reader takes Infinity). */
  queueLimit?: number;
  /**
   * Only objects of this namespace, and only these exact field values (see
   * ListOptions.indexFields): a store that indexes its watchers offers such a watcher only the
   * changes that can concern it (judged on the new and the previous state). Others ignore them;
   * the consumer filters anyway.
   */
  namespace?: string;
  indexFields?: Record<string, string>;
  /**
   * Aborting stops the watch, also while it is still catching up from the log (before `watch()`
   * resolved, when the caller has no `Watch` to stop yet); `watch()` then rejects.
   */
  signal?: AbortSignal;
}

/** A handler may return a promise: the next event of *this* watcher waits for it, others do not. */
export type WatchHandler = (ev: StoreEvent) => void | Promise<void>;

export interface Watch {
  stop(): void;
  /**
   * The resourceVersion this watcher is complete up to: every change with an rv at or below it
   * that it should receive has been handled. What a BOOKMARK carries.
   */
  resourceVersion(): string;
}

/**
 * What the api-server's registries store objects through (upstream's storage.Interface): the
 * Redis `Store` implements it, and so does the api-server's watch cache, which keeps objects in
 * memory, serves lists and watches from there, and passes writes on to the Store.
 */
export interface StorageInterface {
  create(gr: GroupResource, obj: KubeObject): Promise<KubeObject>;
  /** Always the newest state (a read for a write must not be stale). */
  get(gr: GroupResource, namespace: string, name: string): Promise<KubeObject | undefined>;
  list(gr: GroupResource, opts?: ListOptions): Promise<ListResult>;
  update(gr: GroupResource, obj: KubeObject, opts?: UpdateOptions): Promise<KubeObject>;
  delete(
    gr: GroupResource,
    namespace: string,
    name: string,
    opts?: DeleteOptions,
  ): Promise<KubeObject>;
  guaranteedUpdate(
    gr: GroupResource,
    namespace: string,
    name: string,
    mutate: (cur: KubeObject) => KubeObject | Promise<KubeObject>,
    opts?: GuaranteedUpdateOptions,
  ): Promise<KubeObject>;
  /** The newest resourceVersion written (a consistent read waits until it has seen it). */
  currentResourceVersion(): Promise<string>;
  /** The highest resourceVersion no longer in the change log: a watch from before it gets 410. */
  compactedResourceVersion(): Promise<string>;
  watch(opts: WatchOptions, onEvent: WatchHandler): Promise<Watch>;
}
