/**
 * A lean HTTP/1.1 load generator for the benchmarks, as `wrk` is for servers: keep-alive
 * connections, one request in flight on each, responses read and dropped by length. Node's
 * http client spends more CPU per response than the api-server spends serving a LIST of 500
 * pods (its parser hands the body over in many small chunks and events), so on a 2-core
 * machine it, not the server, set the LIST figure; this one only finds where a body ends.
 *
 *   const client = new LoadClient(new URL('http://127.0.0.1:6443'));
 *   const { status, bodyBytes } = await client.request('GET', '/api/v1/pods');
 *   client.close();
 *
 * It understands what the api-server sends: Content-Length bodies and chunked ones. A request
 * waits for a free connection; connections are opened on demand up to `maxConnections`.
 */
import net from 'node:net';

export interface LoadResponse {
  status: number;
  bodyBytes: number;
}

interface Pending {
  resolve(r: LoadResponse): void;
  reject(e: Error): void;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** One keep-alive connection with one request at a time. */
class Connection {
  private readonly socket: net.Socket;
  private pending: Pending | undefined;
  private head: Buffer = Buffer.alloc(0);
  private status = 0;
  /** Body bytes still to come (Content-Length), or -1 while reading the head. */
  private remaining = -1;
  private chunked = false;
  /** Chunked body: bytes of the current chunk still to skip, then its CRLF. */
  private chunkLeft = 0;
  private chunkTail: Buffer = Buffer.alloc(0);
  private bodyBytes = 0;
  closed = false;

  constructor(url: URL, onClose: (c: Connection) => void) {
    this.socket = net.connect(Number(url.port || 80), url.hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (d: Buffer) => this.onData(d));
    const fail = (e: Error) => {
      this.closed = true;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(e);
      onClose(this);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  send(request: Buffer, pending: Pending): void {
    this.pending = pending;
    this.remaining = -1;
    this.head = Buffer.alloc(0);
    this.bodyBytes = 0;
    this.socket.write(request);
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    let d = data;
    if (this.remaining < 0 && !this.chunked) {
      this.head = this.head.length ? Buffer.concat([this.head, d]) : d;
      const end = this.head.indexOf(CRLF2);
      if (end < 0) return;
      const head = this.head.subarray(0, end).toString('latin1');
      d = this.head.subarray(end + 4);
      this.head = Buffer.alloc(0);
      this.status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length) this.remaining = Number(length[1]);
      else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
        this.chunked = true;
        this.chunkLeft = 0;
        this.chunkTail = Buffer.alloc(0);
      } else this.remaining = 0; // no body (204, 304) or one we cannot delimit
    }
    if (this.chunked) return this.onChunked(d);
    this.bodyBytes += Math.min(d.length, this.remaining);
    this.remaining -= d.length;
    if (this.remaining <= 0) this.finish();
  }

  /** Skips chunk data by its sizes; the body ends at the zero-size chunk and its CRLF. */
  private onChunked(data: Buffer): void {
    let d = data;
    while (d.length) {
      if (this.chunkLeft > 0) {
        const n = Math.min(this.chunkLeft, d.length);
        this.bodyBytes += n;
        this.chunkLeft -= n;
        d = d.subarray(n);
        continue;
      }
      // Expecting "[CRLF]<hex size>[;ext]CRLF" (the CRLF ending the previous chunk first).
      this.chunkTail = this.chunkTail.length ? Buffer.concat([this.chunkTail, d]) : d;
      const text = this.chunkTail.toString('latin1');
      const line = /^(?:\r\n)?([0-9a-fA-F]+)[^\r]*\r\n/.exec(text);
      if (!line) return;
      const size = parseInt(line[1] as string, 16);
      if (size === 0) {
        if (text.length >= line[0].length + 2) {
          this.chunked = false;
          this.finish();
        }
        return;
      }
      d = this.chunkTail.subarray(line[0].length);
      this.chunkTail = Buffer.alloc(0);
      this.chunkLeft = size;
    }
  }

  private finish(): void {
    const p = this.pending;
    this.pending = undefined;
    this.remaining = -1;
    p?.resolve({ status: this.status, bodyBytes: this.bodyBytes });
  }
}

export class LoadClient {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly url: URL,
    private readonly maxConnections = 256,
  ) {}

  async request(
    method: string,
    path: string,
    body?: Buffer,
    headers: Record<string, string> = {},
  ): Promise<LoadResponse> {
    const conn = await this.connection();
    const lines = [`${method} ${path} HTTP/1.1`, `Host: ${this.url.host}`];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    if (body) lines.push(`Content-Length: ${body.length}`);
    const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
    try {
      return await new Promise<LoadResponse>((resolve, reject) =>
        conn.send(body ? Buffer.concat([head, body]) : head, { resolve, reject }),
      );
    } finally {
      this.release(conn);
    }
  }

  close(): void {
    for (const c of this.all) c.close();
    this.all.clear();
    this.idle.length = 0;
  }

  private async connection(): Promise<Connection> {
    for (;;) {
      const c = this.idle.pop();
      if (c && !c.closed) return c;
      if (!c) break;
    }
    if (this.all.size < this.maxConnections) {
      const c = new Connection(this.url, (gone) => this.all.delete(gone));
      this.all.add(c);
      return c;
    }
    await new Promise<void>((r) => this.waiting.push(r));
    return this.connection();
  }

  private release(c: Connection): void {
    if (!c.closed) this.idle.push(c);
    this.waiting.shift()?.();
  }
}
