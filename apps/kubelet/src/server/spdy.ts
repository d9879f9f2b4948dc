/**
 * SPDY/3.1 framing, as far as kubectl's port-forward needs it (Go's moby/spdystream is the
 * peer): a frame parser for a byte stream whose chunk boundaries are arbitrary (WebSocket
 * messages in the tunnelled form), frame encoders, and the per-connection header compression.
 *
 *   const parser = new FrameParser();
 *   for (const frame of parser.push(chunk)) ...
 *   const inflater = new HeaderInflater();           // one per connection and direction
 *   const headers = await inflater.decode(frame.headerBlock);
 *   send(synReply(frame.streamId, deflater.encode({})));
 *
 * Outbound header blocks are not compressed: each is a zlib *stored* block followed by an empty
 * stored block (a sync flush). Go's flate reader needs that flush to return a block without
 * waiting for more input; without it the second SYN_REPLY hangs the client.
 */
import * as zlib from 'node:zlib';
import { spdyDictionary, spdyDictionaryId } from './spdyDictionary';

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;

export const ControlType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

/** RST_STREAM status codes (SPDY/3 section 2.6.2). */
export const RstStatus = {
  ProtocolError: 1,
  InvalidStream: 2,
  RefusedStream: 3,
  Cancel: 5,
  InternalError: 6,
} as const;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | {
      kind: 'control';
      type: number;
      flags: number;
      payload: Buffer;
    };

/** SPDY frames out of a byte stream; keeps a partial frame until the rest arrives. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const length = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + length) break;
      const flags = this.buf[4] as number;
      const payload = this.buf.subarray(8, 8 + length);
      const first = this.buf.readUInt32BE(0);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) throw new Error(`unsupported SPDY version ${version}`);
        frames.push({ kind: 'control', type: first & 0xffff, flags, payload });
      } else {
        frames.push({ kind: 'data', streamId: first & 0x7fffffff, flags, data: payload });
      }
      this.buf = this.buf.subarray(8 + length);
    }
    return frames;
  }
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(payload.length, 4);
  head[4] = flags;
  return Buffer.concat([head, payload]);
}

export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(data.length, 4);
  head[4] = fin ? FLAG_FIN : 0;
  return Buffer.concat([head, data]);
}

export function synStream(
  streamId: number,
  headerBlock: Buffer,
  fin = false,
  associatedId = 0,
): Buffer {
  const p = Buffer.alloc(10);
  p.writeUInt32BE(streamId, 0);
  p.writeUInt32BE(associatedId, 4);
  return controlFrame(ControlType.SynStream, fin ? FLAG_FIN : 0, Buffer.concat([p, headerBlock]));
}

export function synReply(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(streamId, 0);
  return controlFrame(ControlType.SynReply, fin ? FLAG_FIN : 0, Buffer.concat([p, headerBlock]));
}

export function rstStream(streamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(streamId, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(ControlType.RstStream, 0, p);
}

export function ping(id: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(id >>> 0, 0);
  return controlFrame(ControlType.Ping, 0, p);
}

export function goAway(lastGoodStreamId: number, status = 0): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastGoodStreamId, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(ControlType.GoAway, 0, p);
}

/** SYN_STREAM's fixed part (stream id, associated id) and its compressed header block. */
export function parseSynStream(payload: Buffer): {
  streamId: number;
  associatedId: number;
  headerBlock: Buffer;
} {
  if (payload.length < 10) throw new Error('SYN_STREAM frame too short');
  return {
    streamId: payload.readUInt32BE(0) & 0x7fffffff,
    associatedId: payload.readUInt32BE(4) & 0x7fffffff,
    headerBlock: payload.subarray(10),
  };
}

/** SYN_REPLY / HEADERS: stream id then the header block. */
export function parseStreamHeaders(payload: Buffer): { streamId: number; headerBlock: Buffer } {
  if (payload.length < 4) throw new Error('frame too short');
  return { streamId: payload.readUInt32BE(0) & 0x7fffffff, headerBlock: payload.subarray(4) };
}

/** Stream id and a u32 (RST_STREAM status, WINDOW_UPDATE delta, GOAWAY status, PING id). */
export function parseIdAndValue(payload: Buffer): { id: number; value: number } {
  return {
    id: payload.length >= 4 ? payload.readUInt32BE(0) & 0x7fffffff : 0,
    value: payload.length >= 8 ? payload.readUInt32BE(4) : 0,
  };
}

/** Lower-case names; several values of one name are NUL-separated on the wire. */
export type SpdyHeaders = Record<string, string[]>;

/** The uncompressed name/value block: u32 count, then u32-length-prefixed names and values. */
export function encodeHeaderPairs(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const names = Object.keys(headers);
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  parts.push(u32(names.length));
  for (const name of names) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from((headers[name] ?? []).join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderPairs(block: Buffer): SpdyHeaders {
  const out: SpdyHeaders = {};
  let off = 0;
  const u32 = () => {
    if (off + 4 > block.length) throw new Error('truncated SPDY header block');
    const v = block.readUInt32BE(off);
    off += 4;
    return v;
  };
  const str = () => {
    const len = u32();
    if (off + len > block.length) throw new Error('truncated SPDY header block');
    const s = block.subarray(off, off + len).toString('utf8');
    off += len;
    return s;
  };
  const count = u32();
  for (let i = 0; i < count; i++) {
    const name = str().toLowerCase();
    out[name] = [...(out[name] ?? []), ...str().split('\0')];
  }
  return out;
}

/**
 * One direction's header decompression: a single zlib stream for the connection's life, primed
 * with the SPDY dictionary. Blocks must be decoded in the order they arrived.
 */
export class HeaderInflater {
  private readonly inflate = zlib.createInflate({ dictionary: spdyDictionary });
  private out: Buffer[] = [];
  private failed: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    this.inflate.on('data', (b: Buffer) => this.out.push(b));
    this.inflate.on('error', (e: Error) => (this.failed = e));
  }

  decode(compressed: Buffer): Promise<SpdyHeaders> {
    const run = async () => {
      if (this.failed) throw this.failed;
      this.out = [];
      await new Promise<void>((resolve, reject) => {
        // A corrupt block errors the stream and the flush callback never comes.
        const onError = (e: Error) => reject(e);
        this.inflate.once('error', onError);
        this.inflate.write(compressed);
        this.inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          this.inflate.off('error', onError);
          if (this.failed) reject(this.failed);
          else resolve();
        });
      });
      return decodeHeaderPairs(Buffer.concat(this.out));
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.inflate.close();
  }
}

/** One direction's header "compression": stored deflate blocks in one zlib stream. */
export class HeaderDeflater {
  private started = false;

  encode(headers: SpdyHeaders): Buffer {
    const raw = encodeHeaderPairs(headers);
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // zlib header: deflate, 32 KiB window, FDICT set (0x78 0x20 is a multiple of 31), DICTID.
      const head = Buffer.from([0x78, 0x20, 0, 0, 0, 0]);
      head.writeUInt32BE(spdyDictionaryId, 2);
      parts.push(head);
    }
    for (let off = 0; off < raw.length; off += 0xffff)
      parts.push(storedBlock(raw.subarray(off, off + 0xffff)));
    // The empty stored block is the sync flush that lets the reader return this block now.
    parts.push(storedBlock(Buffer.alloc(0)));
    return Buffer.concat(parts);
  }
}

function storedBlock(data: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = 0; // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
  head.writeUInt16LE(data.length, 1);
  head.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([head, data]);
}

/** A real zlib-compressed header stream (what a Go client sends); for tests and tools. */
export class HeaderCompressor {
  private readonly deflate = zlib.createDeflate({ dictionary: spdyDictionary });
  private out: Buffer[] = [];

  constructor() {
    this.deflate.on('data', (b: Buffer) => this.out.push(b));
  }

  encode(headers: SpdyHeaders): Promise<Buffer> {
    this.out = [];
    return new Promise((resolve) => {
      this.deflate.write(encodeHeaderPairs(headers));
      this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(this.out)));
    });
  }

  close(): void {
    this.deflate.close();
  }
}
