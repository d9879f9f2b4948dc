/**
 * A shared informer (client-go tools/cache SharedIndexInformer): list then watch one resource,
 * keep a local indexed cache, and tell registered handlers what changed.
 *
 * Guarantees:
 *
 * - List then watch: the first list fills the cache; the watch starts from the list's
 *   resourceVersion, so no change between the two is lost. Lists are paged (`pageSize`,
 *   default 500); kubeling reports the first page's resourceVersion for every page (store.md),
 *   so the watch replays anything that changed while paging and nothing is missed.
 * - The cache only moves forward: an event whose object is not newer than the cached one
 *   (same or lower resourceVersion) is dropped. kubeling's resourceVersions are one global
 *   integer counter (store.md), which makes this comparison valid here; upstream treats them
 *   as opaque and relies on resuming exactly. Together with re-watching from the last
 *   resourceVersion processed, no handler is told twice about a resourceVersion it has seen.
 * - A watch that ends (server timeout, replica shutdown) or drops (connection lost, gap
 *   detected by the NATS transport) is resumed from the last resourceVersion processed; BOOKMARK
 *   events advance that resourceVersion without touching the cache. A watch that could not be
 *   started, or that ended with an ERROR other than 410, leads to a relist after a backoff
 *   (800 ms doubling to 30 s, with jitter, as client-go's reflector).
 * - 410 Gone/Expired (the resourceVersion was compacted away): relist at once. The relist
 *   replaces the cache and the handlers see the difference: add for new objects, update for
 *   changed ones (a different resourceVersion), and, for objects that are gone, a delete with a
 *   `DeletedFinalStateUnknown` tombstone carrying the last state this cache knew (the real
 *   final state was missed). Unchanged objects produce nothing (client-go sends Replaced
 *   updates for them; handlers still must tolerate old === new because of resync).
 * - Handlers: each gets its own ordered stream (see listener.ts). For one key a handler sees
 *   add, then updates, then delete — never an update or delete before the add. A handler
 *   added after start first gets an add for every cached object (isInInitialList = true).
 *   Deletes carry the object's last known state (the server's final state from the watch).
 * - Resync: every resync period (per handler, default the informer's; 0 = never) each handler
 *   gets update(obj, obj) for every cached object, so level-triggered controllers re-check
 *   state they may have failed to act on.
 * - Transform (`transform`, client-go's SetTransform): applied to every object, listed or
 *   watched, before it enters the cache and reaches handlers, so the cache holds only what the
 *   controllers read (`dropManagedFields`: managedFields are often the largest part of an
 *   object, and no controller reads them).
 * - hasSynced() is true once the first list is in the cache; a registration's hasSynced() once
 *   that handler has handled its initial adds. stop() ends the watch, timers and handlers.
 */
import type { Clock, KubeObject, Status } from '@kubeling/api';
import { hasReason, isStatusError, realClock, sleep } from '@kubeling/api';
import type { Client, ObjectList, ResourceClient } from '../client';
import type { Logger } from '@kubeling/runtime';
import { defaultLogger } from '@kubeling/runtime';
import type { BackoffOptions } from '../backoff';
import { Backoff } from '../backoff';
import type { ResourceName } from '../resources';
import { objectKey } from '../resources';
import type { WatchEvent, WatchStream } from '../transport/types';
import type { Indexers } from './indexer';
import { Indexer, indexByNamespace, NamespaceIndex } from './indexer';
import type {
  DeletedFinalStateUnknown,
  EventHandler,
  HandlerRegistration,
  Notification,
} from './listener';
import { Listener } from './listener';

export interface SharedInformerOptions<T extends KubeObject> {
  client: Client;
  resource: ResourceName<T>;
  /** Watch one namespace only; default all. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Default resync period of handlers, 0 for none (default). */
  resyncPeriodMs?: number;
  /** Indexes beyond the namespace index every informer has. */
  indexers?: Indexers<T>;
  clock?: Clock;
  /** List page size (default 500, client-go's pager default); 0 lists in one request. */
  pageSize?: number;
  /** Told of list/watch failures and handler exceptions; default: an error line on `logger`. */
  onError?: (err: unknown, phase: 'list' | 'watch' | 'handler') => void;
  /** Where failures are logged when there is no onError; default the process's logger. */
  logger?: Logger;
  backoff?: BackoffOptions;
  /**
   * Applied to each object before it is cached and handed to handlers (may change it in place:
   * objects come freshly decoded). Must keep metadata.name, namespace and resourceVersion.
   */
  transform?: (obj: T) => T;
  /**
   * Watches ask the server to end them after a random time between this and twice it
   * (client-go's reflector: 5 min), so reconnections spread out.
   */
  minWatchTimeoutSeconds?: number;
}

export interface AddHandlerOptions {
  /** Override the informer's resync period for this handler (0: no resync). */
  resyncPeriodMs?: number;
}

/** A resourceVersion as a number when it is one (always, for kubeling's). */
function rvNumber(rv: string | undefined): number | undefined {
  return rv !== undefined && /^\d+$/.test(rv) ? Number(rv) : undefined;
}

/** True when `obj` is not newer than `cached` (so the event was already applied). */
function notNewer(obj: KubeObject, cached: KubeObject): boolean {
  const a = rvNumber(obj.metadata.resourceVersion);
  const b = rvNumber(cached.metadata.resourceVersion);
  return a !== undefined && b !== undefined && a <= b;
}

function isExpired(e: unknown): boolean {
  return hasReason(e, 'Expired') || hasReason(e, 'Gone') || (isStatusError(e) && e.code === 410);
}

function defaultOnError(resource: string, logger: Logger | undefined) {
  return (err: unknown, phase: string) =>
    (logger ?? defaultLogger()).error(`informer ${phase} failed`, { resource, err });
}

export class SharedInformer<T extends KubeObject> {
  /** The local cache. Read-only for callers: clone before mutating. */
  readonly store: Indexer<T>;
  readonly resource: ResourceClient<T>;
  private readonly opts: SharedInformerOptions<T>;
  private readonly clock: Clock;
  private readonly listeners = new Set<Listener<T>>();
  private readonly onError: (err: unknown, phase: 'list' | 'watch' | 'handler') => void;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private synced = false;
  private syncWaiters: Array<(ok: boolean) => void> = [];
  private lastRV = '';
  private stream: WatchStream<T> | undefined;
  private readonly relistBackoff: Backoff;
  private readonly watchBackoff: Backoff;
  private readonly transform: (obj: T) => T;

  constructor(opts: SharedInformerOptions<T>) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.transform = opts.transform ?? ((o) => o);
    this.resource = opts.client.resource<T>(opts.resource).namespace(opts.namespace);
    this.store = new Indexer<T>({
      [NamespaceIndex]: indexByNamespace as (o: T) => string[],
      ...opts.indexers,
    });
    this.onError = opts.onError ?? defaultOnError(this.resource.info.resource, opts.logger);
    const backoff = { clock: this.clock, ...opts.backoff };
    this.relistBackoff = new Backoff(backoff);
    this.watchBackoff = new Backoff(backoff);
  }

  addIndexers(indexers: Indexers<T>): void {
    this.store.addIndexers(indexers);
  }

  /**
   * Registers a handler. Before the first list it will get that list's objects as initial
   * adds; after it, an add for every object cached right now.
   */
  addEventHandler(handler: EventHandler<T>, opts: AddHandlerOptions = {}): HandlerRegistration {
    const listener = new Listener<T>(
      handler,
      (e) => this.onError(e, 'handler'),
      (l) => this.listeners.delete(l),
      opts.resyncPeriodMs ?? this.opts.resyncPeriodMs ?? 0,
    );
    this.listeners.add(listener);
    if (this.synced) {
      for (const obj of this.store.list()) listener.push({ type: 'add', obj, initial: true });
      listener.push({ type: 'synced' });
      this.startResync(listener);
    }
    return listener;
  }

  /** Starts list + watch in the background; idempotent. */
  start(): void {
    if (this.running || this.abort.signal.aborted) return;
    this.running = this.run().catch((e: unknown) => this.onError(e, 'watch'));
  }

  /** Stops the watch, the resync timers and the handlers; resolves when the loop has exited. */
  async stop(): Promise<void> {
    if (!this.abort.signal.aborted) {
      this.abort.abort();
      this.stream?.stop();
      for (const l of this.listeners) l.stop();
      for (const w of this.syncWaiters.splice(0)) w(false);
    }
    await this.running;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, false if the informer is stopped or `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.abort.signal.aborted || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = () => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(done);
    });
  }

  /** The resourceVersion the cache is at (the last list, event or bookmark processed). */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      if (needList) {
        try {
          await this.listAndReplace();
          needList = false;
        } catch (e) {
          if (this.stopped) break;
          this.onError(e, 'list');
          await sleep(this.clock, this.relistBackoff.next(), this.abort.signal);
          continue;
        }
      }
      const outcome = await this.watchOnce();
      if (outcome === 'relist-now') needList = true;
      else if (outcome === 'relist-after-backoff') {
        needList = true;
        await sleep(this.clock, this.relistBackoff.next(), this.abort.signal);
      } else if (outcome === 'rewatch-after-backoff') {
        await sleep(this.clock, this.watchBackoff.next(), this.abort.signal);
      }
    }
  }

  /** One watch from lastRV, until it ends; says what to do next. */
  private async watchOnce(): Promise<
    'rewatch' | 'rewatch-after-backoff' | 'relist-now' | 'relist-after-backoff'
  > {
    const min = this.opts.minWatchTimeoutSeconds ?? 300;
    let stream: WatchStream<T>;
    try {
      stream = await this.resource.watch({
        resourceVersion: this.lastRV,
        allowWatchBookmarks: true,
        timeoutSeconds: Math.floor(min * (1 + Math.random())),
        ...(this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {}),
        ...(this.opts.fieldSelector ? { fieldSelector: this.opts.fieldSelector } : {}),
      });
    } catch (e) {
      if (this.stopped) return 'rewatch';
      if (isExpired(e)) return 'relist-now';
      this.onError(e, 'watch');
      return 'relist-after-backoff';
    }
    this.stream = stream;
    if (this.stopped) stream.stop();
    const started = this.clock.now();
    let events = 0;
    try {
      for await (const ev of stream) {
        if (this.stopped) break;
        if (ev.type === 'ERROR') {
          const status: Status = ev.object;
          if (status.code === 410) return 'relist-now';
          this.onError(new Error(status.message ?? `watch error ${status.code}`), 'watch');
          return 'relist-after-backoff';
        }
        events++;
        this.handleEvent(ev);
      }
    } catch (e) {
      if (this.stopped) return 'rewatch';
      this.onError(e, 'watch');
      return 'rewatch-after-backoff';
    } finally {
      stream.stop();
      this.stream = undefined;
    }
    // client-go's "very short watch": a watch that ends at once with nothing in it is a
    // failing server, not a timeout, and must not be retried in a tight loop.
    if (!this.stopped && events === 0 && this.clock.now() - started < 1000)
      return 'rewatch-after-backoff';
    return 'rewatch';
  }

  private async listAndReplace(): Promise<void> {
    const pageSize = this.opts.pageSize ?? 500;
    const sel = {
      ...(this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {}),
      ...(this.opts.fieldSelector ? { fieldSelector: this.opts.fieldSelector } : {}),
    };
    const items: T[] = [];
    let rv = '';
    let cont: string | undefined;
    try {
      do {
        const page: ObjectList<T> = await this.resource.list({
          ...sel,
          ...(pageSize > 0 ? { limit: pageSize } : {}),
          ...(cont ? { continue: cont } : {}),
        });
        if (!cont) rv = page.metadata.resourceVersion ?? '';
        items.push(...page.items.map((o) => this.transform(o)));
        cont = page.metadata.continue || undefined;
        if (this.stopped) return;
      } while (cont);
    } catch (e) {
      // The continue token expired while paging (client-go's pager then lists in one go).
      if (!cont || !isExpired(e)) throw e;
      const full = await this.resource.list(sel);
      items.length = 0;
      items.push(...full.items.map((o) => this.transform(o)));
      rv = full.metadata.resourceVersion ?? '';
    }
    if (this.stopped) return;
    this.replace(items, rv);
  }

  /** Replaces the cache with a list's content, telling handlers the difference. */
  private replace(items: T[], rv: string): void {
    const initial = !this.synced;
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store.get(key);
      if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) continue;
      this.store.set(obj);
      this.notify(old ? { type: 'update', old, obj } : { type: 'add', obj, initial });
    }
    for (const key of this.store.listKeys()) {
      if (seen.has(key)) continue;
      const old = this.store.deleteKey(key) as T;
      const tombstone: DeletedFinalStateUnknown<T> = {
        kind: 'DeletedFinalStateUnknown',
        key,
        obj: old,
      };
      this.notify({ type: 'delete', obj: tombstone });
    }
    this.lastRV = rv;
    this.relistBackoff.reset();
    if (initial) {
      this.synced = true;
      for (const l of this.listeners) {
        l.push({ type: 'synced' });
        this.startResync(l);
      }
      for (const w of this.syncWaiters.splice(0)) w(true);
    }
  }

  private handleEvent(ev: WatchEvent<T>): void {
    if (ev.type === 'ERROR') return;
    let obj = ev.object;
    const rv = obj.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (rv) this.lastRV = rv;
      return;
    }
    const key = objectKey(obj);
    const old = this.store.get(key);
    if (rv) this.lastRV = rv;
    if (old && notNewer(obj, old)) return;
    obj = this.transform(obj);
    if (ev.type === 'DELETED') {
      // Nothing to delete: the object was never seen here (it came and went while paging).
      if (!old) return;
      this.store.deleteKey(key);
      this.notify({ type: 'delete', obj });
      return;
    }
    this.store.set(obj);
    this.notify(old ? { type: 'update', old, obj } : { type: 'add', obj, initial: false });
  }

  private notify(n: Notification<T>): void {
    for (const l of this.listeners) l.push(n);
  }

  private startResync(l: Listener<T>): void {
    l.startResync(this.clock, () => {
      for (const obj of this.store.list()) l.push({ type: 'update', old: obj, obj });
    });
  }
}
