/**
 * Readiness: `up` waits for each instance the way the kubelet runs a readiness probe — poll
 * until it succeeds, give up at a deadline, and stop early when the process has died.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { Clock } from '@kubeling/api';
import { realClock, sleep } from '@kubeling/api';
import type { Readiness } from './components';
import { LOCAL_HOST } from './components';

/** GET url; resolves to the status code, or undefined on a connection error or timeout. */
export function httpStatus(url: string, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    // agent:false + Connection: close so no keep-alive socket outlives the probe.
    const req = http.get(
      url,
      { agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode));
        res.once('error', () => resolve(res.statusCode));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', () => resolve(undefined));
  });
}

/** GET url and parse the body as JSON; undefined on any failure. */
export function httpJson(url: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const req = http.get(
      url,
      { agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.once('end', () => {
          try {
            resolve(JSON.parse(body) as unknown);
          } catch {
            resolve(undefined);
          }
        });
        res.once('error', () => resolve(undefined));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', () => resolve(undefined));
  });
}

/** Reads the file's last `lines` lines (at most the last 64 KiB of it). */
export function logTail(file: string, lines = 20): string[] {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(length);
    fs.readSync(fd, buf, 0, length, size - length);
    const all = buf.toString('utf8').split('\n');
    if (all[all.length - 1] === '') all.pop();
    return all.slice(-lines);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function logHasLine(file: string, pattern: string): boolean {
  const re = new RegExp(pattern);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  return text.split('\n').some((line) => re.test(line));
}

/** One readiness check of an instance. */
export async function checkReady(
  readiness: Readiness,
  target: { port?: number; log: string },
  timeoutMs = 1000,
): Promise<boolean> {
  if (readiness.kind === 'stdout') return logHasLine(target.log, readiness.line);
  if (target.port === undefined) return false;
  const code = await httpStatus(`http://${LOCAL_HOST}:${target.port}${readiness.path}`, timeoutMs);
  return code === 200;
}

export type WaitResult = 'ready' | 'exited' | 'timeout' | 'aborted';

export interface WaitOptions {
  check: () => Promise<boolean>;
  alive: () => boolean;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Tells the time and sleeps between checks; default realClock (tests pass a FakeClock). */
  clock?: Clock;
}

export async function waitUntilReady(opts: WaitOptions): Promise<WaitResult> {
  const clock = opts.clock ?? realClock;
  const deadline = clock.now() + opts.timeoutMs;
  for (;;) {
    if (opts.signal?.aborted) return 'aborted';
    // Liveness first: a process that printed "ready" and then died has still failed.
    if (!opts.alive()) return 'exited';
    if (await opts.check()) return 'ready';
    if (clock.now() >= deadline) return 'timeout';
    await sleep(clock, opts.intervalMs ?? 200, opts.signal);
  }
}
