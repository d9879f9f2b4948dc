import { spawn } from 'node:child_process';
import { processStartTicks, processState, stopProcessGroups } from './processes';

describe('processState', () => {
  it('knows a running process by pid and start time', () => {
    const ticks = processStartTicks(process.pid);
    expect(ticks).toMatch(/^\d+$/);
    expect(processState(process.pid)).toBe('running');
    expect(processState(process.pid, ticks)).toBe('running');
  });

  it('treats a pid with another start time as a different (reused) process', () => {
    expect(processState(process.pid, '1')).toBe('exited');
  });

  it('treats a missing pid as exited', () => {
    expect(processState(2 ** 22 + 7)).toBe('exited');
  });
});

describe('stopProcessGroups', () => {
  function detachedSleep(): number {
    const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    child.unref();
    if (child.pid === undefined) throw new Error('no pid');
    return child.pid;
  }

  it('terminates running groups and reports pids already gone', async () => {
    const pid = detachedSleep();
    const results = await stopProcessGroups(
      [
        { id: 'a', pid, startTicks: processStartTicks(pid) ?? '' },
        { id: 'b', pid: 2 ** 22 + 7 },
      ],
      { graceMs: 5000, pollMs: 20 },
    );
    expect(results).toEqual([
      { id: 'a', pid, outcome: 'terminated' },
      { id: 'b', pid: 2 ** 22 + 7, outcome: 'gone' },
    ]);
    expect(processState(pid)).toBe('exited');
  });

  it('does not signal a reused pid', async () => {
    const pid = detachedSleep();
    try {
      const [r] = await stopProcessGroups([{ id: 'a', pid, startTicks: '1' }], {
        graceMs: 100,
        pollMs: 20,
      });
      expect(r?.outcome).toBe('gone');
      expect(processState(pid)).toBe('running');
    } finally {
      process.kill(-pid, 'SIGKILL');
    }
  });
});
