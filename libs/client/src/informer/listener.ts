/**
 * One registered handler of a shared informer (client-go's processorListener): its own
 * unbounded buffer of notifications, delivered one at a time in order, so a slow or failing
 * handler delays only itself and never the informer or the other handlers.
 */
import type { CancelTimer, Clock } from '@kubeling/api';

/** A delete whose final state was missed (found during a relist): the last state this cache saw. */
export interface DeletedFinalStateUnknown<T> {
  kind: 'DeletedFinalStateUnknown';
  key: string;
  obj: T;
}

export function isTombstone<T>(
  v: T | DeletedFinalStateUnknown<T>,
): v is DeletedFinalStateUnknown<T> {
  return (v as { kind?: unknown }).kind === 'DeletedFinalStateUnknown';
}

/** The object of a delete notification, whether it came with its final state or as a tombstone. */
export function lastKnownState<T>(v: T | DeletedFinalStateUnknown<T>): T {
  return isTombstone(v) ? v.obj : v;
}

export interface EventHandler<T> {
  /** isInInitialList: part of the state when the handler was registered or the first list. */
  onAdd?(obj: T, isInInitialList: boolean): void | Promise<void>;
  /** Also called on resync (and then oldObj === newObj). */
  onUpdate?(oldObj: T, newObj: T): void | Promise<void>;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void | Promise<void>;
}

export type Notification<T> =
  | { type: 'add'; obj: T; initial: boolean }
  | { type: 'update'; old: T; obj: T }
  | { type: 'delete'; obj: T | DeletedFinalStateUnknown<T> }
  /** Marks the end of the handler's initial notifications. */
  | { type: 'synced' };

export interface HandlerRegistration {
  /** The handler has been given (and has handled) every object of the initial state. */
  hasSynced(): boolean;
  /** Unregisters the handler; notifications not yet delivered are dropped. */
  remove(): void;
}

export class Listener<T> implements HandlerRegistration {
  private readonly buffer: Notification<T>[] = [];
  private running = false;
  private stopped = false;
  private synced = false;
  private resyncTimer: CancelTimer | undefined;

  constructor(
    private readonly handler: EventHandler<T>,
    private readonly onError: (e: unknown) => void,
    private readonly onRemove: (l: Listener<T>) => void,
    readonly resyncPeriodMs: number,
  ) {}

  push(n: Notification<T>): void {
    if (this.stopped) return;
    this.buffer.push(n);
    if (!this.running) void this.drain();
  }

  hasSynced(): boolean {
    return this.synced;
  }

  remove(): void {
    this.stop();
    this.onRemove(this);
  }

  stop(): void {
    this.stopped = true;
    this.buffer.length = 0;
    this.resyncTimer?.();
  }

  /** Calls `tick` every resyncPeriodMs until stopped (no-op for a period of 0). */
  startResync(clock: Clock, tick: () => void): void {
    if (this.resyncPeriodMs <= 0 || this.stopped) return;
    const arm = () => {
      this.resyncTimer = clock.setTimer(() => {
        if (this.stopped) return;
        tick();
        arm();
      }, this.resyncPeriodMs);
    };
    arm();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped && this.buffer.length) {
        const n = this.buffer.shift() as Notification<T>;
        try {
          switch (n.type) {
            case 'add':
              await this.handler.onAdd?.(n.obj, n.initial);
              break;
            case 'update':
              await this.handler.onUpdate?.(n.old, n.obj);
              break;
            case 'delete':
              await this.handler.onDelete?.(n.obj);
              break;
            case 'synced':
              this.synced = true;
              break;
          }
        } catch (e) {
          this.onError(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
