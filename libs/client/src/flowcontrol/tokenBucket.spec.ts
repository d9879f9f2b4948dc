import { isStatusError, notFound } from '@kubeling/api';
import { FakeClock, settle } from '@kubeling/api/testing';
import { TokenBucket } from './tokenBucket';

describe('TokenBucket (fake clock)', () => {
  it('starts full, allows a burst, then refills at qps', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 5, burst: 10, clock });
    for (let i = 0; i < 10; i++) expect(b.tryAccept()).toBe(true);
    expect(b.tryAccept()).toBe(false);
    await clock.advance(199);
    expect(b.tryAccept()).toBe(false);
    await clock.advance(1);
    expect(b.tryAccept()).toBe(true);
    // Never more than the burst, however long it stayed idle.
    await clock.advance(3_600_000);
    expect(b.available()).toBe(10);
  });

  it('reserve goes into debt and says when each token is due', () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 10, burst: 2, clock });
    expect([b.reserve(), b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 100, 200]);
    b.cancel();
    expect(b.reserve()).toBe(200);
  });

  it('wait resolves when the token is due, in order', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 5, burst: 1, clock });
    const done: number[] = [];
    for (let i = 0; i < 3; i++) void b.wait().then(() => done.push(clock.now()));
    await settle();
    const t0 = clock.now();
    expect(done).toEqual([t0]);
    await clock.advance(200);
    await clock.advance(200);
    expect(done.map((t) => t - t0)).toEqual([0, 200, 400]);
  });

  it('wait fails at once, giving the token back, when it would pass the deadline', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 1, burst: 1, clock });
    await b.wait();
    const e = await b.wait({ deadline: clock.now() + 500 }).catch((x: unknown) => x);
    expect(isStatusError(e) && e.code).toBe(504);
    expect((e as Error).message).toMatch(/would exceed context deadline/);
    // The refused wait took nothing: the next token is still due in 1 s.
    expect(b.reserve()).toBe(1000);
  });

  it('wait ends when its signal aborts, with the reason, and returns the token', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ qps: 1, burst: 1, clock });
    await b.wait();
    const ac = new AbortController();
    const p = b.wait({ signal: ac.signal }).catch((x: unknown) => x);
    await clock.advance(100);
    const reason = notFound({ group: '', resource: 'pods' }, 'x');
    ac.abort(reason);
    expect(await p).toBe(reason);
    expect(b.reserve()).toBe(900);
  });

  it('refuses a non-positive qps (unlimited is no bucket at all)', () => {
    expect(() => new TokenBucket({ qps: 0, burst: 1 })).toThrow('qps must be > 0');
  });
});
