/**
 * The NATS watches of one replica. Each is a `startWatch` (registry/watch.ts: the same filtering,
 * initial events, bookmarks and 410 handling as HTTP watches) whose sink publishes to the
 * client's inbox, numbering every message with `seq` so a client notices a lost one.
 *
 * - Events wait until the acknowledgement is out: the client learns the watch id first, and
 *   the initial ADDED events of a list-then-watch follow it in order.
 * - One watch's messages leave in the order `startWatch` produced them (publishing is
 *   synchronous), so a BOOKMARK never overtakes the event whose resourceVersion it carries.
 * - A watch not kept alive for `expiryMs` is ended: its client vanished (upstream ends a watch
 *   when its HTTP connection drops; NATS has no connection per watch, hence keepalives).
 * - END is the last message of every watch, whatever ended it.
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import type {
  WatchAckMessage,
  WatchEndReason,
  WatchMessage,
  WatchRequestMessage,
} from '@kubeling/bus';
import { encode, publishChunked } from '@kubeling/bus';
import { toStatus } from '@kubeling/api';
import type { Logger } from '../log';
import type { ApiMetrics, RequestLabels } from '../metrics';
import type { Api } from '../registry/api';
import type { ActiveWatch, WatchEvent, WatchSink } from '../registry/watch';
import { metricLabels, toWatchRequest } from './requests';

export interface WatchTableOptions {
  nc: NatsConnection;
  api: Api;
  /** This replica's subject token. */
  replica: string;
  bookmarkIntervalMs: number;
  expiryMs: number;
  log: Logger;
  /** apiserver_longrunning_requests counts NATS watches as it counts HTTP ones. */
  metrics?: ApiMetrics;
  /** Defaults to the connection's. */
  maxPayload?: number;
  now?: () => number;
}

class NatsWatch implements WatchSink {
  private seq = 0;
  private held: WatchMessage[] | undefined = [];
  private lastType: string | undefined;
  active: ActiveWatch | undefined;
  /** Set while counted in apiserver_longrunning_requests. */
  labels: RequestLabels | undefined;
  ended = false;
  lastKeepalive: number;

  constructor(
    readonly id: string,
    private readonly inbox: string,
    private readonly table: WatchTable,
    now: number,
  ) {
    this.lastKeepalive = now;
  }

  send(ev: WatchEvent): void {
    if (this.ended) return;
    this.lastType = ev.type;
    this.emit({ seq: ++this.seq, type: ev.type, object: ev.object });
  }

  /** Set by the table: acknowledges the watch request. */
  onStarted: (() => void) | undefined;

  started(): void {
    this.onStarted?.();
  }

  /** The watch broke after it was acknowledged: tell the client, end it. */
  fail(e: unknown): void {
    if (this.ended) return;
    this.send({ type: 'ERROR', object: toStatus(e) });
    this.end('error');
  }

  /** startWatch is done: timeout, or after an ERROR event (410, store failure). */
  close(): void {
    this.end(this.lastType === 'ERROR' ? 'error' : 'timeout');
  }

  end(reason: WatchEndReason): void {
    if (this.ended) return;
    this.emit({ seq: ++this.seq, type: 'END', reason });
    this.ended = true;
    this.active?.stop();
    this.table.forget(this);
  }

  /** The acknowledgement is out: send what waited for it, then publish as events come. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const m of held) this.publish(m);
  }

  /** The watch never started (an error reply went instead of the acknowledgement). */
  discard(): void {
    this.held = undefined;
    this.ended = true;
    this.active?.stop();
    this.table.forget(this);
  }

  private emit(m: WatchMessage): void {
    if (this.held) this.held.push(m);
    else this.publish(m);
  }

  private publish(m: WatchMessage): void {
    try {
      this.table.publish(this.inbox, m);
    } catch (e) {
      // The connection is closed or the message cannot be sent: the watch cannot go on; the
      // client notices the silence (or the gap) and re-watches.
      if (!this.ended) {
        this.ended = true;
        this.active?.stop();
        this.table.forget(this);
        this.table.log.error('watch publish failed', { watch: this.id, error: String(e) });
      }
    }
  }
}

export class WatchTable {
  private readonly watches = new Map<string, NatsWatch>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private readonly now: () => number;
  readonly log: Logger;

  constructor(private readonly opts: WatchTableOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log;
    this.sweeper = setInterval(
      () => this.sweep(),
      Math.max(50, Math.min(5_000, opts.expiryMs / 4)),
    );
  }

  get size(): number {
    return this.watches.size;
  }

  /**
   * Starts a watch. Resolves with the acknowledgement as soon as the request proved valid and
   * the initial events are produced — before a catch-up from an old resourceVersion, which
   * streams after it (with bookmarks as heartbeat). `afterReply` gets the release step, which
   * the transport runs once the acknowledgement is published. A failure after the
   * acknowledgement becomes an ERROR event and END.
   */
  start(msg: WatchRequestMessage, afterReply: (fn: () => void) => void): Promise<WatchAckMessage> {
    const w = new NatsWatch(randomUUID(), msg.inbox, this, this.now());
    this.watches.set(w.id, w);
    const req = toWatchRequest(msg);
    const ack: WatchAckMessage = {
      code: 200,
      watchId: w.id,
      replica: this.opts.replica,
      bookmarkIntervalMs: this.opts.bookmarkIntervalMs,
      expiryMs: this.opts.expiryMs,
    };
    return new Promise<WatchAckMessage>((resolve, reject) => {
      let acked = false;
      const acknowledge = (): void => {
        if (acked) return;
        acked = true;
        if (!w.ended && this.opts.metrics) {
          w.labels = metricLabels(req);
          this.opts.metrics.longrunning.add(w.labels, 1);
        }
        afterReply(() => w.release());
        this.log.debug('nats watch', { watch: w.id, resource: msg.resource, inbox: msg.inbox });
        resolve(ack);
      };
      w.onStarted = acknowledge;
      this.opts.api
        .watch(req, w, { bookmarkIntervalMs: this.opts.bookmarkIntervalMs })
        .then((active) => {
          w.active = active;
          if (w.ended) active.stop();
          acknowledge();
        })
        .catch((e: unknown) => {
          if (acked) return w.fail(e);
          w.discard();
          reject(e);
        });
    });
  }

  /** Marks watches alive; returns the ids this replica does not serve. */
  keepalive(ids: string[]): string[] {
    const unknown: string[] = [];
    const now = this.now();
    for (const id of ids) {
      const w = this.watches.get(id);
      if (w) w.lastKeepalive = now;
      else unknown.push(id);
    }
    return unknown;
  }

  cancel(id: string): boolean {
    const w = this.watches.get(id);
    w?.end('cancelled');
    return w !== undefined;
  }

  /** Ends the watches whose clients stopped keeping them alive. */
  sweep(): void {
    const deadline = this.now() - this.opts.expiryMs;
    for (const w of [...this.watches.values()])
      if (w.lastKeepalive < deadline) {
        this.log.debug('nats watch expired', { watch: w.id });
        w.end('expired');
      }
  }

  /** Ends every watch with END `shutdown`: clients re-watch through another replica. */
  endAll(reason: WatchEndReason = 'shutdown'): void {
    clearInterval(this.sweeper);
    for (const w of [...this.watches.values()]) w.end(reason);
  }

  publish(inbox: string, m: WatchMessage): void {
    const opts = this.opts.maxPayload ? { maxPayload: this.opts.maxPayload } : {};
    publishChunked(this.opts.nc, inbox, encode(m), opts);
  }

  forget(w: NatsWatch): void {
    this.watches.delete(w.id);
    if (w.labels) this.opts.metrics?.longrunning.add(w.labels, -1);
    w.labels = undefined;
  }
}
