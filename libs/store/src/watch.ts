/**
 * Watch fan-out: ONE blocking `XREAD` loop per Store, on its own connection, reads the change log
 * and hands each entry to every registered watcher; each watcher has its own queue, drained on
 * its own, so a slow consumer delays nobody else (and is closed once it falls `queueLimit` events
 * behind, as the watch cache drops an unresponsive watcher; its client re-watches).
 *
 * Joining at resourceVersion R without a gap or a duplicate:
 *   1. the watcher is registered while the loop has dispatched everything up to L; from then on
 *      the loop puts every event with rv > L into the watcher's buffer (dispatching one XREAD
 *      batch is synchronous, so a batch lands wholly before or wholly after the registration);
 *   2. catch-up reads the log with XRANGE from R+1 until it has passed L. Every entry <= L was
 *      in the log before registration (the loop had read it), so this covers (R, L] — unless
 *      compaction removed part of it, which READ_LOG reports atomically as Expired (410);
 *   3. the buffer is then drained, skipping every rv the catch-up already queued.
 * (R, L] ∪ (L, ∞) covers everything after R; the "skip rv <= last queued" rule makes the overlap
 * harmless, and both sources are in rv order, so the watcher sees each event once, in order.
 *
 * Progress: after each XREAD batch the loop tells every live watcher how far it has read the log
 * (P). All of that watcher's events up to P are then queued, so once its queue is drained it is
 * complete up to P: that is what `onProgress` reports and `resourceVersion()` answers.
 */
import type { Clock } from '@kubeling/api';
import { expired, internalError } from '@kubeling/api';
import type { Redis } from 'ioredis';
import type { LogEntry } from './changeLog';
import { parseLogEntry } from './changeLog';
import { rvOfLogId } from './codec';
import { Delivery } from './delivery';
import type { StoreEvent, Watch, WatchHandler, WatchOptions } from './types';

/** Entries read per XRANGE page while catching up, and per XREAD. */
const PAGE = 500;
/** How long one XREAD blocks before the loop looks at `closed` again. */
const BLOCK_MS = 2_000;
/** Wait before retrying a failed XREAD (ioredis reconnects meanwhile). */
const RETRY_MS = 250;

export type ReadLogResult = { entries: LogEntry[] } | { compacted: number };

export interface WatchHubDeps {
  logKey: string;
  /** A new connection for the blocking XREAD; the hub owns and closes it. */
  connect(): Redis;
  currentRv(): Promise<number>;
  /** Entries with rv > after (at most `count`), or the compacted rv when after is older. */
  readLog(after: number, count: number): Promise<ReadLogResult>;
  queueLimit: number;
  clock: Clock;
}

class Watcher implements Watch {
  /** Live events that arrive while catching up; undefined once live. */
  private buffer: StoreEvent[] | undefined = [];
  private readonly delivery: Delivery;
  /** Highest rv already queued or passed over; anything at or below it is a duplicate. */
  private last: number;
  private roomWaiters: (() => void)[] = [];
  /** Set once watch() has resolved; before that a failure rejects watch() instead of onClose. */
  private live = false;
  /** How far the loop had read the log at its last progress report to this (live) watcher. */
  private seen = 0;
  private reported = 0;
  closed = false;
  closeReason: Error | undefined;

  constructor(
    private readonly hub: WatchHub,
    private readonly resources: Set<string> | undefined,
    from: number,
    handler: WatchHandler,
    private readonly onClose: ((err?: Error) => void) | undefined,
    private readonly queueLimit: number,
    private readonly onProgress: ((rv: string) => void) | undefined,
  ) {
    this.last = from;
    this.delivery = new Delivery({
      handler,
      from,
      failed: (err) => this.fail(err),
      afterEach: () => this.wakeRoomWaiters(),
      // Everything queued is handled: the watcher is complete up to the loop's position.
      drained: () => {
        if (this.onProgress && this.seen > this.reported) {
          this.reported = this.seen;
          this.onProgress(String(this.seen));
        }
      },
    });
  }

  private matches(ev: StoreEvent): boolean {
    return this.resources === undefined || this.resources.has(ev.resource);
  }

  private pending(): number {
    return this.delivery.waiting + (this.buffer?.length ?? 0);
  }

  /** From the XREAD loop, in rv order. */
  offer(ev: StoreEvent): void {
    if (this.closed || !this.matches(ev)) return;
    if (this.buffer) this.buffer.push(ev);
    else this.accept(ev);
    if (this.pending() > this.queueLimit) {
      this.fail(new Error(`watch closed: consumer too slow (${this.pending()} events waiting)`));
    }
  }

  /** Queues `ev` unless an event with that rv was already queued (catch-up, then buffer). */
  accept(ev: StoreEvent): void {
    const rv = Number(ev.resourceVersion);
    if (this.closed || rv <= this.last) return;
    this.last = rv;
    if (!this.matches(ev)) return;
    this.delivery.push(ev);
  }

  /** Ends catch-up: buffered live events follow the history, minus what the history held. */
  goLive(): void {
    this.live = true;
    const buffered = this.buffer ?? [];
    this.buffer = undefined;
    for (const ev of buffered) this.accept(ev);
  }

  /** From the XREAD loop after each batch (and at goLive): the log is read up to `rv`. */
  progress(rv: number): void {
    if (this.closed || this.buffer !== undefined || rv <= this.seen) return;
    this.seen = rv;
    if (this.onProgress) this.delivery.kick();
  }

  resourceVersion(): string {
    const { handled } = this.delivery;
    const idle = this.buffer === undefined && this.delivery.idle;
    return String(idle ? Math.max(this.seen, handled) : handled);
  }

  /** Catch-up waits here so it never queues more than about two pages ahead of the consumer. */
  waitForRoom(): Promise<void> {
    if (this.closed || this.delivery.waiting <= PAGE) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private wakeRoomWaiters(): void {
    if (this.roomWaiters.length === 0) return;
    if (!this.closed && this.delivery.waiting > PAGE) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  stop(): void {
    this.end(undefined);
  }

  /** Ends the watch on its own account and tells the consumer why. */
  fail(err: Error | undefined): void {
    if (this.closed) return;
    this.end(err);
    if (!this.live) return;
    try {
      this.onClose?.(err);
    } catch {
      // The consumer's close handler failing must not break the loop that called us.
    }
  }

  private end(err: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = err;
    this.hub.unregister(this);
    this.delivery.close();
    this.buffer = undefined;
    this.wakeRoomWaiters();
  }
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  /** Highest rv the loop has dispatched. */
  private position = 0;
  private started: Promise<void> | undefined;
  private conn: Redis | undefined;
  private loopDone: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly deps: WatchHubDeps) {}

  async watch(opts: WatchOptions, from: number, handler: WatchHandler): Promise<Watch> {
    if (this.closed) throw new Error('store is closed');
    await this.start();
    const w = new Watcher(
      this,
      opts.resources ? new Set(opts.resources) : undefined,
      from,
      handler,
      opts.onClose,
      opts.queueLimit ?? this.deps.queueLimit,
      opts.onProgress,
    );
    if (opts.signal) {
      if (opts.signal.aborted) w.stop();
      else opts.signal.addEventListener('abort', () => w.stop(), { once: true });
    }
    // Register first (see the module comment): from here the loop buffers every event > L.
    const registeredAt = this.position;
    this.watchers.add(w);
    try {
      await this.catchUp(w, from, registeredAt);
    } catch (e) {
      w.stop();
      throw e;
    }
    if (w.closed)
      throw w.closeReason ?? new Error(this.closed ? 'store is closed' : 'watch stopped');
    w.goLive();
    w.progress(this.position);
    return w;
  }

  private async catchUp(w: Watcher, from: number, until: number): Promise<void> {
    let after = from;
    for (;;) {
      const page = await this.deps.readLog(after, PAGE);
      if ('compacted' in page) {
        // The watch cache's message for a resourceVersion older than its window: the second
        // number is the oldest resourceVersion a watch can still start from.
        throw expired(`too old resource version: ${from} (${page.compacted + 1})`);
      }
      if (w.closed) return;
      for (const entry of page.entries) {
        w.accept(parseLogEntry(entry));
        after = rvOfLogId(entry[0]);
      }
      if (page.entries.length < PAGE || after >= until) return;
      await w.waitForRoom();
      if (w.closed) return;
    }
  }

  unregister(w: Watcher): void {
    this.watchers.delete(w);
  }

  /** Starts the loop once, at the current rv: everything after it is read live. */
  private start(): Promise<void> {
    this.started ??= (async () => {
      try {
        this.position = await this.deps.currentRv();
      } catch (e) {
        this.started = undefined;
        throw e;
      }
      const conn = this.deps.connect();
      this.conn = conn;
      this.loopDone = this.loop(conn);
    })();
    return this.started;
  }

  private async loop(conn: Redis): Promise<void> {
    while (!this.closed) {
      let reply: [key: string, items: [id: string, fields: string[]][]][] | null;
      try {
        reply = await conn.xread(
          'COUNT',
          PAGE,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.deps.logKey,
          `${this.position}-1`,
        );
      } catch {
        if (this.closed) return;
        // Redis went away: keep the position and retry; ioredis reconnects meanwhile. If the log
        // was compacted past us in between, dispatch() sees the hole and expires the watchers.
        await new Promise<void>((resolve) => this.deps.clock.setTimer(resolve, RETRY_MS));
        continue;
      }
      if (this.closed) return;
      for (const [, entries] of reply ?? []) {
        for (const entry of entries) this.dispatch(entry);
      }
      if (reply) for (const w of this.watchers) w.progress(this.position);
    }
  }

  private dispatch(entry: LogEntry): void {
    const rv = rvOfLogId(entry[0]);
    if (rv <= this.position) return;
    if (rv !== this.position + 1) {
      // Log ids are consecutive (scripts.ts), so a hole means compaction trimmed entries this loop
      // had not read yet: every current watcher has missed them and must start over.
      const err = expired(`too old resource version: ${this.position} (${rv})`);
      for (const w of [...this.watchers]) w.fail(err);
    }
    this.position = rv;
    let ev: StoreEvent;
    try {
      ev = parseLogEntry(entry);
    } catch (e) {
      const err = internalError(e);
      for (const w of [...this.watchers]) w.fail(err);
      return;
    }
    for (const w of this.watchers) w.offer(ev);
  }

  /** Ends every watcher (onClose without an error) and the loop. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.watchers]) w.fail(undefined);
    if (this.started) await this.started.catch(() => undefined);
    // disconnect() rejects the pending XREAD at once; quit() would wait for its BLOCK to end.
    this.conn?.disconnect();
    await this.loopDone;
  }
}
