/**
 * One watcher of the watch cache (upstream's cacheWatcher): its own queue, drained on its own, so
 * a slow consumer delays nobody else; closed once it falls `queueLimit` live events behind (its
 * client re-watches). The cache hands it events in resourceVersion order: first its catch-up
 * from the ring buffer, then live ones.
 */
import type { StoreEvent, Watch, WatchHandler } from '@kubeling/store';
import { setImmediate as yieldTurn } from 'node:timers/promises';

/** Sync handlers get this many events in a row before the watcher yields to the others. */
const BATCH = 100;

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
  private queue: StoreEvent[] = [];
  private head = 0;
  private draining = false;
  private handling = false;
  /** rv of the last event handled (or the starting rv). */
  private handled: number;
  /** Events queued at registration (the catch-up) do not count against the live limit. */
  private backlog = 0;
  closed = false;

  constructor(readonly opts: CacheWatcherOptions) {
    this.handled = opts.from;
  }

  get namespace(): string | undefined {
    return this.opts.namespace;
  }

  /** The catch-up, before the watcher is registered for live events. */
  start(catchUp: StoreEvent[]): void {
    this.backlog = catchUp.length;
    for (const ev of catchUp) this.queue.push(ev);
    this.kick();
  }

  /** A live event, from the cache's one reader. */
  offer(ev: StoreEvent): void {
    if (this.closed) return;
    this.queue.push(ev);
    const waiting = this.queue.length - this.head;
    if (waiting > this.opts.queueLimit + this.backlog) {
      this.fail(new Error(`watch closed: consumer too slow (${waiting} events waiting)`));
      return;
    }
    this.kick();
  }

  private kick(): void {
    if (this.draining || this.head >= this.queue.length) return;
    this.draining = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      // Start on a later turn: the cache's reader only queues, it never runs a handler itself.
      await yieldTurn();
      let inARow = 0;
      while (!this.closed && this.head < this.queue.length) {
        const ev = this.queue[this.head] as StoreEvent;
        this.head++;
        if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.backlog = Math.max(0, this.backlog - this.head);
          this.head = 0;
        }
        this.handling = true;
        const r = this.opts.handler(ev);
        if (r instanceof Promise) await r;
        this.handled = Number(ev.resourceVersion);
        this.handling = false;
        if (r instanceof Promise) inARow = 0;
        else if (++inARow >= BATCH) {
          inARow = 0;
          await yieldTurn();
        }
      }
    } catch (e) {
      this.handling = false;
      this.fail(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.draining = false;
    }
  }

  resourceVersion(): string {
    const idle = this.head >= this.queue.length && !this.handling;
    return String(idle ? Math.max(this.opts.cacheRv(), this.handled) : this.handled);
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
    this.queue = [];
    this.head = 0;
  }
}
