import { slowStartBatch } from './slowStart';

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, ... up to the count', async () => {
    const batches: number[] = [];
    let inFlight = 0;
    const r = await slowStartBatch(10, 1, async () => {
      inFlight++;
      batches.push(inFlight);
      await Promise.resolve();
      inFlight--;
    });
    expect(r).toEqual({ successes: 10, error: undefined });
    // The largest concurrency seen per batch: 1, 2, 4, then the remaining 3.
    expect(Math.max(...batches)).toBe(4);
  });

  it('stops after the first batch with a failure', async () => {
    let calls = 0;
    const r = await slowStartBatch(500, 1, async () => {
      calls++;
      if (calls > 3) throw new Error('quota exceeded');
    });
    // Batches 1 and 2 succeed (3 calls); the batch of 4 has failures; nothing after it runs.
    expect(calls).toBe(7);
    expect(r.successes).toBe(3);
    expect((r.error as Error).message).toBe('quota exceeded');
  });
});
