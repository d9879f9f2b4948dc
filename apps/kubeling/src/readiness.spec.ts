import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeClock, settle } from '@kubeling/api/testing';
import type { WaitOptions, WaitResult } from './readiness';
import { logHasLine, logTail, waitUntilReady } from './readiness';

/** Runs waitUntilReady on a FakeClock at 0, moving time only to the loop's next wake-up. */
async function waitOn(clock: FakeClock, opts: Omit<WaitOptions, 'clock'>): Promise<WaitResult> {
  let done = false;
  const result = waitUntilReady({ ...opts, clock }).finally(() => {
    done = true;
  });
  while (!done) {
    await clock.step();
    await settle();
  }
  return result;
}

describe('waitUntilReady', () => {
  it('is ready as soon as the check passes', async () => {
    const clock = new FakeClock(0);
    let calls = 0;
    const result = await waitOn(clock, {
      check: async () => ++calls === 3,
      alive: () => true,
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    expect(result).toBe('ready');
    expect(clock.now()).toBe(400);
  });

  it('times out at the deadline', async () => {
    const clock = new FakeClock(0);
    const result = await waitOn(clock, {
      check: async () => false,
      alive: () => true,
      timeoutMs: 30_000,
    });
    expect(result).toBe('timeout');
    expect(clock.now()).toBe(30_000);
  });

  it('stops early when the process died, even if it had said ready', async () => {
    const clock = new FakeClock(0);
    let alive = true;
    const result = await waitOn(clock, {
      check: async () => {
        alive = false;
        return false;
      },
      alive: () => alive,
      timeoutMs: 30_000,
    });
    expect(result).toBe('exited');
    expect(clock.now()).toBe(200);
    expect(await waitOn(clock, { check: async () => true, alive: () => false, timeoutMs: 1 })).toBe(
      'exited',
    );
  });

  it('returns aborted when the signal fires', async () => {
    const abort = new AbortController();
    const clock = new FakeClock(0);
    const result = await waitOn(clock, {
      check: async () => {
        abort.abort();
        return false;
      },
      alive: () => true,
      timeoutMs: 30_000,
      signal: abort.signal,
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
