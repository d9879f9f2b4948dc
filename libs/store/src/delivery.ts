/**
 * The delivery half of a watcher, shared by the store's watchers and the api-server's watch
 * cache watchers: events queued in resourceVersion order are handed to the handler one at a
 * time, on the watcher's own loop, so a slow consumer delays nobody else.
 *
 * - A drain starts on a later turn: the reader that queues (the XREAD loop, the cache's reader)
 *   never runs a handler itself.
 * - A synchronous handler gets BATCH events in a row, then the loop yields, so one busy watcher
 *   does not starve the others; an async handler is awaited before the next event.
 * - A handler that throws ends the delivery: `failed` is told, and the watcher closes.
 */
import { setImmediate as yieldTurn } from 'node:timers/promises';
import type { StoreEvent, WatchHandler } from './types';

/** Sync handlers get this many events in a row before the loop yields to the others. */
const BATCH = 100;

export interface DeliveryOptions {
  handler: WatchHandler;
  /** The resourceVersion the watcher starts after: what `handled` is before any event. */
  from: number;
  failed(err: Error): void;
  /** After each event's handler finished. */
  afterEach?(): void;
  /** When a drain has handed over everything queued (also after a `kick` with nothing queued). */
  drained?(): void;
}

export class Delivery {
  private queue: StoreEvent[] = [];
  private head = 0;
  private draining = false;
  private handling = false;
  private closed = false;
  /** rv of the last event whose handler finished (or `from`). */
  handled: number;
  /** How many events the handler has been given. */
  delivered = 0;

  constructor(private readonly opts: DeliveryOptions) {
    this.handled = opts.from;
  }

  /** Events queued and not yet handed to the handler. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Nothing queued and no handler running. */
  get idle(): boolean {
    return this.head >= this.queue.length && !this.handling;
  }

  push(ev: StoreEvent): void {
    if (this.closed) return;
    this.queue.push(ev);
    this.kick();
  }

  /** Starts a drain unless one is running (which calls `drained` when it ends anyway). */
  kick(): void {
    if (this.closed || this.draining) return;
    this.draining = true;
    void this.drain();
  }

  /** Drops what is queued; nothing more is handed over. */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.head = 0;
  }

  private async drain(): Promise<void> {
    try {
      await yieldTurn();
      let inARow = 0;
      while (!this.closed && this.head < this.queue.length) {
        const ev = this.queue[this.head] as StoreEvent;
        this.head++;
        // Drop the handled prefix now and then, so a long-lived queue does not grow forever.
        if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        this.handling = true;
        const r = this.opts.handler(ev);
        if (r instanceof Promise) {
          await r;
          inARow = 0;
          this.finished(ev);
        } else {
          this.finished(ev);
          if (++inARow >= BATCH) {
            inARow = 0;
            await yieldTurn();
          }
        }
        this.opts.afterEach?.();
      }
      if (!this.closed) this.opts.drained?.();
    } catch (e) {
      this.handling = false;
      this.opts.failed(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.draining = false;
    }
  }

  private finished(ev: StoreEvent): void {
    this.handled = Number(ev.resourceVersion);
    this.handling = false;
    this.delivered++;
  }
}
