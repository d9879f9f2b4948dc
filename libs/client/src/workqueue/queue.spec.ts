import { FakeClock, settle } from '@kubeling/api/testing';
import { runWorkers, WorkQueue } from './queue';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
} from './rateLimiter';

async function getItem<T>(q: WorkQueue<T>): Promise<T> {
  const r = await q.get();
  if (r.shutdown) throw new Error('queue shut down');
  return r.item;
}

describe('WorkQueue', () => {
  it('deduplicates an item added while it waits', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await getItem(q)).toBe('a');
    expect(await getItem(q)).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('hands out items in FIFO order', async () => {
    const q = new WorkQueue<number>();
    for (const i of [3, 1, 2]) q.add(i);
    expect([await getItem(q), await getItem(q), await getItem(q)]).toEqual([3, 1, 2]);
  });

  it('queues an item re-added while processing again only after done', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const a = await getItem(q);
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0); // not handed to another worker while held
    let second: string | undefined;
    void q.get().then((r) => (second = r.item));
    await settle();
    expect(second).toBeUndefined();
    q.done(a);
    await settle();
    expect(second).toBe('a'); // once, after done
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('never gives the same key to two workers at once, and processes every last add', async () => {
    const q = new WorkQueue<string>();
    const inFlight = new Set<string>();
    const processedVersions = new Map<string, number>();
    const latest = new Map<string, number>();
    let violations = 0;
    const keys = Array.from({ length: 5 }, (_, i) => `k${i}`);
    let version = 0;
    const producer = async () => {
      for (let i = 0; i < 400; i++) {
        const k = keys[i % keys.length] as string;
        latest.set(k, ++version);
        q.add(k);
        if (i % 7 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    const workers = runWorkers({
      queue: q,
      workers: 8,
      sync: async (k) => {
        // The assertion the contract is about: nobody else holds this key right now.
        if (inFlight.has(k)) violations++;
        inFlight.add(k);
        const seen = latest.get(k) ?? 0;
        await new Promise((r) => setTimeout(r, Math.random() * 2));
        processedVersions.set(k, Math.max(processedVersions.get(k) ?? 0, seen));
        inFlight.delete(k);
      },
    });
    await producer();
    // Let the workers catch up, then drain.
    while (q.len() > 0 || inFlight.size > 0) await new Promise((r) => setTimeout(r, 5));
    await q.shutDownWithDrain();
    await workers;
    expect(violations).toBe(0);
    // Every key was processed after its last add (no add was lost to deduplication).
    for (const k of keys) expect(processedVersions.get(k)).toBe(latest.get(k));
  });

  it('wakes every waiting worker on shutDown and ignores later adds', async () => {
    const q = new WorkQueue<string>();
    const results = [q.get(), q.get(), q.get()];
    q.shutDown();
    for (const r of await Promise.all(results)) expect(r.shutdown).toBe(true);
    q.add('late');
    q.addAfter('later', 10);
    expect(q.len()).toBe(0);
    expect((await q.get()).shutdown).toBe(true);
  });

  it('still hands out queued items after shutDown, then reports shutdown', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.shutDown();
    expect(await getItem(q)).toBe('a');
    expect(await getItem(q)).toBe('b');
    expect((await q.get()).shutdown).toBe(true);
  });

  it('shutDownWithDrain resolves only when every handed-out item is done', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const a = await getItem(q);
    let drained = false;
    const p = q.shutDownWithDrain().then(() => (drained = true));
    await settle();
    expect(drained).toBe(false);
    q.done(a);
    await p;
    expect(drained).toBe(true);
  });

  describe('delays (fake clock)', () => {
    it('addAfter hands items out when due, earliest first', async () => {
      const clock = new FakeClock();
      const q = new WorkQueue<string>({ clock });
      q.addAfter('a', 30);
      q.addAfter('b', 10);
      q.addAfter('c', 20);
      q.addAfter('now', 0);
      expect(q.len()).toBe(1);
      expect(await getItem(q)).toBe('now');
      await clock.advance(9);
      expect(q.len()).toBe(0);
      await clock.advance(1);
      expect(q.len()).toBe(1);
      await clock.advance(20);
      expect([await getItem(q), await getItem(q), await getItem(q)]).toEqual(['b', 'c', 'a']);
    });

    it('keeps the earlier ready time of an item added twice', async () => {
      const clock = new FakeClock();
      const q = new WorkQueue<string>({ clock });
      q.addAfter('a', 100);
      q.addAfter('a', 10);
      q.addAfter('a', 50);
      await clock.advance(10);
      expect(q.len()).toBe(1);
      expect(await getItem(q)).toBe('a');
      await clock.advance(100);
      expect(q.len()).toBe(0);
    });

    it('fires thousands of delayed items in ready-time order, on one timer at a time', async () => {
      const clock = new FakeClock();
      const q = new WorkQueue<number>({ clock });
      // A scrambled order of ready times, several items sharing one instant.
      const n = 5000;
      for (let i = 0; i < n; i++) q.addAfter(i, 1 + ((i * 7919) % 1000));
      expect(q.waitingLen()).toBe(n);
      expect(clock.pending()).toBe(1);
      const out: number[] = [];
      for (let t = 0; t < 1000; t++) {
        await clock.advance(1);
        while (q.len()) {
          const item = await getItem(q);
          out.push(item);
          q.done(item);
        }
        expect(clock.pending()).toBeLessThanOrEqual(1);
      }
      expect(q.waitingLen()).toBe(0);
      expect(out).toHaveLength(n);
      const readyAt = (i: number) => 1 + ((i * 7919) % 1000);
      for (let k = 1; k < n; k++) {
        const a = out[k - 1]!;
        const b = out[k]!;
        // Earlier ready time first; the same instant in the order they were added.
        expect(readyAt(a) < readyAt(b) || (readyAt(a) === readyAt(b) && a < b)).toBe(true);
      }
    });

    it('an earlier addAfter of a waiting item moves it ahead of others', async () => {
      const clock = new FakeClock();
      const q = new WorkQueue<string>({ clock });
      q.addAfter('a', 100);
      q.addAfter('b', 50);
      q.addAfter('c', 80);
      q.addAfter('a', 20);
      await clock.advance(20);
      expect(q.len()).toBe(1);
      expect(await getItem(q)).toBe('a');
      await clock.advance(60);
      expect([await getItem(q), await getItem(q)]).toEqual(['b', 'c']);
      expect(q.waitingLen()).toBe(0);
    });

    it('addRateLimited backs off 5 ms, 10 ms, 20 ms ... and forget resets', async () => {
      const clock = new FakeClock();
      const q = new WorkQueue<string>({ clock });
      for (const delay of [5, 10, 20, 40]) {
        q.addRateLimited('x');
        await clock.advance(delay - 1);
        expect(q.len()).toBe(0);
        await clock.advance(1);
        expect(q.len()).toBe(1);
        q.done(await getItem(q));
      }
      expect(q.numRequeues('x')).toBe(4);
      q.forget('x');
      expect(q.numRequeues('x')).toBe(0);
      q.addRateLimited('x');
      await clock.advance(5);
      expect(q.len()).toBe(1);
    });
  });

  it('runWorkers requeues failures with backoff and forgets successes', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    let attempts = 0;
    const errors: unknown[] = [];
    const done = runWorkers({
      queue: q,
      sync: async () => {
        attempts++;
        if (attempts < 3) throw new Error(`fail ${attempts}`);
      },
      onError: (_item, e) => errors.push(e),
    });
    q.add('x');
    await settle();
    expect(attempts).toBe(1);
    await clock.advance(5);
    expect(attempts).toBe(2);
    await clock.advance(9);
    expect(attempts).toBe(2);
    await clock.advance(1);
    expect(attempts).toBe(3);
    expect(q.numRequeues('x')).toBe(0); // forgotten after success
    expect(errors).toHaveLength(2);
    q.shutDown();
    await done;
  });
});

describe('rate limiters', () => {
  it('per-item exponential: 5 ms doubling, capped at 1000 s, per item', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>();
    const seq = Array.from({ length: 25 }, () => rl.when('a'));
    expect(seq.slice(0, 6)).toEqual([5, 10, 20, 40, 80, 160]);
    // 5 ms × 2^17 = 655.36 s, × 2^18 = 1310.72 s → capped.
    expect(seq[17]).toBe(655_360);
    expect(seq[18]).toBe(1_000_000);
    expect(seq[24]).toBe(1_000_000);
    expect(rl.when('b')).toBe(5);
    expect(rl.numRequeues('a')).toBe(25);
    rl.forget('a');
    expect(rl.when('a')).toBe(5);
  });

  it('never overflows the cap after many failures', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>();
    for (let i = 0; i < 2000; i++) rl.when('a');
    expect(rl.when('a')).toBe(1_000_000);
  });

  it('bucket: a burst of 100, then 10 per second', () => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter<string>({ clock });
    for (let i = 0; i < 100; i++) expect(rl.when(`i${i}`)).toBe(0);
    expect(rl.when('x')).toBe(100);
    expect(rl.when('y')).toBe(200);
  });

  it('default controller limiter: the per-item backoff while the bucket has tokens', () => {
    const rl = defaultControllerRateLimiter<string>(new FakeClock());
    expect([rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([5, 10, 20]);
    rl.forget('a');
    expect(rl.when('a')).toBe(5);
  });
});
