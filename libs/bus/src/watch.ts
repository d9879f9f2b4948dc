/**
 * The client side of a watch over NATS: subscribe to an inbox, ask a replica (through the queue
 * group) to stream events there, and check the stream as it comes.
 *
 * The stream ends — and the caller re-watches from the last resourceVersion it processed, which
 * gives exactly-once delivery across replica failures because every replica reads one change
 * log — when:
 *   - the replica sends END (watch timeout, replica shutting down, after an ERROR event);
 *   - a `seq` is skipped (NATS dropped a message: slow consumer, reconnect);
 *   - nothing arrives for `livenessFactor` × the bookmark interval (BOOKMARKs are the heartbeat);
 *   - a keepalive finds no replica behind the subject, or the replica no longer knows the watch;
 *   - the connection closes, `stop()` is called, or `onEvent` throws.
 */
import type { Msg, NatsConnection, NatsError, Subscription } from 'nats';
import { createInbox } from 'nats';
import { isStatusError } from '@kubeling/api';
import { Reassembler } from './chunking';
import { decode, encode } from './codec';
import type {
  CancelMessage,
  KeepaliveMessage,
  KeepaliveReplyMessage,
  WatchAckMessage,
  WatchEndReason,
  WatchEventMessage,
  WatchMessage,
  WatchRequestMessage,
} from './messages';
import { DEFAULT_HEARTBEAT_MS, request } from './request';
import type { ApiSubjects } from './subjects';
import { PROTOCOL_VERSION } from './subjects';

export interface OpenWatchOptions {
  subjects: Pick<ApiSubjects, 'watch' | 'keepalive' | 'cancel'>;
  /** What to watch: group, version, resource, namespace?, name?, query? (labelSelector,
   *  fieldSelector, resourceVersion, timeoutSeconds). */
  request: Omit<WatchRequestMessage, 'v' | 'inbox'>;
  /** Each event in `seq` order, one at a time: a returned promise is awaited before the next. */
  onEvent(ev: WatchEventMessage): void | Promise<void>;
  /** For the watch request itself (default 30 s). A slow initial list counts against it. */
  requestTimeoutMs?: number;
  /** Ends the watch request (before the acknowledgement) at once; see RequestOptions.signal. */
  signal?: AbortSignal;
  /** Heartbeats asked for while the replica prepares the watch (default DEFAULT_HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** Silence tolerated, in bookmark intervals (default 3). */
  livenessFactor?: number;
  /** Default: min(10 s, a third of the replica's expiry). */
  keepaliveIntervalMs?: number;
}

export type WatchCloseReason =
  'end' | 'gap' | 'stale' | 'replica-gone' | 'stopped' | 'closed' | 'handler-error' | 'bad-message';

export interface WatchClose {
  reason: WatchCloseReason;
  /** For `end`: why the replica ended the watch. */
  serverReason?: WatchEndReason;
  error?: unknown;
  /** The last seq processed. */
  lastSeq: number;
}

export interface WatchStream {
  readonly watchId: string;
  /** The replica serving it (a subject token). */
  readonly replica: string;
  readonly bookmarkIntervalMs: number;
  /** Resolves once, after the last event was handed to onEvent. */
  readonly done: Promise<WatchClose>;
  /** Ends the watch here and on the replica. */
  stop(): void;
}

/**
 * Starts a watch; resolves once a replica accepted it. A refused watch (bad selector: 400,
 * unknown resource: 404, no api-server: 503, no answer: 504) rejects with a StatusError.
 */
export async function openWatch(nc: NatsConnection, opts: OpenWatchOptions): Promise<WatchStream> {
  const inbox = createInbox();
  const assembler = new Reassembler();
  const queue: WatchEventMessage[] = [];
  let expectSeq = 1;
  let lastSeq = 0;
  let ack: WatchAckMessage | undefined;
  let closing: WatchClose | undefined;
  let pumping = false;
  let lastSeen = Date.now();
  let livenessTimer: ReturnType<typeof setTimeout> | undefined;
  let keepaliveTimer: ReturnType<typeof setInterval> | undefined;
  let resolveDone!: (c: WatchClose) => void;
  const done = new Promise<WatchClose>((r) => (resolveDone = r));

  const finishIfIdle = (): void => {
    if (closing && !pumping && queue.length === 0) resolveDone({ ...closing, lastSeq });
  };

  const close = (c: Omit<WatchClose, 'lastSeq'>): void => {
    if (closing) return;
    closing = { ...c, lastSeq: 0 };
    if (c.reason === 'stopped' || c.reason === 'handler-error') queue.length = 0;
    clearTimeout(livenessTimer);
    clearInterval(keepaliveTimer);
    if (!sub.isClosed()) sub.unsubscribe();
    const tellReplica = ack && !['end', 'replica-gone', 'closed'].includes(c.reason);
    if (tellReplica && ack && !nc.isClosed()) {
      const msg: CancelMessage = { v: PROTOCOL_VERSION, watchId: ack.watchId };
      try {
        nc.publish(opts.subjects.cancel(ack.replica), encode(msg));
      } catch {
        // best effort: the replica expires the watch anyway
      }
    }
    finishIfIdle();
  };

  const pump = async (): Promise<void> => {
    if (pumping || !ack) return;
    pumping = true;
    while (queue.length) {
      const ev = queue.shift()!;
      try {
        await opts.onEvent(ev);
        lastSeq = ev.seq;
      } catch (error) {
        pumping = false;
        close({ reason: 'handler-error', error });
        return;
      }
    }
    pumping = false;
    finishIfIdle();
  };

  const onMessage = (err: NatsError | null, msg: Msg): void => {
    if (closing) return;
    if (err) return close({ reason: 'closed', error: err });
    lastSeen = Date.now();
    let m: WatchMessage;
    try {
      const data = assembler.push(msg);
      if (!data) return;
      m = decode(data) as WatchMessage;
    } catch (error) {
      return close({ reason: 'bad-message', error });
    }
    if (typeof m !== 'object' || m === null || m.seq !== expectSeq) return close({ reason: 'gap' });
    expectSeq++;
    if (m.type === 'END') return close({ reason: 'end', serverReason: m.reason });
    queue.push(m);
    void pump();
  };

  const sub: Subscription = nc.subscribe(inbox, { callback: onMessage });
  void sub.closed.then(() => close({ reason: 'closed' }));

  const req: WatchRequestMessage = { v: PROTOCOL_VERSION, ...opts.request, inbox };
  try {
    ack = await request<WatchAckMessage>(nc, opts.subjects.watch, req, {
      timeoutMs: opts.requestTimeoutMs ?? 30_000,
      heartbeatMs: opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (e) {
    closing = { reason: 'closed', error: e, lastSeq: 0 };
    if (!sub.isClosed()) sub.unsubscribe();
    throw e;
  }
  const accepted = ack;
  if (closing) {
    // Closed while the request was in flight (the connection, a gap): release the replica's side.
    const c = closing as WatchClose;
    closing = undefined;
    close(c);
  }

  const livenessMs = (opts.livenessFactor ?? 3) * accepted.bookmarkIntervalMs;
  const checkLiveness = (): void => {
    const silent = Date.now() - lastSeen;
    if (silent >= livenessMs) return close({ reason: 'stale' });
    livenessTimer = setTimeout(checkLiveness, livenessMs - silent);
  };
  lastSeen = Date.now();
  if (!closing) livenessTimer = setTimeout(checkLiveness, livenessMs);

  const keepaliveMs =
    opts.keepaliveIntervalMs ?? Math.min(10_000, Math.max(100, accepted.expiryMs / 3));
  const keepalive = (): void => {
    if (closing) return;
    const msg: KeepaliveMessage = { v: PROTOCOL_VERSION, watchIds: [accepted.watchId] };
    request<KeepaliveReplyMessage>(nc, opts.subjects.keepalive(accepted.replica), msg, {
      timeoutMs: Math.min(5_000, keepaliveMs),
    }).then(
      (r) => {
        if (r.unknown.includes(accepted.watchId)) close({ reason: 'replica-gone' });
      },
      (e: unknown) => {
        // 503: nobody subscribes to the replica's subject any more — it is gone. A timeout
        // proves nothing (a busy replica); the liveness timer decides then.
        if (isStatusError(e) && e.code === 503) close({ reason: 'replica-gone', error: e });
      },
    );
  };
  if (!closing) keepaliveTimer = setInterval(keepalive, keepaliveMs);

  void pump();
  return {
    watchId: accepted.watchId,
    replica: accepted.replica,
    bookmarkIntervalMs: accepted.bookmarkIntervalMs,
    done,
    stop: () => close({ reason: 'stopped' }),
  };
}
