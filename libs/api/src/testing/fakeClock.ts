/**
 * The clock for tests (k8s.io/utils/clock/testing FakeClock): time stands still until `advance`
 * moves it, firing due timers in time order. Between timers it lets pending promise callbacks
 * and I/O callbacks run, so async code woken by a timer (a retry loop, a lease renewal) gets to
 * its next await before time moves on.
 */
import type { CancelTimer, Clock } from '../meta/time';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets queued microtasks and setImmediate callbacks run (a few rounds, for await chains). */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): CancelTimer {
    const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Timers still scheduled. */
  pending(): number {
    return this.timers.length;
  }

  /** When the next timer fires, if any. */
  nextAt(): number | undefined {
    return this.earliest()?.at;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.at);
      next.fn();
      await settle();
    }
    this.t = target;
    await settle();
  }

  /** Moves time to the next timer and fires it (and any due at the same instant). */
  async step(): Promise<void> {
    const at = this.nextAt();
    if (at !== undefined) await this.advance(at - this.t);
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const x of this.timers)
      if (!best || x.at < best.at || (x.at === best.at && x.seq < best.seq)) best = x;
    return best;
  }
}
