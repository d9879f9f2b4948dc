/**
 * Messages larger than the connection's max payload (1 MiB by default, announced by the server
 * in INFO) travel as numbered parts. Each part carries `Kubeling-Chunk: i` and
 * `Kubeling-Chunks: n` (1-based); one sender publishes them in order on one subject, which NATS
 * delivers in order, and the receiver concatenates them. A message that fits is sent whole and
 * carries no chunk headers.
 */
import type { Msg, MsgHdrs, NatsConnection } from 'nats';
import { headers as natsHeaders } from 'nats';

export const CHUNK_HEADER = 'Kubeling-Chunk';
export const CHUNKS_HEADER = 'Kubeling-Chunks';
/** On the reply to part 1 of a chunked request: where the remaining parts go. */
export const UPLOAD_HEADER = 'Kubeling-Upload';
/**
 * On a request: the heartbeat interval (ms) the client asks for while it is served. On an empty
 * message to the reply subject: a heartbeat (see request.ts, serve.ts).
 */
export const HEARTBEAT_HEADER = 'Kubeling-Heartbeat';

/** What NATS allows when the server has not said (its default). */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** Room left in each part for the headers (the max payload counts headers and data together). */
const HEADER_ROOM = 256;

export function maxPayloadOf(nc: NatsConnection): number {
  return nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
}

/** The data part of each chunk for a connection with this max payload. */
export function chunkSize(maxPayload: number): number {
  if (maxPayload <= HEADER_ROOM * 2) throw new Error(`max payload ${maxPayload} is too small`);
  return maxPayload - HEADER_ROOM;
}

/** Splits `data` into parts that fit, or returns it whole (one part) when it fits already. */
export function splitPayload(data: Uint8Array, maxPayload: number): Uint8Array[] {
  if (data.length <= maxPayload) return [data];
  const size = chunkSize(maxPayload);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return parts;
}

export function chunkHeaders(index: number, count: number): MsgHdrs {
  const h = natsHeaders();
  h.set(CHUNK_HEADER, String(index));
  h.set(CHUNKS_HEADER, String(count));
  return h;
}

export interface PublishOptions {
  reply?: string;
  /** Defaults to the connection's; tests lower it to exercise chunking with small messages. */
  maxPayload?: number;
}

/** Publishes `data`, in parts when it exceeds the max payload. Returns the number of parts. */
export function publishChunked(
  nc: NatsConnection,
  subject: string,
  data: Uint8Array,
  opts: PublishOptions = {},
): number {
  const parts = splitPayload(data, opts.maxPayload ?? maxPayloadOf(nc));
  if (parts.length === 1) {
    nc.publish(subject, data, opts.reply ? { reply: opts.reply } : undefined);
    return 1;
  }
  parts.forEach((part, i) => {
    const o: { headers: MsgHdrs; reply?: string } = {
      headers: chunkHeaders(i + 1, parts.length),
    };
    if (opts.reply) o.reply = opts.reply;
    nc.publish(subject, part, o);
  });
  return parts.length;
}

export interface ChunkInfo {
  index: number;
  count: number;
}

/** The part number of a message, or undefined for a whole message. Malformed headers throw. */
export function chunkOf(msg: Pick<Msg, 'headers'>): ChunkInfo | undefined {
  const i = msg.headers?.get(CHUNK_HEADER);
  const n = msg.headers?.get(CHUNKS_HEADER);
  if (!i && !n) return undefined;
  const index = Number(i);
  const count = Number(n);
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 1 || index > count)
    throw new Error(`malformed chunk headers ${CHUNK_HEADER}=${i} ${CHUNKS_HEADER}=${n}`);
  return { index, count };
}

/**
 * Rebuilds messages from one in-order stream of messages and parts. A part out of order (one
 * was lost, or a new message started) drops the incomplete message: the stream's own sequence
 * numbers or timeouts then tell the receiver something is missing.
 */
export class Reassembler {
  private parts: Uint8Array[] = [];
  private count = 0;
  private bytes = 0;
  /** Incomplete messages given up so far. */
  dropped = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** The whole message once its last part arrived; undefined while parts are missing. */
  push(msg: Pick<Msg, 'headers' | 'data'>): Uint8Array | undefined {
    const c = chunkOf(msg);
    if (!c) {
      this.abandon();
      return msg.data;
    }
    if (c.index === 1) {
      this.abandon();
      this.count = c.count;
    } else if (c.count !== this.count || c.index !== this.parts.length + 1) {
      this.abandon();
      return undefined;
    }
    this.bytes += msg.data.length;
    if (this.bytes > this.maxBytes) {
      this.abandon();
      throw new Error(`chunked message exceeds ${this.maxBytes} bytes`);
    }
    this.parts.push(msg.data);
    if (this.parts.length < this.count) return undefined;
    const whole = concat(this.parts, this.bytes);
    this.reset();
    return whole;
  }

  /** True while a message is partly received. */
  get pending(): boolean {
    return this.parts.length > 0;
  }

  private abandon(): void {
    if (this.parts.length) this.dropped++;
    this.reset();
  }

  private reset(): void {
    this.parts = [];
    this.count = 0;
    this.bytes = 0;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
