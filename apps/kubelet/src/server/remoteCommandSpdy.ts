/**
 * exec and attach over plain SPDY/3.1 (`Upgrade: SPDY/3.1`, `X-Stream-Protocol-Version:
 * v4.channel.k8s.io`): kubectl's fallback when the WebSocket upgrade fails, and what older
 * clients speak. The client opens one stream per standard stream, one after the other, each
 * waiting for its SYN_REPLY: `streamtype` error, then stdin (-i), stdout, stderr (or resize with a
 * tty). Once the streams the query asked for are there, the command runs; stdin's FIN is EOF,
 * resize carries a sequence of `{"Width":..,"Height":..}` objects. At the end the Status JSON
 * goes on the error stream and every stream we write to ends with FIN.
 */
import { PassThrough, Writable } from 'node:stream';
import type { StreamStatus } from './channels';
import { parseResize } from './channels';
import type { PortForwardTransport } from './portForward';
import type { RemoteCommandRequest, Runner } from './remoteCommand';
import { finalStatus, ResizeQueue } from './remoteCommand';
import {
  ControlType,
  FLAG_FIN,
  FrameParser,
  HeaderDeflater,
  HeaderInflater,
  dataFrame,
  parseIdAndValue,
  parseSynStream,
  ping,
  synReply,
} from './spdy';
import type { ProcessStreams } from './streamingRuntime';

/** SPDY subprotocols for exec/attach, best first (v5 over SPDY is v4: FIN already means EOF). */
export const spdyRemoteCommandProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

export class SpdyRemoteCommandSession {
  private readonly parser = new FrameParser();
  private readonly inflater = new HeaderInflater();
  private readonly deflater = new HeaderDeflater();
  private readonly ids = new Map<StreamType, number>();
  private readonly types = new Map<number, StreamType>();
  private readonly abort = new AbortController();
  private readonly stdin: PassThrough | undefined;
  private readonly resize: ResizeQueue | undefined;
  private resizeText = '';
  private queue: Promise<void> = Promise.resolve();
  private started = false;
  private closed = false;

  constructor(
    private readonly req: RemoteCommandRequest,
    private readonly run: Runner,
    private readonly transport: PortForwardTransport,
  ) {
    if (req.stdin) this.stdin = new PassThrough();
    if (req.tty) this.resize = new ResizeQueue();
  }

  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames;
    try {
      frames = this.parser.push(chunk);
    } catch {
      this.close();
      return;
    }
    for (const f of frames)
      this.queue = this.queue.then(() => this.handle(f)).catch(() => this.close());
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.stdin?.end();
    this.resize?.end();
    this.inflater.close();
    this.transport.close();
  }

  private async handle(f: ReturnType<FrameParser['push']>[number]): Promise<void> {
    if (f.kind === 'data') {
      const type = this.types.get(f.streamId);
      if (type === 'stdin' && this.stdin) {
        if (f.data.length) this.stdin.write(Buffer.from(f.data));
        if (f.flags & FLAG_FIN) this.stdin.end();
      } else if (type === 'resize') {
        this.resizeText += f.data.toString('utf8');
        // A JSON stream of objects: take each complete one.
        let end;
        while ((end = this.resizeText.indexOf('}')) >= 0) {
          const size = parseResize(Buffer.from(this.resizeText.slice(0, end + 1)));
          this.resizeText = this.resizeText.slice(end + 1);
          if (size) this.resize?.push(size);
        }
      }
      return;
    }
    if (f.type === ControlType.Ping) this.transport.send(ping(f.payload.readUInt32BE(0)));
    else if (f.type === ControlType.GoAway) this.close();
    else if (f.type === ControlType.RstStream) {
      // The client gave up on a stream (interrupted): stop the command.
      if (this.types.has(parseIdAndValue(f.payload).id)) this.abort.abort();
    } else if (f.type === ControlType.SynStream) {
      const { streamId, headerBlock } = parseSynStream(f.payload);
      const headers = await this.inflater.decode(headerBlock);
      const type = headers.streamtype?.[0] as StreamType | undefined;
      this.transport.send(synReply(streamId, this.deflater.encode({})));
      if (!type) return;
      this.ids.set(type, streamId);
      this.types.set(streamId, type);
      if (!this.started && this.ready()) {
        this.started = true;
        this.execute().catch(() => this.close());
      }
    }
  }

  private ready(): boolean {
    const want: StreamType[] = ['error'];
    if (this.req.stdin) want.push('stdin');
    if (this.req.stdout) want.push('stdout');
    if (this.req.stderr) want.push('stderr');
    if (this.req.tty) want.push('resize');
    return want.every((t) => this.ids.has(t));
  }

  private writer(type: StreamType): Writable {
    const id = this.ids.get(type) as number;
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        if (this.closed) return cb();
        this.transport.send(dataFrame(id, chunk), () => cb());
      },
    });
  }

  private async execute(): Promise<void> {
    const io: ProcessStreams = { signal: this.abort.signal };
    if (this.stdin) io.stdin = this.stdin;
    if (this.req.stdout) io.stdout = this.writer('stdout');
    if (this.req.stderr) io.stderr = this.writer('stderr');
    if (this.resize) io.resize = this.resize;
    const status: StreamStatus = await finalStatus(this.req, () => this.run(io));
    this.resize?.end();
    if (this.closed) return;
    const fin = (type: StreamType) => {
      const id = this.ids.get(type);
      if (id !== undefined) this.transport.send(dataFrame(id, Buffer.alloc(0), true));
    };
    fin('stdout');
    fin('stderr');
    const errorId = this.ids.get('error') as number;
    this.transport.send(dataFrame(errorId, Buffer.from(JSON.stringify(status)), true), () =>
      this.close(),
    );
  }
}
