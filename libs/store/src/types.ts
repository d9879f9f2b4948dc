/** The public shapes of the store: options, list pages, watch events. */
import type { Clock, KubeObject } from '@kubeling/api';
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
}

export interface ListResult {
  items: KubeObject[];
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
   * Aborting stops the watch, also while it is still catching up from the log (before `watch()`
   * resolved, when the caller has no `Watch` to stop yet); `watch()` then rejects.
   */
  signal?: AbortSignal;
}

/** A handler may return a promise: the next event of *this* watcher waits for it, others do not. */
export type WatchHandler = (ev: StoreEvent) => void | Promise<void>;

export interface Watch {
  stop(): void;
}
