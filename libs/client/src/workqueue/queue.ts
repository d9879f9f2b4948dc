/**
 * The work queue controllers feed from their event handlers (client-go util/workqueue: the
 * basic queue, the delaying queue and the rate-limiting queue in one object).
 *
 * Contract — the same as client-go's, and what controllers rely on:
 *
 * - Fair: items are handed out in the order they became ready (FIFO).
 * - Deduplicating ("dirty" set): an item added while it already waits in the queue is queued
 *   once. Event handlers can therefore enqueue a key on every event without flooding workers.
 * - Never the same item in two workers at once ("processing" set): an item added while a
 *   worker holds it (between `get` and `done`) is not handed out; it is queued again when
 *   `done` is called, so the change that came in meanwhile is still seen.
 * - Every `get` that returned an item must be followed by `done(item)`, success or failure.
 * - Rate-limited retries: `addRateLimited` re-adds after the rate limiter's delay (default
 *   per-item 5 ms doubling to 1000 s, see rateLimiter.ts); `forget` resets an item's backoff
 *   after it succeeded; `numRequeues` says how often it failed.
 * - Delays: `addAfter(item, ms)` adds once `ms` passed on the injected clock; an item already
 *   waiting keeps the earlier of its two ready times (client-go's waitingForQueue). Waiting
 *   items sit in a heap by ready time (heap.ts): adding one and firing one are O(log n), and
 *   one timer is armed, for the earliest.
 * - Clean shutdown: after `shutDown` new adds (immediate and delayed) are ignored; `get` still
 *   hands out what is already queued and then resolves with `shutdown: true`, waking every
 *   waiting worker. `shutDownWithDrain` additionally resolves only once every item handed out
 *   has been `done`.
 * - `len()` counts items ready to be handed out (not the delayed ones, not those in workers).
 */
import type { Clock, CancelTimer } from '@kubeling/api';
import { realClock } from '@kubeling/api';
import type { RateLimiter } from './rateLimiter';
import { defaultControllerRateLimiter } from './rateLimiter';
import type { HeapEntry } from './heap';
import { Heap } from './heap';

export type GetResult<T> = { shutdown: false; item: T } | { shutdown: true; item?: undefined };

export interface WorkQueueOptions<T> {
  /** For logs and metrics. */
  name?: string;
  clock?: Clock;
  /** Default: defaultControllerRateLimiter on the same clock. */
  rateLimiter?: RateLimiter<T>;
}

interface Waiting<T> extends HeapEntry {
  item: T;
  readyAt: number;
  /** Insertion order: items ready at the same instant come out in the order they were added. */
  seq: number;
}

export class WorkQueue<T = string> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<T>;
  private readonly queue: T[] = [];
  private head = 0;
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly getters: Array<(r: GetResult<T>) => void> = [];
  private shuttingDown = false;
  private drainWaiters: Array<() => void> = [];
  /** Delayed items by item, and the same entries in a heap by ready time. */
  private readonly waiting = new Map<T, Waiting<T>>();
  private readonly waitingHeap = new Heap<Waiting<T>>((a, b) =>
    a.readyAt === b.readyAt ? a.seq < b.seq : a.readyAt < b.readyAt,
  );
  private waitingSeq = 0;
  private timer: { at: number; cancel: CancelTimer } | undefined;

  constructor(opts: WorkQueueOptions<T> = {}) {
    this.name = opts.name ?? '';
    this.clock = opts.clock ?? realClock;
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.push(item);
  }

  /** Resolves with the next item (waiting for one), or `shutdown: true` once shut down and empty. */
  get(): Promise<GetResult<T>> {
    const next = this.take();
    if (next) return Promise.resolve(next);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** The worker finished with `item`; if it was re-added meanwhile it is queued again now. */
  done(item: T): void {
    if (!this.processing.delete(item)) return;
    if (this.dirty.has(item)) this.push(item);
    this.checkDrained();
  }

  /** Ready items (waiting for a worker). */
  len(): number {
    return this.queue.length - this.head;
  }

  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(item);
    const readyAt = this.clock.now() + delayMs;
    const cur = this.waiting.get(item);
    if (cur) {
      if (cur.readyAt <= readyAt) return;
      cur.readyAt = readyAt;
      this.waitingHeap.fix(cur);
    } else {
      const entry: Waiting<T> = { item, readyAt, seq: this.waitingSeq++, heapIndex: -1 };
      this.waiting.set(item, entry);
      this.waitingHeap.push(entry);
    }
    this.schedule();
  }

  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.waiting.clear();
    this.waitingHeap.clear();
    this.timer?.cancel();
    this.timer = undefined;
    // Waiting getters only exist while the queue is empty: all of them learn of the shutdown.
    for (const g of this.getters.splice(0)) g({ shutdown: true });
    this.checkDrained();
  }

  /** shutDown, then resolves once the queue is empty and every handed-out item is done. */
  shutDownWithDrain(): Promise<void> {
    const drained = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.shutDown();
    this.checkDrained();
    return drained;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  private push(item: T): void {
    const getter = this.getters.shift();
    if (getter) {
      // A worker is waiting, so the queue is empty: hand the item over directly.
      this.dirty.delete(item);
      this.processing.add(item);
      getter({ shutdown: false, item });
      return;
    }
    this.queue.push(item);
  }

  private take(): GetResult<T> | undefined {
    if (this.head < this.queue.length) {
      const item = this.queue[this.head] as T;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.dirty.delete(item);
      this.processing.add(item);
      return { shutdown: false, item };
    }
    return this.shuttingDown ? { shutdown: true } : undefined;
  }

  private checkDrained(): void {
    if (!this.shuttingDown || this.processing.size > 0 || this.len() > 0) return;
    for (const w of this.drainWaiters.splice(0)) w();
  }

  /** Waiting items (delayed by addAfter or addRateLimited, not yet ready). */
  waitingLen(): number {
    return this.waiting.size;
  }

  private schedule(): void {
    const earliest = this.waitingHeap.peek();
    if (!earliest) return;
    if (this.timer && this.timer.at <= earliest.readyAt) return;
    this.timer?.cancel();
    const at = earliest.readyAt;
    this.timer = { at, cancel: this.clock.setTimer(() => this.fireDue(), at - this.clock.now()) };
  }

  private fireDue(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (let w = this.waitingHeap.peek(); w && w.readyAt <= now; w = this.waitingHeap.peek()) {
      this.waitingHeap.pop();
      this.waiting.delete(w.item);
      this.add(w.item);
    }
    this.schedule();
  }
}

export interface RunWorkersOptions<T> {
  queue: WorkQueue<T>;
  /** Concurrent workers (default 1). */
  workers?: number;
  /** Reconciles one item; a throw requeues it with backoff, success forgets its backoff. */
  sync: (item: T) => Promise<void>;
  /** Told of each failed sync before the item is requeued. */
  onError?: (item: T, err: unknown) => void;
  /**
   * Give up on an item after this many consecutive failures (client-go controllers' maxRetries
   * pattern); default: retry forever, the backoff caps the rate.
   */
  maxRetries?: number;
}

/**
 * The standard worker loop (processNextWorkItem in every client-go controller): get → sync →
 * forget or addRateLimited → done, on `workers` concurrent loops. Resolves when the queue is
 * shut down and every worker has returned.
 */
export async function runWorkers<T>(opts: RunWorkersOptions<T>): Promise<void> {
  const { queue, sync } = opts;
  const worker = async (): Promise<void> => {
    for (;;) {
      const next = await queue.get();
      if (next.shutdown) return;
      const item = next.item;
      try {
        await sync(item);
        queue.forget(item);
      } catch (e) {
        opts.onError?.(item, e);
        if (opts.maxRetries !== undefined && queue.numRequeues(item) >= opts.maxRetries)
          queue.forget(item);
        else queue.addRateLimited(item);
      } finally {
        queue.done(item);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers ?? 1) }, worker));
}
