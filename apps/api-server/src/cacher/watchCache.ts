/**
 * The watch cache of one resource (upstream's watchCache + the cacher's dispatch): every object
 * in memory, each with its UTF-8 JSON once a list has needed it, a ring buffer of recent events, and
 * the watchers, all fed by ONE reader of the change log (the store's watch of this resource).
 *
 * Indexes: objects by namespace and by each indexed field (pods: spec.nodeName), so a list of
 * one node's pods reads only those; watchers by the same, so an event is offered only to
 * watchers that can want it — those of its namespace or of no namespace, and those indexed
 * under the field's value in the new OR the previous state (a pod bound to node-7 reaches
 * node-7's watcher although its previous state named no node).
 *
 * A joining watcher sees no gap and no duplicate: the reader applies each event synchronously —
 * objects, ring buffer, `rv`, then the offer to registered watchers — and `watch()` takes its
 * catch-up from the ring buffer and registers the watcher in one synchronous step, between two
 * events. Every event with an rv <= `rv` at that moment is in the buffer (from the watcher's
 * resourceVersion on, since the caller checked `covers`), and every later event is offered to
 * it live: (from, rv] ∪ (rv, ∞), disjoint and in order.
 */
import type { KubeObject } from '@kubeling/api';
import { expired } from '@kubeling/api';
import type { ListOptions, ListResult, StoreEvent, Watch, WatchHandler } from '@kubeling/store';
import { decodeContinue, encodeContinue } from '@kubeling/store';
import { CacheWatcher } from './cacheWatcher';
import { RingBuffer } from './ringBuffer';

/** Field path → its value in an object, for the fields a resource is indexed by. */
export type Indexers = Record<string, (o: KubeObject) => string>;

interface Entry {
  key: string;
  obj: KubeObject;
  /** UTF-8 JSON.stringify(obj), made the first time a list needs it; a new version gets a new entry. */
  json: Buffer | undefined;
}

/** One object of a list in the making. */
interface Candidate {
  key: string;
  obj: KubeObject;
  entry: Entry | undefined;
}

export interface WatchCacheOptions {
  capacity: number;
  /** Live events a watcher may have waiting before it is closed as too slow. */
  queueLimit: number;
  indexers: Indexers;
  /** What this resource's cache reports (metrics.ts gives them upstream's names). */
  observer?: WatchCacheObserver;
}

/** Counts the cache reports as it works; cheap calls, made on the paths they count. */
export interface WatchCacheObserver {
  /** An event of the change log was applied; `dispatched` watchers were offered it. */
  applied(dispatched: number, resourceVersion: number): void;
  /** A list looked at `fetched` objects (`index`: the index used, "" for none) and returned `returned`. */
  listed(index: string, fetched: number, returned: number): void;
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where `key` is or would go in the sorted `keys` (binary search). */
function searchSorted(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/*
 * The sorted key lists (all objects, each namespace) are kept up to date one key at a time once
 * built: re-sorting 30,000 keys after every create would cost the next cluster-wide list tens of
 * milliseconds, where a binary search and a splice cost microseconds.
 */
function insertSorted(keys: string[] | undefined, key: string): void {
  if (keys) keys.splice(searchSorted(keys, key), 0, key);
}

function removeSorted(keys: string[] | undefined, key: string): void {
  if (!keys) return;
  const i = searchSorted(keys, key);
  if (keys[i] === key) keys.splice(i, 1);
}

export class WatchCache {
  private readonly objects = new Map<string, Entry>();
  private readonly byNamespace = new Map<string, Map<string, Entry>>();
  /** field → value → entries. */
  private readonly byIndex = new Map<string, Map<string, Map<string, Entry>>>();
  /** Sorted keys, per namespace ('' key: all); dropped when a key comes or goes. */
  private readonly sortedKeys = new Map<string | undefined, string[]>();
  private readonly ring: RingBuffer;
  /** The cache has seen the change log up to here (events of this resource, and progress). */
  private rvSeen: number;

  private readonly watchersAll = new Set<CacheWatcher>();
  private readonly watchersByNamespace = new Map<string, Set<CacheWatcher>>();
  private readonly watchersByIndex = new Map<string, Set<CacheWatcher>>();
  /** Consistent reads waiting for the cache to see an rv; `done(false)` when it closes. */
  private waiters: { rv: number; done: (fresh: boolean) => void }[] = [];
  /** Set once the cache's reader stopped: it serves nothing more. */
  closed = false;

  constructor(
    initial: ListResult,
    private readonly opts: WatchCacheOptions,
  ) {
    this.rvSeen = Number(initial.resourceVersion);
    this.ring = new RingBuffer(opts.capacity, this.rvSeen);
    for (const field of Object.keys(opts.indexers)) this.byIndex.set(field, new Map());
    for (const obj of initial.items) this.put(obj);
  }

  /** How far the cache has seen the change log. */
  get resourceVersion(): number {
    return this.rvSeen;
  }

  /** Whether a watch from `rv` can catch up from the ring buffer. */
  covers(rv: number): boolean {
    return this.ring.covers(rv) && rv <= this.rvSeen;
  }

  // ---- the reader ----

  /** One event of the change log, in rv order (the store watch's handler). */
  apply(ev: StoreEvent): void {
    const prevEntry = this.objects.get(keyOf(ev.object));
    if (ev.type === 'DELETED') this.remove(ev.object);
    else this.put(ev.object);
    this.ring.push(ev);
    this.advance(Number(ev.resourceVersion));
    const watchers = this.interestedWatchers(ev, prevEntry?.obj);
    for (const w of watchers) w.offer(ev);
    this.opts.observer?.applied(watchers.length, this.rvSeen);
  }

  /** The change log was read up to `rv` with no later event of this resource. */
  progress(rv: number): void {
    this.advance(rv);
  }

  private advance(rv: number): void {
    if (rv <= this.rvSeen) return;
    this.rvSeen = rv;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.rv <= rv);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.rv > rv);
    for (const w of ready) w.done(true);
  }

  /** Resolves true once the cache has seen `rv`, false after `timeoutMs`. */
  waitUntilFresh(rv: number, timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (rv <= this.rvSeen) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        rv,
        done: (fresh: boolean) => {
          clearTimeout(timer);
          resolve(fresh);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      timer.unref?.();
      this.waiters.push(waiter);
    });
  }

  private put(obj: KubeObject): void {
    const key = keyOf(obj);
    const ns = obj.metadata.namespace ?? '';
    const old = this.objects.get(key);
    const entry: Entry = { key, obj, json: undefined };
    this.objects.set(key, entry);
    let inNs = this.byNamespace.get(ns);
    if (!inNs) this.byNamespace.set(ns, (inNs = new Map()));
    inNs.set(key, entry);
    for (const [field, valueOf] of Object.entries(this.opts.indexers)) {
      const index = this.byIndex.get(field) as Map<string, Map<string, Entry>>;
      if (old) index.get(valueOf(old.obj))?.delete(key);
      const value = valueOf(obj);
      let bucket = index.get(value);
      if (!bucket) index.set(value, (bucket = new Map()));
      bucket.set(key, entry);
    }
    if (!old) {
      insertSorted(this.sortedKeys.get(undefined), key);
      insertSorted(this.sortedKeys.get(ns), key);
    }
  }

  private remove(obj: KubeObject): void {
    const key = keyOf(obj);
    const old = this.objects.get(key);
    if (!old) return;
    const ns = obj.metadata.namespace ?? '';
    this.objects.delete(key);
    const inNs = this.byNamespace.get(ns);
    inNs?.delete(key);
    if (inNs?.size === 0) this.byNamespace.delete(ns);
    for (const [field, valueOf] of Object.entries(this.opts.indexers)) {
      const index = this.byIndex.get(field) as Map<string, Map<string, Entry>>;
      const value = valueOf(old.obj);
      const bucket = index.get(value);
      bucket?.delete(key);
      if (bucket?.size === 0) index.delete(value);
    }
    removeSorted(this.sortedKeys.get(undefined), key);
    removeSorted(this.sortedKeys.get(ns), key);
  }

  // ---- lists ----

  /**
   * A page of the cache as it stands (the caller has waited for freshness), in etcd's key order,
   * with the same paging rules and token as the Redis store (libs/store list). With `exactRv`,
   * the state at that rv instead, rebuilt by undoing the ring buffer's later events (410
   * Expired when the buffer does not reach back that far).
   */
  list(opts: ListOptions, exactRv?: number): ListResult {
    const token = opts.continue ? decodeContinue(opts.continue) : undefined;
    const ns = opts.namespace || undefined;
    let candidates: Candidate[];
    let index = '';
    if (exactRv !== undefined && exactRv < this.rvSeen) {
      candidates = this.snapshotAt(exactRv, ns);
    } else {
      index = this.indexUsed(opts.indexFields);
      candidates = this.candidates(ns, opts.indexFields);
    }
    const listRv = token ? token.rv : (exactRv ?? this.rvSeen);
    let i = 0;
    if (token) {
      // First key after the token's (binary search: candidates are sorted).
      let hi = candidates.length;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if ((candidates[mid] as Candidate).key <= token.start) i = mid + 1;
        else hi = mid;
      }
    }
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
    const filter = opts.filter;
    const items: KubeObject[] = [];
    const encodedItems: Buffer[] = [];
    let lastKey = '';
    for (; i < candidates.length && items.length < limit; i++) {
      const c = candidates[i] as Candidate;
      if (filter && !filter(c.obj)) continue;
      items.push(c.obj);
      encodedItems.push(encoded(c));
      lastKey = c.key;
    }
    const result: ListResult = { items, encodedItems, resourceVersion: String(listRv) };
    this.opts.observer?.listed(index, candidates.length, items.length);
    if (items.length < limit) return result;
    let more: boolean;
    if (!filter) {
      more = i < candidates.length;
      if (more) result.remainingItemCount = candidates.length - i;
    } else {
      more = false;
      for (; i < candidates.length && !more; i++) more = filter((candidates[i] as Candidate).obj);
    }
    if (more) result.continue = encodeContinue({ rv: listRv, start: lastKey });
    return result;
  }

  /** The indexed field `candidates` will use (upstream's `index` label: "f:spec.nodeName"), or "". */
  private indexUsed(indexFields?: Record<string, string>): string {
    for (const field of Object.keys(indexFields ?? {}))
      if (this.byIndex.has(field)) return `f:${field}`;
    return '';
  }

  /** The entries a list has to look at, sorted by key: an index bucket, a namespace, or all. */
  private candidates(ns: string | undefined, indexFields?: Record<string, string>): Candidate[] {
    for (const [field, value] of Object.entries(indexFields ?? {})) {
      const index = this.byIndex.get(field);
      if (!index) continue;
      const out: Candidate[] = [];
      for (const e of index.get(value)?.values() ?? []) {
        if (ns === undefined || e.obj.metadata.namespace === ns)
          out.push({ key: e.key, obj: e.obj, entry: e });
      }
      return out.sort((a, b) => compareKeys(a.key, b.key));
    }
    const source = ns === undefined ? this.objects : this.byNamespace.get(ns);
    if (!source) return [];
    let keys = this.sortedKeys.get(ns);
    if (!keys) {
      keys = [...source.keys()].sort(compareKeys);
      this.sortedKeys.set(ns, keys);
    }
    return keys.map((key) => {
      const e = source.get(key) as Entry;
      return { key, obj: e.obj, entry: e };
    });
  }

  /**
   * The objects (of `ns`) as they were at `rv`: the current ones with every buffered event after
   * `rv` undone, newest first (an ADDED removed, a MODIFIED or DELETED back to its previous state).
   */
  private snapshotAt(rv: number, ns: string | undefined): Candidate[] {
    if (!this.ring.covers(rv))
      throw expired(`too old resource version: ${rv} (${this.ring.coveredFrom + 1})`);
    const state = new Map<string, Candidate>();
    const source = ns === undefined ? this.objects : (this.byNamespace.get(ns) ?? new Map());
    for (const [key, e] of source) state.set(key, { key, obj: e.obj, entry: e });
    const later = this.ring.since(rv);
    for (let j = later.length - 1; j >= 0; j--) {
      const ev = later[j] as StoreEvent;
      if (ns !== undefined && (ev.object.metadata.namespace ?? '') !== ns) continue;
      const key = keyOf(ev.object);
      // A DELETED's object is its last state, which is what it was before.
      const before = ev.type === 'DELETED' ? (ev.prevObject ?? ev.object) : ev.prevObject;
      if (ev.type === 'ADDED' || !before) state.delete(key);
      else state.set(key, { key, obj: before, entry: undefined });
    }
    return [...state.values()].sort((a, b) => compareKeys(a.key, b.key));
  }

  // ---- watchers ----

  /**
   * Starts a watcher from `from` (the caller checked `covers(from)`): its catch-up from the ring
   * buffer and its registration happen in one synchronous step (see the module comment).
   */
  watch(
    from: number,
    opts: {
      namespace?: string | undefined;
      indexFields?: Record<string, string> | undefined;
      onClose?: ((err?: Error) => void) | undefined;
      signal?: AbortSignal | undefined;
    },
    handler: WatchHandler,
  ): Watch {
    const indexKeys = Object.entries(opts.indexFields ?? {})
      .filter(([field]) => field in this.opts.indexers)
      .map(([field, value]) => `${field}=${value}`);
    const w = new CacheWatcher({
      from,
      namespace: opts.namespace || undefined,
      indexKeys,
      handler,
      onClose: opts.onClose,
      queueLimit: this.opts.queueLimit,
      cacheRv: () => this.rvSeen,
      unregister: (x) => this.unregister(x),
    });
    const catchUp = this.ring.since(from).filter((ev) => this.canWant(w, ev, ev.prevObject));
    this.register(w);
    w.start(catchUp);
    if (opts.signal) {
      if (opts.signal.aborted) w.stop();
      else opts.signal.addEventListener('abort', () => w.stop(), { once: true });
    }
    return w;
  }

  /** The bucket a watcher lives in: its first indexed field, else its namespace, else all. */
  private bucketOf(w: CacheWatcher): Set<CacheWatcher> {
    const first = w.opts.indexKeys[0];
    if (first !== undefined) {
      let s = this.watchersByIndex.get(first);
      if (!s) this.watchersByIndex.set(first, (s = new Set()));
      return s;
    }
    if (w.namespace !== undefined) {
      let s = this.watchersByNamespace.get(w.namespace);
      if (!s) this.watchersByNamespace.set(w.namespace, (s = new Set()));
      return s;
    }
    return this.watchersAll;
  }

  private register(w: CacheWatcher): void {
    this.bucketOf(w).add(w);
  }

  private unregister(w: CacheWatcher): void {
    const first = w.opts.indexKeys[0];
    const map =
      first !== undefined
        ? this.watchersByIndex
        : w.namespace !== undefined
          ? this.watchersByNamespace
          : undefined;
    const key = first ?? w.namespace;
    if (!map || key === undefined) {
      this.watchersAll.delete(w);
      return;
    }
    const s = map.get(key);
    s?.delete(w);
    if (s?.size === 0) map.delete(key);
  }

  /** Whether `w` could want `ev` by namespace and index (its selector decides the rest). */
  private canWant(w: CacheWatcher, ev: StoreEvent, prev: KubeObject | undefined): boolean {
    if (w.namespace !== undefined && (ev.object.metadata.namespace ?? '') !== w.namespace)
      return false;
    for (const k of w.opts.indexKeys) {
      const eq = k.indexOf('=');
      const valueOf = this.opts.indexers[k.slice(0, eq)] as (o: KubeObject) => string;
      const value = k.slice(eq + 1);
      if (valueOf(ev.object) !== value && (prev === undefined || valueOf(prev) !== value))
        return false;
    }
    return true;
  }

  /** The watchers an event can concern: by its namespace and its index values, old and new. */
  private interestedWatchers(ev: StoreEvent, cachedPrev: KubeObject | undefined): CacheWatcher[] {
    const prev = ev.prevObject ?? cachedPrev;
    const out: CacheWatcher[] = [...this.watchersAll];
    const ns = ev.object.metadata.namespace ?? '';
    for (const w of this.watchersByNamespace.get(ns) ?? []) out.push(w);
    if (this.watchersByIndex.size > 0) {
      const seen = new Set<CacheWatcher>();
      for (const [field, valueOf] of Object.entries(this.opts.indexers)) {
        const values = new Set([valueOf(ev.object)]);
        if (prev) values.add(valueOf(prev));
        for (const v of values)
          for (const w of this.watchersByIndex.get(`${field}=${v}`) ?? [])
            if (!seen.has(w) && this.canWant(w, ev, prev)) {
              seen.add(w);
              out.push(w);
            }
      }
    }
    return out;
  }

  /** How many watchers are registered (tests, metrics). */
  get watcherCount(): number {
    let n = this.watchersAll.size;
    for (const s of this.watchersByNamespace.values()) n += s.size;
    for (const s of this.watchersByIndex.values()) n += s.size;
    return n;
  }

  /** Ends every watcher without an error (their clients re-watch), e.g. when the cache restarts. */
  close(): void {
    this.closed = true;
    const all = [...this.watchersAll];
    for (const s of this.watchersByNamespace.values()) all.push(...s);
    for (const s of this.watchersByIndex.values()) all.push(...s);
    for (const w of all) w.fail(undefined);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.done(false);
  }
}

function encoded(c: Candidate): Buffer {
  if (!c.entry) return Buffer.from(JSON.stringify(c.obj));
  c.entry.json ??= Buffer.from(JSON.stringify(c.entry.obj));
  return c.entry.json;
}
