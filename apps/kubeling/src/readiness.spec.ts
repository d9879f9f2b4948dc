import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logHasLine, logTail, waitUntilReady } from './readiness';

/** A clock that only moves when the code under test sleeps. */
function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('waitUntilReady', () => {
  it('is ready as soon as the check passes', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await waitUntilReady({
      check: async () => ++calls === 3,
      alive: () => true,
      timeoutMs: 30_000,
      intervalMs: 200,
      ...clock,
    });
    expect(result).toBe('ready');
    expect(clock.now()).toBe(400);
  });

  it('times out at the deadline', async () => {
    const clock = fakeClock();
    const result = await waitUntilReady({
      check: async () => false,
      alive: () => true,
      timeoutMs: 30_000,
      ...clock,
    });
    expect(result).toBe('timeout');
    expect(clock.now()).toBe(30_000);
  });

  it('stops early when the process died, even if it had said ready', async () => {
    const clock = fakeClock();
    let alive = true;
    const result = await waitUntilReady({
      check: async () => {
        alive = false;
        return false;
      },
      alive: () => alive,
      timeoutMs: 30_000,
      ...clock,
    });
    expect(result).toBe('exited');
    expect(clock.now()).toBe(200);
    expect(
      await waitUntilReady({ check: async () => true, alive: () => false, timeoutMs: 1, ...clock }),
    ).toBe('exited');
  });

  it('returns aborted when the signal fires', async () => {
    const abort = new AbortController();
    const clock = fakeClock();
    const result = await waitUntilReady({
      check: async () => {
        abort.abort();
        return false;
      },
      alive: () => true,
      timeoutMs: 30_000,
      signal: abort.signal,
      ...clock,
    });
    expect(result).toBe('aborted');
  });
});

describe('log helpers', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-readiness-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('tails the last lines and finds a ready line', () => {
    const file = path.join(dir, 'c.log');
    fs.writeFileSync(
      file,
      Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\nready\n',
    );
    expect(logTail(file, 3)).toEqual(['line 98', 'line 99', 'ready']);
    expect(logHasLine(file, '^ready$')).toBe(true);
    expect(logHasLine(file, '^line 100$')).toBe(false);
    expect(logTail(path.join(dir, 'missing.log'))).toEqual([]);
    expect(logHasLine(path.join(dir, 'missing.log'), 'x')).toBe(false);
  });
});
