/**
 * Request/reply with chunking both ways, on one reply subscription per connection.
 *
 * - A request that fits the max payload is one message with a reply subject. A larger one is
 *   uploaded: part 1 goes to the service subject (any replica of the queue group takes it), that
 *   replica answers with `Kubeling-Upload: <subject>` and the client publishes the other parts
 *   there, so every part reaches the same replica.
 * - The reply may come in parts (see chunking.ts); they are reassembled here.
 * - A reply with `code >= 400` carries a Status and is thrown as a StatusError, so callers handle
 *   NATS and HTTP errors alike; no answer in time is a 504 Timeout, nobody subscribed a 503.
 *
 * Lost requests. A request NATS routed to a replica at the instant it died (kill -9) is simply
 * gone: NATS gives no error for it, and without more the caller waits for its whole timeout.
 * So a request may ask for heartbeats (`heartbeatMs`, header `Kubeling-Heartbeat: <ms>`): the
 * serving side (serve.ts) then sends an empty message with that header every `heartbeatMs`
 * while it works, and the request is declared lost after `HEARTBEAT_MISSES` heartbeats' worth
 * of silence (no reply part, upload handshake or heartbeat). A replica that is alive answers
 * fast requests before its first heartbeat is due, so fast requests cost nothing extra.
 *
 * Every failure that is not a Status reply is classified (`requestFailureOf`): `no-responders`
 * (NATS said nobody subscribes: nothing received the request, so any request may be sent
 * again), `lost` (the serving replica went silent: it may or may not have acted),
 * `timeout` (the caller's time limit) and `aborted` (the caller's signal).
 */
import type { Msg, NatsConnection, Subscription } from 'nats';
import { createInbox } from 'nats';
import { headers as natsHeaders } from 'nats';
import type { Status, StatusError } from '@kubeling/api';
import { fromStatus, isStatusError, serviceUnavailable, statusFailure } from '@kubeling/api';
import {
  chunkHeaders,
  HEARTBEAT_HEADER,
  maxPayloadOf,
  Reassembler,
  splitPayload,
  UPLOAD_HEADER,
} from './chunking';
import { decode, encode } from './codec';
import type { ApiReplyMessage, ApiRequestMessage } from './messages';
import { PROTOCOL_VERSION } from './subjects';
import type { ApiSubjects } from './subjects';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** What apiRequest asks for: a dead replica is noticed within 3 s. */
export const DEFAULT_HEARTBEAT_MS = 1_000;
/** Heartbeats missed in a row before a request is declared lost. */
export const HEARTBEAT_MISSES = 3;

export interface RequestOptions {
  /** For the whole exchange: upload, handling, every part of the reply (default 30 s). */
  timeoutMs?: number;
  /**
   * Ends the request at once; it rejects with `signal.reason` when that is a StatusError,
   * else with a 504 Timeout (`requestFailureOf`: `aborted`).
   */
  signal?: AbortSignal;
  /**
   * Ask the serving side for a heartbeat this often and declare the request lost after
   * HEARTBEAT_MISSES × this of silence (0 or absent: no heartbeats, only `timeoutMs`).
   */
  heartbeatMs?: number;
  /** Defaults to the connection's; tests lower it to exercise chunking. */
  maxPayload?: number;
}

/** Why a request failed without a Status reply (see the module comment). */
export type RequestFailure = 'no-responders' | 'lost' | 'timeout' | 'aborted';

const failures = new WeakMap<object, RequestFailure>();

function failed(e: StatusError, kind: RequestFailure): StatusError {
  failures.set(e, kind);
  return e;
}

/** The kind of transport failure `e` reports, or undefined for a Status reply or anything else. */
export function requestFailureOf(e: unknown): RequestFailure | undefined {
  return typeof e === 'object' && e !== null ? failures.get(e) : undefined;
}

interface Pending {
  onMessage(msg: Msg): void;
}

/** One wildcard reply subscription per connection, routing replies by their last token. */
class ReplyMux {
  private readonly prefix = createInbox();
  private readonly pending = new Map<string, Pending>();
  private readonly sub: Subscription;
  private next = 0;

  constructor(nc: NatsConnection) {
    this.sub = nc.subscribe(`${this.prefix}.*`, {
      callback: (err, msg) => {
        if (err) return;
        const token = msg.subject.slice(this.prefix.length + 1);
        this.pending.get(token)?.onMessage(msg);
      },
    });
  }

  get closed(): boolean {
    return this.sub.isClosed();
  }

  open(p: Pending): { subject: string; close(): void } {
    const token = (this.next++).toString(36);
    this.pending.set(token, p);
    return { subject: `${this.prefix}.${token}`, close: () => this.pending.delete(token) };
  }
}

const muxes = new WeakMap<NatsConnection, ReplyMux>();

function muxOf(nc: NatsConnection): ReplyMux {
  let m = muxes.get(nc);
  if (!m || m.closed) {
    m = new ReplyMux(nc);
    muxes.set(nc, m);
  }
  return m;
}

/** NATS answers a request nobody subscribes to with an empty 503 message (no responders). */
function isNoResponders(msg: Msg): boolean {
  return msg.data.length === 0 && msg.headers?.code === 503;
}

function isHeartbeat(msg: Msg): boolean {
  return msg.data.length === 0 && !!msg.headers?.has(HEARTBEAT_HEADER);
}

function timedOut(subject: string, ms: number) {
  return failed(
    statusFailure('Timeout', `request to ${subject} timed out after ${ms}ms`),
    'timeout',
  );
}

function aborted(subject: string, signal: AbortSignal): StatusError {
  const r: unknown = signal.reason;
  if (isStatusError(r)) return failed(r, 'aborted');
  return failed(statusFailure('Timeout', `request to ${subject} was cancelled`), 'aborted');
}

/** Sends raw bytes and resolves with the raw (reassembled) reply. Errors are StatusErrors. */
export function requestRaw(
  nc: NatsConnection,
  subject: string,
  data: Uint8Array,
  opts: RequestOptions = {},
): Promise<Uint8Array> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxPayload = opts.maxPayload ?? maxPayloadOf(nc);
  const heartbeatMs = opts.heartbeatMs ?? 0;
  const signal = opts.signal;
  if (signal?.aborted) return Promise.reject(aborted(subject, signal));
  if (nc.isClosed()) return Promise.reject(serviceUnavailable('the NATS connection is closed'));
  const parts = splitPayload(data, maxPayload);
  return new Promise<Uint8Array>((resolve, reject) => {
    const assembler = new Reassembler();
    let uploaded = parts.length === 1;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const finish = (err: unknown, out?: Uint8Array): void => {
      clearTimeout(timer);
      clearTimeout(silence);
      signal?.removeEventListener('abort', onAbort);
      slot.close();
      if (err) reject(err);
      else resolve(out!);
    };
    const onAbort = () => finish(aborted(subject, signal!));
    // Any message from the serving side proves it alive: start the silence count again.
    const heard = (): void => {
      if (!heartbeatMs) return;
      clearTimeout(silence);
      const ms = heartbeatMs * HEARTBEAT_MISSES;
      silence = setTimeout(
        () =>
          finish(
            failed(
              statusFailure(
                'Timeout',
                `request to ${subject}: no reply and no heartbeat for ${ms}ms (the serving replica is gone)`,
              ),
              'lost',
            ),
          ),
        ms,
      );
    };
    const slot = muxOf(nc).open({
      onMessage: (msg) => {
        try {
          if (isNoResponders(msg))
            return finish(
              failed(
                serviceUnavailable(`no one serves ${subject} (no responders)`),
                'no-responders',
              ),
            );
          heard();
          if (isHeartbeat(msg)) return;
          const upload = msg.headers?.get(UPLOAD_HEADER);
          if (upload && !uploaded) {
            uploaded = true;
            for (let i = 1; i < parts.length; i++)
              nc.publish(upload, parts[i], { headers: chunkHeaders(i + 1, parts.length) });
            return;
          }
          const whole = assembler.push(msg);
          if (whole) finish(undefined, whole);
        } catch (e) {
          finish(e);
        }
      },
    });
    const timer = setTimeout(() => finish(timedOut(subject, timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    heard();
    try {
      const headers = parts.length === 1 ? undefined : chunkHeaders(1, parts.length);
      if (heartbeatMs) {
        const h = headers ?? natsHeaders();
        h.set(HEARTBEAT_HEADER, String(Math.round(heartbeatMs)));
        nc.publish(subject, parts[0], { reply: slot.subject, headers: h });
      } else if (headers) nc.publish(subject, parts[0], { reply: slot.subject, headers });
      else nc.publish(subject, data, { reply: slot.subject });
    } catch (e) {
      finish(serviceUnavailable(`cannot publish to ${subject}: ${(e as Error).message}`));
    }
  });
}

function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

/**
 * Sends `msg` as JSON and resolves with the decoded reply; a reply with `code >= 400` is thrown
 * as the StatusError its body describes.
 */
export async function request<T = ApiReplyMessage>(
  nc: NatsConnection,
  subject: string,
  msg: unknown,
  opts: RequestOptions = {},
): Promise<T> {
  const reply = decode(await requestRaw(nc, subject, encode(msg), opts));
  const code =
    typeof reply === 'object' && reply !== null ? (reply as { code?: unknown }).code : undefined;
  if (typeof code !== 'number')
    throw statusFailure('InternalError', `malformed reply from ${subject}: no code`);
  if (code >= 400) {
    const body = (reply as { body?: unknown }).body;
    if (isStatus(body)) throw fromStatus(body);
    throw statusFailure('InternalError', `error ${code} from ${subject}`, undefined, code);
  }
  return reply as T;
}

/**
 * One API call (every verb but watch): adds the protocol version, returns the reply. Asks for
 * heartbeats (DEFAULT_HEARTBEAT_MS unless `opts.heartbeatMs` says otherwise), so a request lost
 * with a killed replica fails within seconds, classified `lost`.
 */
export function apiRequest<T = unknown>(
  nc: NatsConnection,
  subjects: Pick<ApiSubjects, 'request'>,
  req: Omit<ApiRequestMessage, 'v'>,
  opts: RequestOptions = {},
): Promise<ApiReplyMessage<T>> {
  const msg: ApiRequestMessage = { v: PROTOCOL_VERSION, ...req };
  return request<ApiReplyMessage<T>>(nc, subjects.request, msg, {
    ...opts,
    heartbeatMs: opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
  });
}
