/** Runs a command to completion with captured output and a hard timeout. */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface RunResult {
  /** Exit code; 128 + signal number when a signal ended it (as a shell reports it). */
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  stdin?: string;
  timeoutMs: number;
}

export function runProcess(
  file: string,
  args: readonly string[],
  opts: RunOptions,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout also kills what it started (the kubectl dispatcher
    // runs the versioned kubectl as a child).
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => undefined); // EPIPE when it exits without reading stdin
    child.stdin.end(opts.stdin ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const bySignal = signal ? 128 + (constants.signals[signal] ?? 0) : undefined;
      resolve({ code: code ?? bySignal ?? 1, stdout, stderr, timedOut });
    });
  });
}
