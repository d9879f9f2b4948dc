/**
 * One store read shared by the consistent LISTs that wait for it, without giving up consistency.
 *
 * A consistent LIST (resourceVersion "") must see every write acknowledged before it arrived, so
 * it needs the store's current resourceVersion read *after* it arrived. Concurrent LISTs could
 * each pay a Redis round trip for it; here a caller that arrives while a read is in flight does
 * not join that read (it may have been answered before the caller's write) but the next one,
 * which starts as soon as the in-flight one ends and serves everyone who queued meanwhile. Under
 * N concurrent LISTs that is about two reads in flight at any time instead of N.
 */
export class FreshRead<T> {
  private current: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  /** A value read after this call was made. */
  get(): Promise<T> {
    if (!this.current) return this.start();
    this.next ??= this.current.then(settled, settled).then(() => {
      this.next = undefined;
      return this.start();
    });
    return this.next;
  }

  private start(): Promise<T> {
    const p = this.read();
    this.current = p;
    const clear = (): void => {
      if (this.current === p) this.current = undefined;
    };
    p.then(clear, clear);
    return p;
  }
}

function settled(): void {}
