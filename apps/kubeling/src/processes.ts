/**
 * Component processes: started detached, each the leader of its own process group (so the
 * group id is its pid), with stdout and stderr appended to its log file. Stopping signals the
 * whole group, so anything a component started itself (pod processes of a kubelet) goes too.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type { Clock } from '@kubeling/api';
import { realClock, sleep } from '@kubeling/api';

export interface SpawnRequest {
  command: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

/** Starts the command in the background; the caller's exit does not affect it. */
export function spawnDetached(req: SpawnRequest): Promise<number> {
  const [file, ...args] = req.command;
  if (file === undefined) return Promise.reject(new Error('empty command'));
  const log = fs.openSync(req.logFile, 'a');
  try {
    const child = spawn(file, args, {
      cwd: req.cwd,
      env: req.env,
      detached: true, // setsid(): own session and process group, no controlling terminal
      stdio: ['ignore', log, log],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        child.removeListener('error', reject);
        // Ignore later errors: the process is watched through its pid from here on.
        child.on('error', () => undefined);
        child.unref();
        if (child.pid === undefined) reject(new Error(`could not start ${file}`));
        else resolve(child.pid);
      });
    });
  } finally {
    fs.closeSync(log); // the child holds its own copy of the descriptor
  }
}

export type ProcessState = 'running' | 'exited';

/**
 * Whether pid is still the process we started. A zombie counts as exited; so does a pid whose
 * start time differs from the one recorded at spawn (the pid was reused after a reboot or a
 * crash) — the (pid, start time) pair identifies a process for good, unlike its command line,
 * which a process may rewrite (process.title). Without /proc (macOS) only the existence of the
 * pid can be checked.
 */
export function processState(pid: number, startTicks?: string): ProcessState {
  const stat = readProcStat(pid);
  if (stat === 'no-procfs') return signalZero(pid) ? 'running' : 'exited';
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return 'exited';
  if (startTicks !== undefined && stat.startTicks !== startTicks) return 'exited';
  return 'running';
}

/** The process's start time (clock ticks since boot, /proc/<pid>/stat field 22); undefined without /proc. */
export function processStartTicks(pid: number): string | undefined {
  const stat = readProcStat(pid);
  return stat === undefined || stat === 'no-procfs' ? undefined : stat.startTicks;
}

/** Whether any live (non-zombie) process is left in the process group. */
export function groupAlive(pgid: number): boolean {
  if (!signalZero(-pgid)) return false;
  if (!hasProcfs()) return true;
  for (const name of safeReaddir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (
      stat !== undefined &&
      stat !== 'no-procfs' &&
      stat.pgrp === pgid &&
      stat.state !== 'Z' &&
      stat.state !== 'X'
    ) {
      return true;
    }
  }
  return false;
}

export interface StopTarget {
  id: string;
  pid: number;
  startTicks?: string;
}

export interface StopResult {
  id: string;
  pid: number;
  /** gone: was not running; terminated: left on SIGTERM; killed: needed SIGKILL; survived: even that failed. */
  outcome: 'gone' | 'terminated' | 'killed' | 'survived';
}

export interface StopOptions {
  graceMs: number;
  pollMs?: number;
  /** Tells the time and sleeps between polls; default realClock. */
  clock?: Clock;
}

/**
 * SIGTERM to every group, wait up to graceMs for them to leave, SIGKILL the rest — the same
 * TERM-then-KILL sequence the kubelet uses for a container's termination grace period.
 */
export async function stopProcessGroups(
  targets: readonly StopTarget[],
  opts: StopOptions,
): Promise<StopResult[]> {
  const clock = opts.clock ?? realClock;
  const pollMs = opts.pollMs ?? 100;
  const results = new Map<StopTarget, StopResult['outcome']>();
  const pending: StopTarget[] = [];
  for (const t of targets) {
    // Signal a group whose leader is still our process, or whose leader exited but left members
    // behind (Linux never hands out a pid equal to a live group id, so those members are ours).
    // A pid now used by an unrelated process is left alone.
    if (
      processState(t.pid, t.startTicks) === 'exited' &&
      !(leaderGone(t.pid) && groupAlive(t.pid))
    ) {
      results.set(t, 'gone');
      continue;
    }
    signalGroup(t.pid, 'SIGTERM');
    pending.push(t);
  }
  const deadline = clock.now() + opts.graceMs;
  let waiting = pending;
  while (waiting.length > 0 && clock.now() < deadline) {
    await sleep(clock, pollMs);
    waiting = waiting.filter((t) => groupAlive(t.pid));
  }
  for (const t of pending) {
    if (!waiting.includes(t)) {
      results.set(t, 'terminated');
      continue;
    }
    signalGroup(t.pid, 'SIGKILL');
    results.set(t, 'killed');
  }
  // SIGKILL cannot be ignored, but the kernel needs a moment to tear the processes down.
  const killDeadline = clock.now() + 2000;
  let survivors = waiting;
  while (survivors.length > 0 && clock.now() < killDeadline) {
    await sleep(clock, Math.min(pollMs, 50));
    survivors = survivors.filter((t) => groupAlive(t.pid));
  }
  for (const t of survivors) results.set(t, 'survived');
  return targets.map((t) => ({ id: t.id, pid: t.pid, outcome: results.get(t) ?? 'gone' }));
}

/** True when no running process has this pid (it exited, is a zombie, or there is no /proc). */
function leaderGone(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat === undefined || stat === 'no-procfs' || stat.state === 'Z' || stat.state === 'X';
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let procfs: boolean | undefined;
function hasProcfs(): boolean {
  procfs ??= fs.existsSync('/proc/self/stat');
  return procfs;
}

interface ProcStat {
  state: string;
  pgrp: number;
  startTicks: string;
}

function readProcStat(pid: number): ProcStat | undefined | 'no-procfs' {
  if (!hasProcfs()) return 'no-procfs';
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 of proc(5) (state): pgrp is field 5, starttime field 22.
  return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTicks: fields[19] ?? '' };
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
