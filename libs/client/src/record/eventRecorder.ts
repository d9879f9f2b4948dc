/**
 * Recording core/v1 Events about objects (client-go tools/record: EventBroadcaster +
 * EventRecorder), the "Events:" kubectl describe shows.
 *
 *   const broadcaster = new EventBroadcaster({ client });
 *   const recorder = broadcaster.newRecorder({ component: 'pods-per-node' });
 *   recorder.event(pod, 'Normal', 'Counted', 'pod counted on node-1');
 *   await broadcaster.shutdown();       // writes what is queued, then stops
 *
 * Recording never blocks and never throws: events go to a bounded queue (1000, client-go's
 * maxQueuedEvents) and are dropped when it is full, so an event storm cannot stall the
 * component. One writer drains the queue: the correlator (correlator.ts) turns repeats into
 * PATCHes of count and lastTimestamp on the existing Event, combines floods of similar
 * events and drops spam; failed writes are retried up to 12 times, 10 s apart (the first
 * retry after a random part of that), as client-go's recordToSink does.
 *
 * Event names are `<involved object name>.<hex of the time in nanoseconds>` and the Event
 * lives in the involved object's namespace ("default" for cluster-scoped objects), as upstream.
 */
import { hostname } from 'node:os';
import type { Clock, Event, KubeObject, ObjectReference } from '@kubeling/api';
import { eventKind, hasReason, isStatusError, realClock, rfc3339, sleep } from '@kubeling/api';
import type { Logger } from '@kubeling/runtime';
import { defaultLogger } from '@kubeling/runtime';
import type { Client, ResourceClient } from '../client';
import type { CorrelatorOptions } from './correlator';
import { EventCorrelator } from './correlator';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(
    object: KubeObject | ObjectReference,
    type: EventType,
    reason: string,
    message: string,
  ): void;
  /** message from a Go-style format: %s %v %d %q (%% for a percent sign). */
  eventf(
    object: KubeObject | ObjectReference,
    type: EventType,
    reason: string,
    format: string,
    ...args: unknown[]
  ): void;
}

export interface EventBroadcasterOptions {
  client: Client;
  clock?: Clock;
  /** Events waiting to be written beyond which new ones are dropped (default 1000). */
  maxQueued?: number;
  /** Attempts per event (default 12). */
  maxTries?: number;
  /** Wait between attempts (default 10 s). */
  retryMs?: number;
  correlator?: Omit<CorrelatorOptions, 'now'>;
  onError?: (err: unknown, ev: Event) => void;
  /** Where write failures go when there is no onError; default the process's logger. */
  logger?: Logger;
}

export interface RecorderOptions {
  /** source.component (e.g. "default-scheduler", "replicaset-controller"). */
  component: string;
  /** source.host; default this machine's hostname. */
  host?: string;
}

/** Go's %v/%s/%d/%q formatting, enough for event messages. */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let i = 0;
  const str = (v: unknown): string =>
    typeof v === 'string'
      ? v
      : v instanceof Error
        ? v.message
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  return format.replace(/%([%vsdq])/g, (m, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const v = args[i++];
    return verb === 'q' ? JSON.stringify(str(v)) : str(v);
  });
}

/** ref.GetReference: an ObjectReference to the object (kind and apiVersion from the object). */
export function referenceTo(obj: KubeObject | ObjectReference): ObjectReference {
  if (!('metadata' in obj) || typeof obj.metadata !== 'object' || obj.metadata === null)
    return obj as ObjectReference;
  const o = obj as KubeObject;
  const ref: ObjectReference = {};
  if (o.kind) ref.kind = o.kind;
  if (o.metadata.namespace) ref.namespace = o.metadata.namespace;
  if (o.metadata.name) ref.name = o.metadata.name;
  if (o.metadata.uid) ref.uid = o.metadata.uid;
  if (o.apiVersion) ref.apiVersion = o.apiVersion;
  if (o.metadata.resourceVersion) ref.resourceVersion = o.metadata.resourceVersion;
  return ref;
}

export class EventBroadcaster {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly maxQueued: number;
  private readonly maxTries: number;
  private readonly retryMs: number;
  private readonly correlator: EventCorrelator;
  private readonly onError: (err: unknown, ev: Event) => void;
  private readonly queue: Event[] = [];
  private readonly abort = new AbortController();
  private writing: Promise<void> | undefined;
  private lastNanos = 0n;
  /** Events dropped because the queue was full (for tests and metrics). */
  dropped = 0;
  /** Events dropped by the spam filter. */
  filtered = 0;

  constructor(opts: EventBroadcasterOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? realClock;
    this.maxQueued = opts.maxQueued ?? 1000;
    this.maxTries = opts.maxTries ?? 12;
    this.retryMs = opts.retryMs ?? 10_000;
    this.correlator = new EventCorrelator({ ...opts.correlator, now: () => this.clock.now() });
    this.onError =
      opts.onError ??
      ((e, ev) =>
        (opts.logger ?? defaultLogger()).error('event not written', {
          event: `${ev.metadata.namespace}/${ev.metadata.name}`,
          reason: ev.reason,
          err: e,
        }));
  }

  newRecorder(opts: RecorderOptions): EventRecorder {
    const source = { component: opts.component, host: opts.host ?? hostname() };
    const record = (
      object: KubeObject | ObjectReference,
      type: EventType,
      reason: string,
      message: string,
    ) => this.enqueue(this.makeEvent(referenceTo(object), source, type, reason, message));
    return {
      event: record,
      eventf: (object, type, reason, format, ...args) =>
        record(object, type, reason, goSprintf(format, args)),
    };
  }

  /** Events waiting to be written. */
  pending(): number {
    return this.queue.length;
  }

  /**
   * Resolves once everything queued has been written (or given up on); new events recorded
   * meanwhile are included.
   */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Writes what is queued (within `timeoutMs`, default 5 s), then stops; later events are dropped. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    const flushed = this.flush();
    const timer = sleep(this.clock, timeoutMs, this.abort.signal);
    await Promise.race([flushed, timer]);
    this.abort.abort();
    this.queue.length = 0;
    await this.writing;
  }

  private makeEvent(
    ref: ObjectReference,
    source: { component: string; host: string },
    type: EventType,
    reason: string,
    message: string,
  ): Event {
    const ms = this.clock.now();
    // Nanoseconds as upstream (t.UnixNano()), kept strictly increasing so two events in one
    // millisecond get distinct names.
    let nanos = BigInt(ms) * 1_000_000n;
    if (nanos <= this.lastNanos) nanos = this.lastNanos + 1n;
    this.lastNanos = nanos;
    const ts = rfc3339(ms);
    return {
      metadata: {
        name: `${ref.name ?? ''}.${nanos.toString(16)}`,
        namespace: ref.namespace || 'default',
      },
      involvedObject: ref,
      reason,
      message,
      source,
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
    };
  }

  private enqueue(ev: Event): void {
    if (this.abort.signal.aborted) return;
    if (this.queue.length >= this.maxQueued) {
      this.dropped++;
      return;
    }
    this.queue.push(ev);
    if (!this.writing) {
      this.writing = this.drain().finally(() => {
        this.writing = undefined;
      });
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.abort.signal.aborted) {
      const ev = this.queue.shift() as Event;
      const c = this.correlator.correlate(ev);
      if (c.skip) {
        this.filtered++;
        continue;
      }
      await this.writeWithRetries(c.event, c.patch, c.key);
    }
  }

  private async writeWithRetries(
    ev: Event,
    patch: { count: number; lastTimestamp: string; message: string } | undefined,
    key: string,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const written = await this.write(ev, patch);
        this.correlator.updateState(written, key);
        return;
      } catch (e) {
        // Retrying cannot help a write the server refuses for what it is (client-go gives up
        // on these too); only transport trouble and server errors are retried.
        const permanent =
          isStatusError(e) && e.code >= 400 && e.code < 500 && e.code !== 429 && e.code !== 409;
        if (permanent || attempt >= this.maxTries || this.abort.signal.aborted) {
          this.onError(e, ev);
          return;
        }
        const wait = attempt === 1 ? Math.random() * this.retryMs : this.retryMs;
        await sleep(this.clock, wait, this.abort.signal);
        if (this.abort.signal.aborted) return;
      }
    }
  }

  private async write(
    ev: Event,
    patch: { count: number; lastTimestamp: string; message: string } | undefined,
  ): Promise<Event> {
    const events: ResourceClient<Event> = this.client
      .resource(eventKind)
      .namespace(ev.metadata.namespace);
    if (patch) {
      try {
        return await events.patch(ev.metadata.name as string, 'merge', patch);
      } catch (e) {
        // The Event expired or was deleted: write it again, with the count so far.
        if (!hasReason(e, 'NotFound')) throw e;
      }
    }
    const { resourceVersion: _rv, ...meta } = ev.metadata;
    try {
      return await events.create({ ...ev, metadata: meta });
    } catch (e) {
      // A create that reached the server but whose reply was lost, then retried.
      if (hasReason(e, 'AlreadyExists')) return await events.get(meta.name as string);
      throw e;
    }
  }
}
