/**
 * Whether a process is really alive. A process that exited but was never reaped (a zombie)
 * still answers kill(pid, 0); on machines whose PID 1 does not reap orphans — this project's
 * sandbox is one — every stopped component of a cluster stays a zombie, so tests must read
 * /proc instead.
 */
import * as fs from 'node:fs';

export function processAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync('/proc/self/stat'))
      return false;
    try {
      process.kill(pid, 0); // no /proc (macOS)
      return true;
    } catch {
      return false;
    }
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  return state !== 'Z' && state !== 'X';
}
