/**
 * One watcher of the watch cache (upstream's cacheWatcher): its own queue, drained on its own, so
 * a slow consumer delays nobody else; closed once it falls `queueLimit` live events behind (its
 * client re-watches). The cache hands it events in resourceVersion order: first its catch-up
 * from the ring buffer, then live ones.
 */
import type { StoreEvent, Watch, WatchHandler } from '@kubeling/store';
import { Delivery } from '@kubeling/store';

export interface CacheWatcherOptions {
  /** Events after this rv are what the watcher gets. */
  from: number;
  namespace: string | undefined;
  /** `field=value` keys of the watcher's indexed exact field requirements (see WatchCache). */
  indexKeys: string[];
  handler: WatchHandler;
  onClose: ((err?: Error) => void) | undefined;
  queueLimit: number;
  /** How far the cache has seen the change log (what an idle watcher is complete up to). */
  cacheRv: () => number;
  /** Removes the watcher from the cache's indexes. */
  unregister: (w: CacheWatcher) => void;
}

export class CacheWatcher implements Watch {
  private readonly delivery: Delivery;
  /** Events queued at registration (the catch-up) do not count against the live limit. */
  private backlog = 0;
  closed = false;

  constructor(readonly opts: CacheWatcherOptions) {
    this.delivery = new Delivery({
      handler: opts.handler,
      from: opts.from,
      failed: (err) => this.fail(err),
    });
  }

  get namespace(): string | undefined {
    return this.opts.namespace;
  }

  /** The catch-up, before the watcher is registered for live events. */
  start(catchUp: StoreEvent[]): void {
    this.backlog = catchUp.length;
    for (const ev of catchUp) this.delivery.push(ev);
  }

  /** A live event, from the cache's one reader. */
  offer(ev: StoreEvent): void {
    if (this.closed) return;
    this.delivery.push(ev);
    const { waiting, delivered } = this.delivery;
    // What is left of the catch-up is allowed on top of the limit.
    if (waiting > this.opts.queueLimit + Math.max(0, this.backlog - delivered))
      this.fail(new Error(`watch closed: consumer too slow (${waiting} events waiting)`));
  }

  resourceVersion(): string {
    const { handled } = this.delivery;
    return String(this.delivery.idle ? Math.max(this.opts.cacheRv(), handled) : handled);
  }

  stop(): void {
    this.end();
  }

  /** Ends the watch on the cache's account and tells the consumer why (no error: re-watch). */
  fail(err: Error | undefined): void {
    if (this.closed) return;
    this.end();
    try {
      this.opts.onClose?.(err);
    } catch {
      // The consumer's close handler failing must not break the cache's reader.
    }
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    this.opts.unregister(this);
    this.delivery.close();
  }
}
