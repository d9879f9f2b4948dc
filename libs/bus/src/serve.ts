/**
 * The server side of request/reply: a (queue) subscription whose handler gets each decoded
 * request and returns the reply. Whatever the handler throws becomes `{ code, body: Status }`,
 * so a bad request can never take the server down; replies larger than the max payload go in
 * parts, chunked requests are collected (see request.ts for the upload handshake). A request
 * that asks for heartbeats (`Kubeling-Heartbeat: <ms>`) gets an empty heartbeat message every
 * that many ms until its reply is sent, so its client can tell a slow replica from a dead one.
 */
import type { Msg, MsgHdrs, NatsConnection, Subscription } from 'nats';
import { createInbox, headers as natsHeaders } from 'nats';
import {
  badRequest,
  isStatusError,
  requestEntityTooLarge,
  statusFailure,
  toStatus,
} from '@kubeling/api';
import {
  chunkOf,
  HEARTBEAT_HEADER,
  maxPayloadOf,
  publishChunked,
  Reassembler,
  UPLOAD_HEADER,
} from './chunking';
import { decode, encode } from './codec';

export interface ServeContext {
  subject: string;
  headers?: MsgHdrs;
  /** False for a plain publish: the reply is dropped. */
  expectsReply: boolean;
  /**
   * Runs `fn` right after the reply is published (or dropped, or replaced by an error reply):
   * a watch sends its events only once the client has its acknowledgement.
   */
  afterReply(fn: () => void): void;
}

/** Returns the reply (encoded as JSON), or throws (a StatusError, or anything: a 500). */
export type ServeHandler = (msg: unknown, ctx: ServeContext) => unknown;

export interface ServeOptions {
  /** Largest request accepted, chunked or not (default 3 MiB, the REST API's body limit: 413). */
  maxRequestBytes?: number;
  /** How long the remaining parts of a chunked request may take (default 30 s). */
  uploadTimeoutMs?: number;
  /** Defaults to the connection's; tests lower it. */
  maxPayload?: number;
  /** Called with errors that are not the client's fault (a handler's non-Status error). */
  onError?(e: unknown, subject: string): void;
}

export interface Service {
  readonly subject: string;
  /** The subscription is open and not draining. */
  isLive(): boolean;
  /** Requests being handled now. */
  inFlight(): number;
  /** Stops taking requests (other queue members get them), then waits for those in flight. */
  drain(): Promise<void>;
}

export const DEFAULT_MAX_REQUEST_BYTES = 3 * 1024 * 1024;

/** Heartbeat intervals a client may ask for; outside, the nearest bound is used. */
const MIN_HEARTBEAT_MS = 50;
const MAX_HEARTBEAT_MS = 60_000;

/** Sends heartbeats to `msg.reply` while a request is served, when it asked for them. */
function startHeartbeats(nc: NatsConnection, msg: Msg): () => void {
  const asked = Number(msg.headers?.get(HEARTBEAT_HEADER) ?? '');
  const to = msg.reply;
  if (!to || !(asked > 0)) return () => undefined;
  const ms = Math.min(MAX_HEARTBEAT_MS, Math.max(MIN_HEARTBEAT_MS, asked));
  const timer = setInterval(() => {
    if (nc.isClosed()) return;
    const h = natsHeaders();
    h.set(HEARTBEAT_HEADER, '1');
    try {
      nc.publish(to, new Uint8Array(0), { headers: h });
    } catch {
      // the reply (or the client's silence timer) settles the request either way
    }
  }, ms);
  return () => clearInterval(timer);
}

/**
 * Subscribes `handler` to `subject` (in `queue` when given: each request goes to one member).
 * Resolves once the server has registered the subscription, so callers can report readiness.
 */
export async function serve(
  nc: NatsConnection,
  subject: string,
  queue: string | undefined,
  handler: ServeHandler,
  opts: ServeOptions = {},
): Promise<Service> {
  const maxRequestBytes = opts.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const uploadTimeoutMs = opts.uploadTimeoutMs ?? 30_000;
  const maxPayload = () => opts.maxPayload ?? maxPayloadOf(nc);
  const inFlight = new Set<Promise<void>>();
  const uploads = new Set<Subscription>();
  let draining = false;

  const reply = (to: string | undefined, value: unknown): void => {
    if (!to || nc.isClosed()) return;
    try {
      publishChunked(nc, to, encode(value), { maxPayload: maxPayload() });
    } catch (e) {
      opts.onError?.(e, subject);
    }
  };
  const replyError = (to: string | undefined, e: unknown): void => {
    const status = toStatus(e);
    if (!isStatusError(e)) opts.onError?.(e, subject);
    reply(to, { code: status.code, body: status });
  };

  const handle = (data: Uint8Array, msg: Msg): void => {
    const after: Array<() => void> = [];
    const stopHeartbeats = startHeartbeats(nc, msg);
    const run = (async () => {
      try {
        if (data.length > maxRequestBytes)
          throw requestEntityTooLarge(`limit is ${maxRequestBytes}`);
        const decoded = decode(data);
        const ctx: ServeContext = {
          subject: msg.subject,
          expectsReply: !!msg.reply,
          afterReply: (fn) => void after.push(fn),
        };
        if (msg.headers) ctx.headers = msg.headers;
        reply(msg.reply, await handler(decoded, ctx));
      } catch (e) {
        replyError(msg.reply, e);
      }
      stopHeartbeats();
      for (const fn of after) {
        try {
          fn();
        } catch (e) {
          opts.onError?.(e, subject);
        }
      }
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  };

  /** Part 1 of n arrived: open an upload subject for the rest, tell the client where it is. */
  const startUpload = (first: Msg, count: number): void => {
    // Every part but the last is as large as the first one.
    if ((count - 1) * first.data.length >= maxRequestBytes)
      return replyError(first.reply, requestEntityTooLarge(`limit is ${maxRequestBytes}`));
    if (!first.reply) return; // nobody to tell where the rest goes
    const assembler = new Reassembler(maxRequestBytes);
    assembler.push(first);
    const inbox = createInbox();
    const timer = setTimeout(() => {
      done();
      replyError(first.reply, statusFailure('Timeout', 'the rest of a chunked request never came'));
    }, uploadTimeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      uploads.delete(sub);
      sub.unsubscribe();
    };
    const sub = nc.subscribe(inbox, {
      callback: (err, part) => {
        if (err) return;
        try {
          const whole = assembler.push(part);
          if (whole) {
            done();
            handle(whole, first);
          } else if (!assembler.pending) {
            done();
            replyError(first.reply, badRequest('a part of a chunked request was lost'));
          }
        } catch {
          done();
          replyError(first.reply, requestEntityTooLarge(`limit is ${maxRequestBytes}`));
        }
      },
    });
    uploads.add(sub);
    const h = natsHeaders();
    h.set(UPLOAD_HEADER, inbox);
    nc.publish(first.reply, new Uint8Array(0), { headers: h });
  };

  const sub = nc.subscribe(subject, {
    ...(queue ? { queue } : {}),
    callback: (err, msg) => {
      if (err) return opts.onError?.(err, subject);
      let chunk;
      try {
        chunk = chunkOf(msg);
      } catch (e) {
        return replyError(msg.reply, badRequest((e as Error).message));
      }
      if (!chunk) return handle(msg.data, msg);
      if (chunk.index !== 1 || chunk.count < 2)
        return replyError(
          msg.reply,
          badRequest('parts of a chunked request go to the upload subject'),
        );
      startUpload(msg, chunk.count);
    },
  });
  await nc.flush();

  return {
    subject,
    isLive: () => !draining && !sub.isClosed() && !nc.isClosed(),
    inFlight: () => inFlight.size,
    async drain() {
      if (draining) return;
      draining = true;
      if (!sub.isClosed() && !nc.isClosed()) await sub.drain();
      for (const u of uploads) u.unsubscribe();
      uploads.clear();
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}
