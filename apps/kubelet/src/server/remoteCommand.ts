/**
 * exec and attach over a WebSocket speaking the channel protocol (./channels): the client's
 * stdin and resize messages become the runtime's ProcessStreams, the process's output goes out on
 * channels 1 and 2, and the end is one Status on channel 3 followed by a normal close.
 */
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { isStatusError } from '@kubeling/api';
import type { RemoteCommandProtocol, StreamStatus } from './channels';
import {
  Channel,
  encodeChannelMessage,
  failureStatus,
  nonZeroExitStatus,
  parseResize,
  successStatus,
} from './channels';
import type { ExecOptions, ProcessStreams, TerminalSize } from './streamingRuntime';

/** The query of /exec and /attach (PodExecOptions as the api-server passes it on). */
export interface RemoteCommandRequest extends ExecOptions {
  /** attach has no command. */
  kind: 'exec' | 'attach';
}

function truthy(v: string | null): boolean {
  return v === '1' || v === 'true' || v === 'True' || v === 'TRUE';
}

/**
 * Reads PodExecOptions from a query; the api-server passes `1`, kubectl (directly) `true`.
 * Errors are upstream's: at least one stream, and stdout+stderr+tty is refused.
 */
export function parseRemoteCommandQuery(
  kind: 'exec' | 'attach',
  container: string,
  q: URLSearchParams,
): RemoteCommandRequest | string {
  const opts: RemoteCommandRequest = {
    kind,
    container,
    command: q.getAll('command'),
    stdin: truthy(q.get('stdin') ?? q.get('input')),
    stdout: truthy(q.get('stdout') ?? q.get('output')),
    stderr: truthy(q.get('stderr') ?? q.get('error')),
    tty: truthy(q.get('tty')),
  };
  if (kind === 'exec' && opts.command.length === 0)
    return 'you must specify at least one command for the container';
  if (!opts.stdin && !opts.stdout && !opts.stderr)
    return 'you must specify at least 1 of stdin, stdout, stderr';
  // With a tty, stderr is the terminal too (upstream drops it rather than failing).
  if (opts.tty) opts.stderr = false;
  return opts;
}

/** A Writable whose chunks leave as channel messages, with the socket's backpressure. */
function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) return cb();
      ws.send(encodeChannelMessage(channel, chunk), { binary: true }, () => cb());
    },
  });
}

/** An async queue of resize events; ends with the connection. */
export class ResizeQueue implements AsyncIterable<TerminalSize> {
  private items: TerminalSize[] = [];
  private waiting: ((r: IteratorResult<TerminalSize>) => void) | undefined;
  private ended = false;

  push(size: TerminalSize): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: size, done: false });
    } else this.items.push(size);
  }

  end(): void {
    this.ended = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<TerminalSize> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

export type Runner = (io: ProcessStreams) => Promise<{ exitCode: number }>;

/**
 * Serves one exec/attach connection until the process ends or the client goes away; resolves
 * once the status was sent and the socket closed.
 */
export async function serveRemoteCommand(
  ws: WebSocket,
  protocol: RemoteCommandProtocol,
  req: RemoteCommandRequest,
  run: Runner,
): Promise<void> {
  const abort = new AbortController();
  const stdin = req.stdin ? new PassThrough() : undefined;
  const resize = req.tty ? new ResizeQueue() : undefined;
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const msg = isBinary ? raw : Buffer.from(raw);
    if (msg.length === 0) return;
    const channel = msg[0] as number;
    const data = msg.subarray(1);
    if (channel === Channel.stdin) {
      if (stdin && !stdin.writableEnded && data.length) stdin.write(data);
    } else if (channel === Channel.resize) {
      const size = parseResize(data);
      if (size) resize?.push(size);
    } else if (channel === Channel.close && protocol === 'v5.channel.k8s.io') {
      // [255, 0]: the client's stdin reached EOF.
      if (data[0] === Channel.stdin) stdin?.end();
    }
  });
  ws.on('close', () => {
    abort.abort();
    stdin?.end();
    resize?.end();
  });
  const io: ProcessStreams = { signal: abort.signal };
  if (stdin) io.stdin = stdin;
  if (req.stdout) io.stdout = channelWriter(ws, Channel.stdout);
  if (req.stderr) io.stderr = channelWriter(ws, Channel.stderr);
  if (resize) io.resize = resize;

  const status = await finalStatus(req, () => run(io));
  resize?.end();
  // Output written before the process ended is queued ahead of the status (ws keeps order).
  await flushWriter(io.stdout);
  await flushWriter(io.stderr);
  if (ws.readyState === ws.OPEN) {
    await new Promise<void>((resolve) =>
      ws.send(encodeChannelMessage(Channel.error, JSON.stringify(status)), { binary: true }, () =>
        resolve(),
      ),
    );
    ws.close(1000);
  }
}

/** Runs the command and turns its outcome into the Status the error channel carries. */
export async function finalStatus(
  req: RemoteCommandRequest,
  run: () => Promise<{ exitCode: number }>,
): Promise<StreamStatus> {
  try {
    const { exitCode } = await run();
    return req.kind === 'exec' && exitCode !== 0
      ? nonZeroExitStatus(req.command, exitCode)
      : successStatus();
  } catch (e) {
    // Upstream wraps runtime failures as an InternalError Status, except typed API errors.
    return isStatusError(e)
      ? failureStatus(e.status.message ?? '', e.status.reason)
      : failureStatus(
          `Internal error occurred: error ${req.kind === 'exec' ? 'executing command in' : 'attaching to'} container: ${(e as Error).message}`,
          'InternalError',
        );
  }
}

/** Waits until every chunk already given to the writer has been handed to the socket. */
function flushWriter(w: Writable | undefined): Promise<void> {
  if (!w || w.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (w.writableLength === 0 || w.destroyed) {
        w.off('drain', check);
        resolve();
      }
    };
    w.on('drain', check);
    // 'drain' fires only after a write returned false; poll the buffer once per tick otherwise.
    const tick = () => {
      if (w.writableLength === 0 || w.destroyed) {
        w.off('drain', check);
        resolve();
      } else setImmediate(tick);
    };
    tick();
  });
}
