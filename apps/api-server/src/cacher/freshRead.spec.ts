import { FreshRead } from './freshRead';

/** A read the test answers by hand, recording when each one started. */
function manualReads() {
  const started: Array<{ resolve: (v: number) => void; reject: (e: Error) => void }> = [];
  const read = () =>
    new Promise<number>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { started, read };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('FreshRead', () => {
  it('starts a read at once when none is in flight', async () => {
    const { started, read } = manualReads();
    const fresh = new FreshRead(read);
    const a = fresh.get();
    expect(started).toHaveLength(1);
    started[0]!.resolve(1);
    await expect(a).resolves.toBe(1);
  });

  it('never hands a caller a read that started before it asked; later callers share the next one', async () => {
    const { started, read } = manualReads();
    const fresh = new FreshRead(read);
    const first = fresh.get();
    // Arrive while the first read is in flight: it may already have been answered by the store.
    const second = fresh.get();
    const third = fresh.get();
    expect(started).toHaveLength(1);
    started[0]!.resolve(1);
    await expect(first).resolves.toBe(1);
    await flush();
    expect(started).toHaveLength(2); // one more read, shared by second and third
    started[1]!.resolve(2);
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(2);
  });

  it('passes a failed read to its callers and recovers', async () => {
    const { started, read } = manualReads();
    const fresh = new FreshRead(read);
    const first = fresh.get();
    const queued = fresh.get();
    started[0]!.reject(new Error('redis down'));
    await expect(first).rejects.toThrow('redis down');
    await flush();
    started[1]!.resolve(7);
    await expect(queued).resolves.toBe(7);
    const later = fresh.get();
    expect(started).toHaveLength(3);
    started[2]!.resolve(8);
    await expect(later).resolves.toBe(8);
  });
});
