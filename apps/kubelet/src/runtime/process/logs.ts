/**
 * Reading a CRI-format container log (`<RFC 3339 nano> <stdout|stderr> <P|F> <text>`, one line
 * per line the container wrote; P marks a partial line continued by the next) the way
 * `kubectl logs` wants it: the text as written, or each line prefixed with its time
 * (`--timestamps`), the last N lines (`--tail`), lines since a time (`--since`,
 * `--since-time`), at most N bytes (`--limit-bytes`), and with `follow` new lines as they come
 * until the container has exited and everything it wrote was read.
 */
import fs from 'node:fs';
import type { LogOptions } from '../../server/streamingRuntime';

export interface LogLine {
  time: string;
  stream: string;
  full: boolean;
  text: string;
}

export function parseCriLine(line: string): LogLine | undefined {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  if (a < 0 || b < 0) return undefined;
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  return {
    time: line.slice(0, a),
    stream: line.slice(a + 1, b),
    full: tag !== 'P',
    text: c < 0 ? '' : line.slice(c + 1),
  };
}

function render(l: LogLine, timestamps: boolean): string {
  return `${timestamps ? `${l.time} ` : ''}${l.text}${l.full ? '\n' : ''}`;
}

export async function* readLog(
  file: string,
  options: Pick<
    LogOptions,
    'follow' | 'timestamps' | 'tailLines' | 'sinceSeconds' | 'sinceTime' | 'limitBytes'
  > &
    Partial<LogOptions>,
  signal: AbortSignal,
  isDone: () => boolean,
): AsyncIterable<Buffer> {
  const since = options.sinceTime
    ? Date.parse(options.sinceTime)
    : options.sinceSeconds !== undefined
      ? Date.now() - options.sinceSeconds * 1000
      : -Infinity;
  let budget = options.limitBytes ?? Infinity;
  let offset = 0;
  let rest = '';
  const readNew = (): LogLine[] => {
    let buf: Buffer;
    try {
      const fd = fs.openSync(file, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        if (size <= offset) return [];
        buf = Buffer.alloc(size - offset);
        fs.readSync(fd, buf, 0, buf.length, offset);
        offset = size;
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return [];
    }
    const text = rest + buf.toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    return parts.map(parseCriLine).filter((l): l is LogLine => !!l && Date.parse(l.time) >= since);
  };
  let lines = readNew();
  if (options.tailLines !== undefined) {
    // Count whole lines (a P line belongs to the F line that ends it).
    let n = 0;
    let i = lines.length;
    while (i > 0 && n < options.tailLines) {
      i--;
      if (lines[i]!.full) n++;
      while (i > 0 && !lines[i - 1]!.full) i--;
    }
    lines = options.tailLines === 0 ? [] : lines.slice(i);
  }
  for (;;) {
    for (const l of lines) {
      if (budget <= 0) return;
      let out = Buffer.from(render(l, options.timestamps));
      if (out.length > budget) out = out.subarray(0, budget);
      budget -= out.length;
      yield out;
    }
    if (!options.follow || signal.aborted) return;
    const done = isDone();
    await new Promise((r) => setTimeout(r, 200));
    lines = readNew();
    if (done && lines.length === 0) return;
  }
}
