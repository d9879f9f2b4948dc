/**
 * The API over NATS (docs/protocol.md): the same `Api` as HTTP behind four subjects.
 *
 *   kubeling.<cluster>.api.v1.request                       queue group api-server: every verb but watch
 *   kubeling.<cluster>.api.v1.watch                         queue group api-server: starts a watch
 *   kubeling.<cluster>.api.v1.replica.<replica>.keepalive   this replica only
 *   kubeling.<cluster>.api.v1.replica.<replica>.cancel      this replica only
 *
 * Replicas share requests and new watches through the queue group; a watch stays on the replica
 * that started it, which is why keepalive and cancel name the replica.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from 'nats';
import type { ApiSubjects, Service, ServeContext } from '@kubeling/bus';
import {
  API_SERVER_QUEUE,
  apiSubjects,
  parseApiRequest,
  parseCancel,
  parseKeepalive,
  parseWatchRequest,
  serve,
  subjectToken,
} from '@kubeling/bus';
import { isStatusError } from '@kubeling/api';
import type { MaxInFlight } from '../filters/maxInFlight';
import type { Logger } from '../log';
import type { ApiMetrics } from '../metrics';
import type { Api } from '../registry/api';
import { metricLabels, toApiRequest, toWatchRequest } from './requests';
import { WatchTable } from './watches';

export interface NatsApiOptions {
  nc: NatsConnection;
  api: Api;
  cluster: string;
  /** The replica's --id; its subject token gets a random suffix, unique per process. */
  replicaId: string;
  log: Logger;
  metrics?: ApiMetrics;
  /** BOOKMARK (heartbeat) interval of NATS watches. */
  bookmarkIntervalMs: number;
  /** A watch not kept alive this long is ended. */
  watchExpiryMs: number;
  /** Defaults to the connection's (tests lower it to exercise chunking). */
  maxPayload?: number;
  now?: () => number;
  /** The replica's in-flight limit, shared with HTTP; no limit when absent. Watches are exempt. */
  maxInFlight?: MaxInFlight;
}

export class NatsApi {
  readonly subjects: ApiSubjects;
  readonly replica: string;
  private readonly services: Service[] = [];
  private readonly replicaServices: Service[] = [];
  private readonly watches: WatchTable;
  private stopping = false;

  private constructor(private readonly opts: NatsApiOptions) {
    this.subjects = apiSubjects(opts.cluster);
    this.replica = `${subjectToken(opts.replicaId)}-${randomBytes(3).toString('hex')}`;
    const table: ConstructorParameters<typeof WatchTable>[0] = {
      nc: opts.nc,
      api: opts.api,
      replica: this.replica,
      bookmarkIntervalMs: opts.bookmarkIntervalMs,
      expiryMs: opts.watchExpiryMs,
      log: opts.log,
    };
    if (opts.metrics) table.metrics = opts.metrics;
    if (opts.maxPayload) table.maxPayload = opts.maxPayload;
    if (opts.now) table.now = opts.now;
    this.watches = new WatchTable(table);
  }

  /** Subscribes to the four subjects; resolves once NATS has registered them. */
  static async start(opts: NatsApiOptions): Promise<NatsApi> {
    const t = new NatsApi(opts);
    try {
      await t.subscribe();
    } catch (e) {
      await t.stop();
      throw e;
    }
    return t;
  }

  private async subscribe(): Promise<void> {
    const { nc, log } = this.opts;
    const serveOpts = {
      onError: (e: unknown, subject: string) =>
        log.error('nats request failed', {
          subject,
          error: e instanceof Error ? e.stack : String(e),
        }),
      ...(this.opts.maxPayload ? { maxPayload: this.opts.maxPayload } : {}),
    };
    const s = this.subjects;
    this.replicaServices.push(
      await serve(
        nc,
        s.keepalive(this.replica),
        undefined,
        (m) => ({ code: 200, unknown: this.watches.keepalive(parseKeepalive(m).watchIds) }),
        serveOpts,
      ),
      await serve(
        nc,
        s.cancel(this.replica),
        undefined,
        (m) => ({ code: 200, found: this.watches.cancel(parseCancel(m).watchId) }),
        serveOpts,
      ),
    );
    this.services.push(
      await serve(nc, s.request, API_SERVER_QUEUE, (m) => this.handle(m), serveOpts),
      await serve(nc, s.watch, API_SERVER_QUEUE, (m, ctx) => this.watch(m, ctx), serveOpts),
    );
  }

  private async handle(msg: unknown) {
    const started = process.hrtime.bigint();
    const req = toApiRequest(parseApiRequest(msg), this.subjects.watch);
    let code = 500;
    let release: (() => void) | undefined;
    try {
      // Full: the 429 Status goes back as the reply, details.retryAfterSeconds for Retry-After.
      release = this.opts.maxInFlight?.acquire(req.verb);
      const out = await this.opts.api.handle(req);
      code = out.code;
      return out.warnings?.length
        ? { code: out.code, body: out.body, warnings: out.warnings }
        : { code: out.code, body: out.body };
    } catch (e) {
      code = isStatusError(e) ? e.code : 500;
      throw e;
    } finally {
      release?.();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.opts.metrics?.observe(metricLabels(req), code, 'dryRun' in (req.query ?? {}), seconds);
      this.opts.log.debug('nats request', {
        verb: req.verb,
        resource: req.resource,
        name: req.name,
        code,
        ms: Math.round(seconds * 1000),
      });
    }
  }

  private async watch(msg: unknown, ctx: ServeContext) {
    const m = parseWatchRequest(msg);
    try {
      const ack = await this.watches.start(m, ctx.afterReply);
      this.opts.metrics?.observe(metricLabels(toWatchRequest(m)), 200, false, 0);
      return ack;
    } catch (e) {
      this.opts.metrics?.observe(
        metricLabels(toWatchRequest(m)),
        isStatusError(e) ? e.code : 500,
        false,
        0,
      );
      throw e;
    }
  }

  /** Every subscription is live (readiness). */
  ready(): boolean {
    return (
      !this.stopping &&
      this.services.length === 2 &&
      [...this.services, ...this.replicaServices].every((s) => s.isLive())
    );
  }

  /** NATS watches this replica serves now. */
  watchCount(): number {
    return this.watches.size;
  }

  /**
   * Clean shutdown: stop taking requests and watches (other replicas get them), finish those in
   * flight, end every watch with END so its client re-watches elsewhere, flush.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.services.map((s) => s.drain()));
    this.watches.endAll('shutdown');
    await Promise.all(this.replicaServices.map((s) => s.drain()));
    if (!this.opts.nc.isClosed()) await this.opts.nc.flush().catch(() => undefined);
  }
}
