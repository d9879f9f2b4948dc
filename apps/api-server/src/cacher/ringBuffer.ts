/**
 * The watch cache's window of recent events (upstream's watchCache cyclic buffer): the newest
 * `capacity` events of one resource, in resourceVersion order.
 *
 * `coveredFrom` is the resourceVersion B the window is complete from: every event of the
 * resource with an rv in (B, newest] is in it. It starts at the rv the cache was filled at and
 * moves to the rv of each event that falls out. A watcher resuming from R >= B catches up from
 * here; one older than B goes to the change log (or gets 410 Expired there).
 */
import type { StoreEvent } from '@kubeling/store';

export class RingBuffer {
  private readonly events: (StoreEvent | undefined)[];
  private start = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    public coveredFrom: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`watch cache capacity must be a positive integer, got ${capacity}`);
    this.events = new Array<StoreEvent | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Appends `ev` (newer than everything held), dropping the oldest event when full. */
  push(ev: StoreEvent): void {
    if (this.size === this.capacity) {
      const oldest = this.events[this.start] as StoreEvent;
      this.coveredFrom = Number(oldest.resourceVersion);
      this.events[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.size--;
    }
    this.events[(this.start + this.size) % this.capacity] = ev;
    this.size++;
  }

  private at(i: number): StoreEvent {
    return this.events[(this.start + i) % this.capacity] as StoreEvent;
  }

  /** Whether every event after `rv` is here. */
  covers(rv: number): boolean {
    return rv >= this.coveredFrom;
  }

  /** The events with an rv greater than `rv`, oldest first (binary search, then a copy). */
  since(rv: number): StoreEvent[] {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (Number(this.at(mid).resourceVersion) <= rv) lo = mid + 1;
      else hi = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < this.size; i++) out.push(this.at(i));
    return out;
  }
}
