/**
 * Port-forward over SPDY/3.1 (the kubelet's portforward.k8s.io protocol), on any byte
 * transport; kubectl v1.31+ tunnels it in WebSocket binary messages
 * (`SPDY/3.1+portforward.k8s.io`).
 *
 * For each local connection kubectl opens two streams carrying the same `requestid` and `port`
 * headers: `streamtype: error` (which it half-closes at once) and `streamtype: data`. Once both
 * are there, we dial the pod's port through the runtime and copy bytes both ways on the data
 * stream; a failure is written as text on the error stream, as upstream's
 * `error forwarding port <p> to pod <name>, uid <uid>: <cause>`. Both streams end with FIN.
 * Every stream gets a SYN_REPLY (the client waits for it), PINGs are echoed.
 *
 * Flow control: spdystream does not enforce SPDY/3.1 windows, so neither do we; TCP and the
 * transport's own backpressure (send's callback) hold a fast side back.
 */
import type { Socket } from 'node:net';
import type { PodRef, StreamingRuntime } from './streamingRuntime';
import {
  ControlType,
  FLAG_FIN,
  FrameParser,
  HeaderDeflater,
  HeaderInflater,
  RstStatus,
  dataFrame,
  parseIdAndValue,
  parseSynStream,
  ping,
  rstStream,
  synReply,
} from './spdy';

export interface PortForwardTransport {
  /** Sends bytes; the callback fires when the transport took them (backpressure). */
  send(data: Buffer, done?: (err?: Error) => void): void;
  close(): void;
}

interface Pair {
  requestId: string;
  port: number;
  dataStream?: number;
  errorStream?: number;
  socket?: Socket;
  started: boolean;
  /** Client bytes (and its FIN) that came while the dial was in progress. */
  pending: Buffer[];
  pendingFin: boolean;
}

export interface PortForwardSessionOptions {
  runtime: StreamingRuntime;
  pod: PodRef;
  transport: PortForwardTransport;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export class SpdyPortForwardSession {
  private readonly parser = new FrameParser();
  private readonly inflater = new HeaderInflater();
  private readonly deflater = new HeaderDeflater();
  private readonly pairs = new Map<string, Pair>();
  /** Stream id → its pair, for DATA and RST_STREAM frames. */
  private readonly byStream = new Map<number, Pair>();
  private readonly abort = new AbortController();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: PortForwardSessionOptions) {}

  /** Bytes from the client, in order; chunk boundaries do not matter. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames;
    try {
      frames = this.parser.push(chunk);
    } catch (e) {
      this.opts.log?.('bad SPDY frame', { error: (e as Error).message });
      this.close();
      return;
    }
    // Header blocks decode asynchronously but strictly in order (one zlib stream).
    for (const f of frames) this.queue = this.queue.then(() => this.handle(f));
  }

  /** The transport ended: tear everything down. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    for (const p of this.pairs.values()) p.socket?.destroy();
    this.pairs.clear();
    this.byStream.clear();
    this.inflater.close();
    this.opts.transport.close();
  }

  private send(frame: Buffer, done?: (err?: Error) => void): void {
    if (this.closed) {
      done?.(new Error('closed'));
      return;
    }
    this.opts.transport.send(frame, done);
  }

  private async handle(f: ReturnType<FrameParser['push']>[number]): Promise<void> {
    if (this.closed) return;
    if (f.kind === 'data') {
      const pair = this.byStream.get(f.streamId);
      if (!pair || pair.dataStream !== f.streamId) return; // error-stream FIN, or a reset stream
      if (!pair.socket) {
        if (f.data.length) pair.pending.push(Buffer.from(f.data));
        if (f.flags & FLAG_FIN) pair.pendingFin = true;
        return;
      }
      if (f.data.length) pair.socket.write(f.data);
      if (f.flags & FLAG_FIN) pair.socket.end();
      return;
    }
    switch (f.type) {
      case ControlType.SynStream:
        await this.synStream(f.payload);
        return;
      case ControlType.Ping:
        this.send(ping(f.payload.readUInt32BE(0)));
        return;
      case ControlType.RstStream: {
        const { id } = parseIdAndValue(f.payload);
        const pair = this.byStream.get(id);
        if (pair) this.drop(pair);
        return;
      }
      case ControlType.GoAway:
        this.close();
        return;
      default:
        // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do for port-forward.
        return;
    }
  }

  private async synStream(payload: Buffer): Promise<void> {
    const { streamId, headerBlock } = parseSynStream(payload);
    let headers;
    try {
      headers = await this.inflater.decode(headerBlock);
    } catch (e) {
      this.opts.log?.('bad SPDY header block', { error: (e as Error).message });
      this.close();
      return;
    }
    const first = (name: string) => headers[name]?.[0] ?? '';
    const streamType = first('streamtype');
    const portText = first('port');
    // Old clients (before requestid) pair streams by their order; upstream does the same.
    const requestId =
      first('requestid') || String(streamType === 'error' ? streamId : streamId - 2);
    this.send(synReply(streamId, this.deflater.encode({})));
    if (streamType !== 'error' && streamType !== 'data') {
      this.send(rstStream(streamId, RstStatus.ProtocolError));
      return;
    }
    let pair = this.pairs.get(requestId);
    if (!pair) {
      pair = { requestId, port: Number(portText), started: false, pending: [], pendingFin: false };
      this.pairs.set(requestId, pair);
    }
    if (streamType === 'error') pair.errorStream = streamId;
    else pair.dataStream = streamId;
    this.byStream.set(streamId, pair);
    if (pair.errorStream !== undefined && pair.dataStream !== undefined && !pair.started) {
      pair.started = true;
      // Not awaited: a slow dial must not hold up the other connections' frames.
      this.forward(pair, portText).catch((e: unknown) => this.fail(pair, String(e)));
    }
  }

  private async forward(pair: Pair, portText: string): Promise<void> {
    const { pod } = this.opts;
    const port = pair.port;
    if (!/^\d+$/.test(portText) || port <= 0 || port > 65535) {
      this.fail(pair, `invalid port: ${JSON.stringify(portText)}`);
      return;
    }
    let socket: Socket;
    try {
      socket = await this.opts.runtime.portForward(pod, port, this.abort.signal);
    } catch (e) {
      this.fail(
        pair,
        `error forwarding port ${port} to pod ${pod.name}, uid ${pod.uid ?? ''}: ${(e as Error).message}`,
      );
      return;
    }
    if (this.closed || !this.pairs.has(pair.requestId)) {
      socket.destroy();
      return;
    }
    pair.socket = socket;
    for (const b of pair.pending) socket.write(b);
    if (pair.pendingFin) socket.end();
    pair.pending = [];
    const dataStream = pair.dataStream as number;
    socket.on('data', (chunk: Buffer) => {
      socket.pause();
      this.send(dataFrame(dataStream, chunk), () => socket.resume());
    });
    socket.on('end', () => {
      this.send(dataFrame(dataStream, Buffer.alloc(0), true));
      this.finish(pair);
    });
    socket.on('error', (e) => {
      this.fail(
        pair,
        `error forwarding port ${port} to pod ${pod.name}, uid ${pod.uid ?? ''}: ${e.message}`,
      );
    });
  }

  /** The copy from the pod ended: close the error stream too (nothing to report). */
  private finish(pair: Pair): void {
    if (pair.errorStream !== undefined)
      this.send(dataFrame(pair.errorStream, Buffer.alloc(0), true));
  }

  private fail(pair: Pair, message: string): void {
    this.opts.log?.('port-forward failed', { message });
    if (pair.errorStream !== undefined)
      this.send(dataFrame(pair.errorStream, Buffer.from(message, 'utf8'), true));
    if (pair.dataStream !== undefined && !pair.socket?.readableEnded)
      this.send(dataFrame(pair.dataStream, Buffer.alloc(0), true));
    this.drop(pair);
  }

  private drop(pair: Pair): void {
    pair.socket?.destroy();
    this.pairs.delete(pair.requestId);
    if (pair.dataStream !== undefined) this.byStream.delete(pair.dataStream);
    if (pair.errorStream !== undefined) this.byStream.delete(pair.errorStream);
  }
}
