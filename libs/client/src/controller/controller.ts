/**
 * The controller runner (controller-runtime's Controller, client-go's processNextWorkItem loop):
 * informers' handlers enqueue keys; `workers` loops each take a key and call `reconcile(key)`.
 *
 * Contract:
 *
 * - Workers start only once every informer the controller watches (and every `waitFor`) has
 *   synced: a reconcile never reads a half-filled cache, where "missing" would mean "not
 *   listed yet" instead of "gone".
 * - One key is never reconciled by two workers at once (the work queue's rule), and a key
 *   enqueued many times while it waits is reconciled once.
 * - What `reconcile` returns decides what happens next (controller-runtime's rules):
 *   - throws → requeued after the rate limiter's backoff (per key 5 ms doubling to 1000 s,
 *     with an overall 10 qps / 100 burst), and `onError` is told;
 *   - `{ requeueAfter: ms }` → its backoff is forgotten and it comes back after `ms`
 *     (a time-based wait: a grace period ending, minReadySeconds passing);
 *   - `{ requeue: true }` → requeued with backoff, without counting as an error;
 *   - anything else → success: its backoff is forgotten.
 *   A key enqueued by an event while its reconcile ran is reconciled again after it anyway.
 * - Stop: when the signal given to `run` aborts, the queue shuts down; each worker finishes the
 *   reconcile it is in (the same signal tells it to hurry) and takes no new key; `run`
 *   resolves once every worker has returned.
 *
 *   const c = new Controller({ name: 'pods-per-node', reconcile: (key) => this.sync(key) });
 *   c.watch(nodes, enqueueObject(c.enqueueKey));
 *   c.watch(pods, filteringHandler(isPodActive, { onAdd: (p) => c.enqueueKey(p.spec.nodeName) }));
 *   await c.run(signal);
 */
import type { Clock } from '@kubeling/api';
import { realClock } from '@kubeling/api';
import type { EventHandler, HandlerRegistration } from '../informer/listener';
import { WorkQueue } from '../workqueue/queue';
import type { RateLimiter } from '../workqueue/rateLimiter';

/** What a reconcile asks for besides success. */
export interface ReconcileResult {
  /** Come back after this many ms (forgets the key's backoff). */
  requeueAfter?: number;
  /** Come back after the key's backoff (without it being an error). */
  requeue?: boolean;
}

export type Reconcile = (key: string, signal: AbortSignal) => Promise<ReconcileResult | void>;

/** What the controller waits on before starting workers: an informer, or anything like one. */
export interface CacheSyncWaiter {
  waitForSync(signal?: AbortSignal): Promise<boolean>;
}

/** An informer the controller can register a handler on. */
export interface WatchableInformer<T> extends CacheSyncWaiter {
  addEventHandler(handler: EventHandler<T>): HandlerRegistration;
}

export interface ControllerOptions {
  /** For logs, and the queue's name. */
  name: string;
  reconcile: Reconcile;
  /** Concurrent workers (default 1: MaxConcurrentReconciles). */
  workers?: number;
  clock?: Clock;
  /** Default: the work queue's default controller rate limiter, on `clock`. */
  rateLimiter?: RateLimiter<string>;
  /** Caches to wait for besides the informers given to `watch`. */
  waitFor?: CacheSyncWaiter[];
  /** Told of each failed reconcile; default: one line on stderr. */
  onError?: (key: string, err: unknown) => void;
}

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  private readonly opts: ControllerOptions;
  private readonly sources: CacheSyncWaiter[] = [];
  private readonly registrations: HandlerRegistration[] = [];
  private readonly onError: (key: string, err: unknown) => void;
  private started = false;

  constructor(opts: ControllerOptions) {
    if (opts.workers !== undefined && (!Number.isInteger(opts.workers) || opts.workers < 1))
      throw new Error(`controller ${opts.name}: workers must be a positive integer`);
    this.opts = opts;
    this.name = opts.name;
    this.queue = new WorkQueue<string>({
      name: opts.name,
      clock: opts.clock ?? realClock,
      ...(opts.rateLimiter ? { rateLimiter: opts.rateLimiter } : {}),
    });
    this.sources.push(...(opts.waitFor ?? []));
    this.onError =
      opts.onError ??
      ((key, err) => {
        const msg = err instanceof Error ? err.message : String(err);
        process.stderr.write(`controller ${opts.name}: reconcile ${key} failed: ${msg}\n`);
      });
  }

  /** Enqueues a key (bound: pass it around as a callback). */
  readonly enqueueKey = (key: string): void => this.queue.add(key);

  /** Enqueues a key after `ms` (bound). */
  readonly enqueueKeyAfter = (key: string, ms: number): void => this.queue.addAfter(key, ms);

  /**
   * Registers `handler` on `informer` and makes `run` wait for that informer's cache. Call
   * before `run`; the handler is removed when `run` returns.
   */
  watch<T>(informer: WatchableInformer<T>, handler: EventHandler<T>): HandlerRegistration {
    if (this.started) throw new Error(`controller ${this.name}: watch after run`);
    const reg = informer.addEventHandler(handler);
    this.registrations.push(reg);
    if (!this.sources.includes(informer)) this.sources.push(informer);
    return reg;
  }

  /**
   * Waits for the caches, then runs the workers until `signal` aborts; resolves once they all
   * returned. Resolves at once, reconciling nothing, if `signal` aborts while caches sync.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name}: run called twice`);
    this.started = true;
    const stop = () => this.queue.shutDown();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    try {
      const synced = await Promise.all(this.sources.map((s) => s.waitForSync(signal)));
      if (signal.aborted || !synced.every(Boolean)) return;
      const workers = this.opts.workers ?? 1;
      await Promise.all(Array.from({ length: workers }, () => this.worker(signal)));
    } finally {
      signal.removeEventListener('abort', stop);
      stop();
      for (const r of this.registrations.splice(0)) r.remove();
    }
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      const key = next.item;
      // Keys still queued at stop are left: the next leader reconciles from its own caches.
      if (signal.aborted) {
        this.queue.done(key);
        return;
      }
      try {
        const result = await this.opts.reconcile(key, signal);
        if (result?.requeueAfter !== undefined && result.requeueAfter > 0) {
          this.queue.forget(key);
          this.queue.addAfter(key, result.requeueAfter);
        } else if (result?.requeue) {
          this.queue.addRateLimited(key);
        } else {
          this.queue.forget(key);
        }
      } catch (e) {
        if (!signal.aborted) this.onError(key, e);
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }
}
