/**
 * Structured logs with klog's verbosity, through pino. Kubernetes' conventions, kept:
 * - `-v N` decides which `log.V(n).info(...)` lines are written (n <= N). V(0) is always
 *   written; by convention 1-2 are steady-state information an operator wants, 3 extended
 *   information, 4 debug (`log.debug` is V(4)), 5+ trace. Errors and warnings are always written.
 * - Text by default, klog's header then the quoted message and key="value" pairs:
 *     I1204 15:28:24.123456    1234 api-server] "serving" url="http://127.0.0.1:6443"
 *   (klog puts file:line where we put the logger's name: capturing a stack per line costs too
 *   much in JavaScript). Multi-line strings are written as klog writes them, `key=<` then
 *   indented lines then `>`.
 * - `--logging-format=json`: one object per line as component-base's JSON format writes it:
 *   `ts` (milliseconds since the epoch), `logger`, `v` for info lines, `msg`, the key/values;
 *   like upstream's it has no level key (errors are the lines without `v`, with `err` when given).
 * Lines go to stderr, as klog's do. A line below the verbosity costs one comparison: the
 * filter runs before pino builds anything.
 */
import { pino } from 'pino';
import type { Logger as PinoLogger } from 'pino';

export type Fields = Record<string, unknown>;

export interface VerboseLogger {
  /** Whether lines at this verbosity are written (to skip computing expensive fields). */
  readonly enabled: boolean;
  info(msg: string, fields?: Fields): void;
}

export interface Logger {
  /** klog.InfoS: always written. */
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  /** klog.ErrorS: always written; pass the error as `err`. */
  error(msg: string, fields?: Fields): void;
  /** klog.V(4).InfoS. */
  debug(msg: string, fields?: Fields): void;
  /** klog.V(level): lines written only when -v >= level. */
  V(level: number): VerboseLogger;
  /** A logger whose lines carry these fields too (logr's WithValues). */
  with(fields: Fields): Logger;
  /** A logger for a part of the component (logr's WithName): `api-server/nats`. */
  named(name: string): Logger;
  readonly verbosity: number;
}

export type LoggingFormat = 'text' | 'json';
export const loggingFormats = ['text', 'json'] as const;

export interface LoggerOptions {
  /** The component's name: the `logger` of every line. */
  name?: string;
  /** klog's -v (default 0). */
  verbosity?: number;
  format?: LoggingFormat;
  /** Where lines go (each call gets whole lines); default process.stderr. */
  destination?: { write(line: string): unknown };
}

/** Fields as pino should see them: Errors as their message (klog prints err="message"). */
function plain(fields: Fields | undefined): Fields | undefined {
  if (!fields) return undefined;
  let out: Fields | undefined;
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) {
      out ??= { ...fields };
      out[k] = v.message;
    }
  }
  return out ?? fields;
}

const pinoError = 50;
const pinoWarn = 40;

class PinoKlog implements Logger {
  private readonly p: PinoLogger;

  constructor(
    /** The root pino logger; each PinoKlog is one child of it, so bindings never repeat. */
    private readonly root: PinoLogger,
    readonly verbosity: number,
    private readonly name: string,
    private readonly bindings: Fields,
  ) {
    this.p = root.child(name ? { logger: name, ...bindings } : bindings);
  }

  info(msg: string, fields?: Fields): void {
    this.p.info({ v: 0, ...plain(fields) }, msg);
  }
  warn(msg: string, fields?: Fields): void {
    this.p.warn({ ...plain(fields) }, msg);
  }
  error(msg: string, fields?: Fields): void {
    this.p.error({ ...plain(fields) }, msg);
  }
  debug(msg: string, fields?: Fields): void {
    this.V(4).info(msg, fields);
  }
  V(level: number): VerboseLogger {
    if (level > this.verbosity) return disabled;
    return {
      enabled: true,
      info: (msg, fields) => this.p.info({ v: level, ...plain(fields) }, msg),
    };
  }
  with(fields: Fields): Logger {
    return new PinoKlog(this.root, this.verbosity, this.name, {
      ...this.bindings,
      ...plain(fields),
    });
  }
  named(name: string): Logger {
    const full = this.name ? `${this.name}/${name}` : name;
    return new PinoKlog(this.root, this.verbosity, full, this.bindings);
  }
}

const disabled: VerboseLogger = { enabled: false, info: () => {} };

/** Wall-clock time in milliseconds with microseconds, for klog's header. */
function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const verbosity = opts.verbosity ?? 0;
  const name = opts.name ?? '';
  const json = opts.format === 'json';
  const out = opts.destination ?? process.stderr;
  const stream = json ? out : { write: (line: string) => out.write(klogText(line)) };
  const p = pino(
    {
      // Verbosity is filtered before pino; pino only drops nothing.
      level: 'trace',
      base: {},
      messageKey: 'msg',
      // component-base's JSON format has no level key; the text format needs it for I/W/E.
      // pino writes `{` + the level + the timestamp, so with no level the timestamp opens the
      // object and must not start with the usual comma.
      ...(json
        ? { timestamp: () => `"ts":${Date.now()}`, formatters: { level: () => ({}) } }
        : { timestamp: () => `,"ts":${nowMs()}` }),
    },
    stream,
  );
  return new PinoKlog(p, verbosity, name, {});
}

/** A logger that writes nothing: the default of libraries used without a component. */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  V: () => disabled,
  with: () => silentLogger,
  named: () => silentLogger,
  verbosity: -1,
};

let processLogger: Logger | undefined;

/**
 * The process-wide logger (klog's global): what libraries log to when not handed one. Until a
 * component sets its own it writes text at verbosity 0 to stderr, so a library's errors are
 * never lost.
 */
export function defaultLogger(): Logger {
  processLogger ??= createLogger();
  return processLogger;
}

export function setDefaultLogger(logger: Logger): void {
  processLogger = logger;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** klog's value formatting: strings quoted (Go %q), numbers and booleans bare, others as JSON. */
function klogValue(key: string, v: unknown): string {
  if (typeof v === 'string') {
    // klog writes multi-line strings as a block, so stack traces stay readable.
    if (v.includes('\n'))
      return `${key}=<\n${v
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `\t${l}`)
        .join('\n')}\n >`;
    return `${key}=${JSON.stringify(v)}`;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return `${key}=${String(v)}`;
  return `${key}=${JSON.stringify(v)}`;
}

/** One of pino's JSON lines as klog's text line. */
export function klogText(jsonLine: string): string {
  const rec = JSON.parse(jsonLine) as Fields;
  const { level, ts, logger, msg, v: _v, ...fields } = rec;
  const n = Number(level);
  const sev = n >= pinoError ? 'E' : n >= pinoWarn ? 'W' : 'I';
  const ms = Number(ts);
  const d = new Date(Math.floor(ms));
  const micros = Math.floor((ms % 1000) * 1000);
  const header =
    `${sev}${pad(d.getMonth() + 1)}${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)} ` +
    `${String(process.pid).padStart(7)} ${typeof logger === 'string' ? logger : ''}] `;
  const kv = Object.entries(fields).map(([k, val]) => klogValue(k, val));
  return `${header}${JSON.stringify(String(msg ?? ''))}${kv.length ? ' ' + kv.join(' ') : ''}\n`;
}
