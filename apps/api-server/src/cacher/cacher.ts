/**
 * The api-server's watch cache (upstream's Cacher): a StorageInterface in front of the Redis
 * store. Writes and GETs go to the store; LISTs and WATCHes of a resource are served from that
 * resource's WatchCache, started on first use by listing the resource once and then following
 * the change log with ONE store watch.
 *
 * Reads, as upstream (Kubernetes 1.31+ consistent reads from cache):
 *   - resourceVersion "" (or a continue token): consistent. The store's current resourceVersion
 *     is read (one Redis GET, shared by the LISTs that queue for it: freshRead.ts) and the cache waits until it has seen it — the store watch
 *     reports progress after each batch of the log, so this is one log read away — then serves;
 *     after `freshTimeoutMs` the list goes to the store instead.
 *   - "0": the cache as it stands.
 *   - "N" (NotOlderThan, or no resourceVersionMatch): once the cache has seen N; a cache that does
 *     not get there in time answers 504 "Too large resource version", as upstream.
 *   - "N" with Exact: the state at N, rebuilt from the ring buffer; 410 when it reaches back less.
 *   - a watch from N resumes from the ring buffer when it reaches back to N, otherwise from the
 *     change log through the store (which answers 410 once compacted past N). An N the log was
 *     compacted past is 410 even when the buffer still reaches it, so every replica answers the
 *     same (a replica's buffer depends on when its cache started).
 * When the cache's store watch ends (the log was compacted past it, Redis trouble) the cache is
 * dropped, its watchers end without an error (clients re-watch), and the next request refills it.
 */
import type { GroupResource, KubeObject, StatusError } from '@kubeling/api';
import { badRequest, statusFailure } from '@kubeling/api';
import type {
  DeleteOptions,
  GuaranteedUpdateOptions,
  ListOptions,
  ListResult,
  StorageInterface,
  UpdateOptions,
  Watch,
  WatchHandler,
  WatchOptions,
} from '@kubeling/store';
import { decodeContinue, parseResourceVersion, resourceKey } from '@kubeling/store';
import type { Indexers, WatchCacheObserver } from './watchCache';
import { FreshRead } from './freshRead';
import { WatchCache } from './watchCache';

export interface CacherOptions {
  /**
   * Events kept per resource for resuming watchers (default 50,000: a minute of writes at 800/s;
   * upstream sizes its buffer for about 75 s of history, up to 100k events).
   */
  capacity?: number;
  /** Live events a watcher may have waiting before it is closed as too slow (default 10,000). */
  queueLimit?: number;
  /** How long a read waits for the cache to catch up before it falls back (default 3 s, upstream's). */
  freshTimeoutMs?: number;
  /** Indexed fields per `group/resource` key (pods: spec.nodeName). */
  indexers?: Record<string, Indexers>;
  /** Where the caches report (metrics.ts: upstream's apiserver_watch_cache_* metrics). */
  metrics?: CacherMetrics;
}

/** What the caches report, per resource ("pods", "deployments.apps"). */
export interface CacherMetrics {
  /** A resource's cache (re)started from a list of the store. */
  initialized(resource: string): void;
  /** The cache of `resource` itself; see WatchCacheObserver. */
  observer(resource: string): WatchCacheObserver;
  /** How long a consistent or NotOlderThan read waited for the cache to catch up. */
  readWait(resource: string, seconds: number): void;
}

export const cacherDefaults = {
  capacity: 50_000,
  queueLimit: 10_000,
  freshTimeoutMs: 3_000,
};

/** The cache of one resource while it starts, runs, or after it failed to start. */
interface Slot {
  ready: Promise<WatchCache>;
  cache?: WatchCache;
  watch?: Watch;
}

export class Cacher implements StorageInterface {
  private readonly slots = new Map<string, Slot>();
  private readonly capacity: number;
  private readonly queueLimit: number;
  private readonly freshTimeoutMs: number;
  /** The store's current resourceVersion for consistent LISTs, one read shared by those waiting. */
  private readonly currentRv: FreshRead<number>;
  private closed = false;

  constructor(
    private readonly store: StorageInterface,
    private readonly opts: CacherOptions = {},
  ) {
    this.capacity = opts.capacity ?? cacherDefaults.capacity;
    this.queueLimit = opts.queueLimit ?? cacherDefaults.queueLimit;
    this.freshTimeoutMs = opts.freshTimeoutMs ?? cacherDefaults.freshTimeoutMs;
    this.currentRv = new FreshRead(async () => Number(await store.currentResourceVersion()));
  }

  // ---- writes and GET: the store's ----

  create(gr: GroupResource, obj: KubeObject): Promise<KubeObject> {
    return this.store.create(gr, obj);
  }
  get(gr: GroupResource, namespace: string, name: string): Promise<KubeObject | undefined> {
    return this.store.get(gr, namespace, name);
  }
  update(gr: GroupResource, obj: KubeObject, opts?: UpdateOptions): Promise<KubeObject> {
    return this.store.update(gr, obj, opts);
  }
  delete(
    gr: GroupResource,
    namespace: string,
    name: string,
    opts?: DeleteOptions,
  ): Promise<KubeObject> {
    return this.store.delete(gr, namespace, name, opts);
  }
  guaranteedUpdate(
    gr: GroupResource,
    namespace: string,
    name: string,
    mutate: (cur: KubeObject) => KubeObject | Promise<KubeObject>,
    opts?: GuaranteedUpdateOptions,
  ): Promise<KubeObject> {
    return this.store.guaranteedUpdate(gr, namespace, name, mutate, opts);
  }
  currentResourceVersion(): Promise<string> {
    return this.store.currentResourceVersion();
  }
  compactedResourceVersion(): Promise<string> {
    return this.store.compactedResourceVersion();
  }

  // ---- the caches ----

  /** The running cache of a resource, starting it on first use. */
  private cacheFor(key: string): Promise<WatchCache> {
    let slot = this.slots.get(key);
    if (!slot) {
      const s: Slot = { ready: this.startCache(key, () => s) };
      // A cache that failed to start is forgotten, so the next request tries again.
      s.ready.catch(() => this.slots.get(key) === s && this.slots.delete(key));
      this.slots.set(key, s);
      slot = s;
    }
    return slot.ready;
  }

  private async startCache(key: string, slot: () => Slot): Promise<WatchCache> {
    if (this.closed) throw new Error('storage is closed');
    const slash = key.indexOf('/');
    const gr = { group: key.slice(0, slash), resource: key.slice(slash + 1) };
    const initial = await this.store.list(gr);
    const metrics = this.opts.metrics;
    const resource = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
    const cache = new WatchCache(initial, {
      capacity: this.capacity,
      queueLimit: this.queueLimit,
      indexers: this.opts.indexers?.[key] ?? {},
      ...(metrics ? { observer: metrics.observer(resource) } : {}),
    });
    metrics?.initialized(resource);
    const watch = await this.store.watch(
      {
        resources: [key],
        fromResourceVersion: initial.resourceVersion,
        onProgress: (rv) => cache.progress(Number(rv)),
        // Behind after a burst, the reader catches up (each event costs it microseconds); being
        // closed as too slow would cost a relist of the whole resource and end every watcher.
        queueLimit: Infinity,
        onClose: () => this.drop(key, slot()),
      },
      (ev) => cache.apply(ev),
    );
    const s = slot();
    s.cache = cache;
    s.watch = watch;
    if (this.closed || this.slots.get(key) !== s) {
      watch.stop();
      cache.close();
    }
    return cache;
  }

  /** The cache's store watch ended: forget the cache; its watchers re-watch, reads refill it. */
  private drop(key: string, slot: Slot): void {
    if (this.slots.get(key) === slot) this.slots.delete(key);
    slot.watch?.stop();
    slot.cache?.close();
  }

  // ---- reads ----

  async list(gr: GroupResource, opts: ListOptions = {}): Promise<ListResult> {
    const key = resourceKey(gr);
    const rv = opts.resourceVersion ?? '';
    const exact = opts.resourceVersionMatch === 'Exact';
    let cache: WatchCache;
    try {
      cache = await this.cacheFor(key);
    } catch {
      return this.store.list(gr, opts);
    }
    if (opts.continue) {
      // A later page: the cache must not be older than the first page was.
      const token = decodeContinue(opts.continue);
      if (await this.waitFresh(gr, cache, token.rv)) return cache.list(opts);
      return this.store.list(gr, opts);
    }
    if (rv === '') {
      const current = await this.currentRv.get();
      if (await this.waitFresh(gr, cache, current)) return cache.list(opts);
      return this.store.list(gr, opts);
    }
    if (rv === '0') return cache.closed ? this.store.list(gr, opts) : cache.list(opts);
    const n = requireResourceVersion(rv);
    if (n > cache.resourceVersion) {
      // A version no write has reached yet was never handed out by any replica: the client made
      // it up (or keeps it from another cluster). Waiting cannot help, so it is the client's
      // error at once; only a version the store has but this cache lags behind is worth a wait.
      const current = await this.currentRv.get();
      if (n > current) throw unissuedResourceVersion(n, current);
    }
    if (!(await this.waitFresh(gr, cache, n)))
      throw tooLargeResourceVersion(n, cache.resourceVersion);
    return cache.list(opts, exact ? n : undefined);
  }

  /** The cache's waitUntilFresh, timed for apiserver_watch_cache_read_wait_seconds. */
  private async waitFresh(gr: GroupResource, cache: WatchCache, rv: number): Promise<boolean> {
    const metrics = this.opts.metrics;
    if (!metrics || rv <= cache.resourceVersion)
      return cache.waitUntilFresh(rv, this.freshTimeoutMs);
    const start = performance.now();
    try {
      return await cache.waitUntilFresh(rv, this.freshTimeoutMs);
    } finally {
      const resource = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
      metrics.readWait(resource, (performance.now() - start) / 1000);
    }
  }

  async watch(opts: WatchOptions, onEvent: WatchHandler): Promise<Watch> {
    const key = opts.resources?.length === 1 ? (opts.resources[0] as string) : undefined;
    if (key === undefined) return this.store.watch(opts, onEvent);
    const from = requireResourceVersion(opts.fromResourceVersion);
    let cache: WatchCache;
    try {
      cache = await this.cacheFor(key);
    } catch {
      return this.store.watch(opts, onEvent);
    }
    // Newer than the cache (written through another replica a moment ago): wait a little.
    if (from > cache.resourceVersion) await cache.waitUntilFresh(from, this.freshTimeoutMs);
    if (opts.signal?.aborted) throw new Error('watch stopped');
    // Older than the ring buffer, or still not seen: the change log has it (or answers 410).
    if (!cache.covers(from)) return this.store.watch(opts, onEvent);
    // A resume from before the log's compaction point is 410 on every replica, whatever one
    // replica's buffer still holds: the store answers it, as it did before there was a cache.
    if (from < cache.resourceVersion && from < Number(await this.store.compactedResourceVersion()))
      return this.store.watch(opts, onEvent);
    if (opts.signal?.aborted) throw new Error('watch stopped');
    if (cache.closed) return this.store.watch(opts, onEvent);
    return cache.watch(from, opts, onEvent);
  }

  /** Stops every cache (their watchers end without an error). The store is the caller's. */
  close(): void {
    this.closed = true;
    for (const [key, slot] of [...this.slots]) this.drop(key, slot);
  }
}

function requireResourceVersion(rv: string): number {
  const n = parseResourceVersion(rv);
  if (n === undefined) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return n;
}

/**
 * A LIST at a resourceVersion beyond every write: 400 with upstream's wording and cause, so
 * that bad input is never a 5xx (upstream waits 3 s and answers 504 for it too).
 */
export function unissuedResourceVersion(rv: number, current: number): StatusError {
  return statusFailure('BadRequest', `Too large resource version: ${rv}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
  });
}

/** storage.NewTooLargeResourceVersionError: the cache did not reach `rv` in time (504, retry). */
export function tooLargeResourceVersion(rv: number, current: number): StatusError {
  return statusFailure(
    'Timeout',
    `Timeout: Too large resource version: ${rv}, current: ${current}`,
    {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    },
  );
}
