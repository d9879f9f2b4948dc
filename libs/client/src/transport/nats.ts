/**
 * The NATS transport: the kubeling API over the bus (docs/protocol.md), which is how components
 * talk to the api-server. Request/reply through the `api-server` queue group (any replica
 * answers); watches stream to an inbox and are checked by libs/bus (`seq` gaps, liveness from
 * BOOKMARKs, keepalives to the serving replica).
 *
 * A watch that libs/bus closes abnormally (a gap, silence, the replica gone, the connection
 * closed) ends this stream with a thrown 503 StatusError; the informer then re-watches from the
 * last resourceVersion it processed, and the queue group routes that watch to a live replica.
 * A watch the replica ended (END: timeout, shutdown) ends the iteration normally.
 *
 * Requests ask the serving replica for heartbeats (libs/bus request.ts): a request NATS routed
 * to a replica at the instant it was killed fails after 3 × `heartbeatMs` of silence, marked
 * `lost`, instead of waiting out its time limit; NATS's no-responders answer is marked
 * `not-delivered`. The Client decides what to send again (retry.ts); the queue group then
 * routes the retry to a live replica.
 */
import type { NatsConnection } from 'nats';
import { connect } from 'nats';
import type { ApiSubjects, WatchClose, WatchStream as BusWatch } from '@kubeling/bus';
import {
  apiRequest,
  apiSubjects,
  DEFAULT_HEARTBEAT_MS,
  openWatch,
  requestFailureOf,
} from '@kubeling/bus';
import { statusFailure } from '@kubeling/api';
import type {
  ApiRequest,
  ApiResponse,
  AttemptOptions,
  Transport,
  WatchEvent,
  WatchRequest,
  WatchStream,
} from './types';
import { asStatusError, markTransportFailure } from './status';

/** A bus failure as the StatusError the Client sees, marked when the Client may send it again. */
function busError(e: unknown, what: string) {
  const err = asStatusError(e, what);
  const failure = requestFailureOf(e);
  if (failure === 'no-responders') return markTransportFailure(err, 'not-delivered');
  if (failure === 'lost') return markTransportFailure(err, 'lost');
  return err;
}

export interface NatsTransportOptions {
  /** The cluster's name: subjects live under `kubeling.<cluster>.`. */
  cluster: string;
  /** An open connection (the caller closes it), or `natsUrl` to open one owned by the transport. */
  connection?: NatsConnection;
  /** Default `$NATS_URL` or nats://127.0.0.1:4222. */
  natsUrl?: string;
  /** Connection name shown by the NATS server (default the process title and pid). */
  name?: string;
  /** Time limit of each request when the caller gives none (default 30 s). */
  requestTimeoutMs?: number;
  /**
   * Heartbeat interval asked of the serving replica (default 1 s): a request is lost after 3 ×
   * this without a reply or heartbeat (a killed replica).
   */
  heartbeatMs?: number;
  /**
   * Time limit for a replica to accept a watch from a resourceVersion (default 10 s): the
   * acknowledgement does not wait for an initial list. (A watch request lost with a killed
   * replica is noticed sooner, by its missing heartbeats.)
   */
  watchRequestTimeoutMs?: number;
  /** Events buffered per watch before the transport stops taking more from the bus (default 256). */
  watchBuffer?: number;
}

export class NatsTransport implements Transport {
  private readonly subjects: ApiSubjects;
  private readonly requestTimeoutMs: number;
  private readonly watchRequestTimeoutMs: number;
  private readonly watchBuffer: number;
  private readonly heartbeatMs: number;
  private readonly watches = new Set<WatchStream>();

  private constructor(
    readonly connection: NatsConnection,
    private readonly owned: boolean,
    opts: NatsTransportOptions,
  ) {
    this.subjects = apiSubjects(opts.cluster);
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.watchRequestTimeoutMs = opts.watchRequestTimeoutMs ?? 10_000;
    this.watchBuffer = opts.watchBuffer ?? 256;
    this.heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  }

  /** Uses `opts.connection`, or connects to `opts.natsUrl` (and then owns the connection). */
  static async connect(opts: NatsTransportOptions): Promise<NatsTransport> {
    if (opts.connection) return new NatsTransport(opts.connection, false, opts);
    const servers = opts.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers,
        name: opts.name ?? `${process.title}-${process.pid}`,
        // Components live as long as the cluster: keep trying through NATS restarts.
        maxReconnectAttempts: -1,
      });
    } catch (e) {
      throw asStatusError(e, `connecting to NATS at ${servers}`);
    }
    return new NatsTransport(nc, true, opts);
  }

  async request(req: ApiRequest, opts: AttemptOptions = {}): Promise<ApiResponse> {
    try {
      const reply = await apiRequest(this.connection, this.subjects, req, {
        timeoutMs: opts.timeoutMs ?? this.requestTimeoutMs,
        heartbeatMs: this.heartbeatMs,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const out: ApiResponse = { code: reply.code, body: reply.body };
      if (reply.warnings?.length) out.warnings = reply.warnings;
      return out;
    } catch (e) {
      throw busError(e, `${req.verb} ${req.resource} over NATS`);
    }
  }

  async watch(req: WatchRequest, opts: AttemptOptions = {}): Promise<WatchStream> {
    const buffer: WatchEvent[] = [];
    let wake: (() => void) | undefined;
    let resumeBus: (() => void) | undefined;
    let closed: WatchClose | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    let bus: BusWatch;
    try {
      bus = await openWatch(this.connection, {
        subjects: this.subjects,
        request: req,
        // A watch from '' or '0' sends the current state first: allow it the full time.
        requestTimeoutMs: Math.min(
          opts.timeoutMs ?? Infinity,
          (req.query?.resourceVersion ?? '0') === '0' || req.query?.resourceVersion === ''
            ? this.requestTimeoutMs
            : this.watchRequestTimeoutMs,
        ),
        heartbeatMs: this.heartbeatMs,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onEvent: (ev) => {
          buffer.push({ type: ev.type, object: ev.object } as WatchEvent);
          notify();
          // Backpressure: hold the bus's delivery while the consumer is this far behind.
          if (buffer.length >= this.watchBuffer)
            return new Promise<void>((resolve) => (resumeBus = resolve));
        },
      });
    } catch (e) {
      throw busError(e, `watch ${req.resource} over NATS`);
    }
    void bus.done.then((c) => {
      closed = c;
      notify();
    });
    const watches = this.watches;
    const low = Math.max(1, this.watchBuffer >> 1);
    let stopped = false;
    const stream: WatchStream = {
      stop() {
        if (stopped) return;
        stopped = true;
        watches.delete(stream);
        bus.stop();
        resumeBus?.();
        notify();
      },
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (stopped) return;
          const ev = buffer.shift();
          if (ev) {
            if (buffer.length < low) {
              const r = resumeBus;
              resumeBus = undefined;
              r?.();
            }
            yield ev;
            continue;
          }
          if (closed) {
            watches.delete(stream);
            if (closed.reason === 'end' || closed.reason === 'stopped') return;
            throw statusFailure(
              'ServiceUnavailable',
              `watch ${req.resource} over NATS closed: ${closed.reason}${
                closed.error instanceof Error ? ` (${closed.error.message})` : ''
              }`,
            );
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
    this.watches.add(stream);
    return stream;
  }

  async close(): Promise<void> {
    for (const w of [...this.watches]) w.stop();
    if (this.owned && !this.connection.isClosed()) await this.connection.drain();
  }
}
