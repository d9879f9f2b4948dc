/**
 * What keeps a storm of events from becoming a storm of writes (client-go
 * tools/record/events_cache.go EventCorrelator), in the order client-go applies it:
 *
 * 1. Aggregator: more than 10 events within 10 minutes that differ only by message (same
 *    source, involved object, type and reason) become one event whose message is
 *    "(combined from similar events): <latest message>".
 * 2. Logger (deduplication): an event identical to one already written (same source,
 *    involved object, type, reason and message) is not created again: the existing Event's
 *    count is incremented and its lastTimestamp moved, by a PATCH, keeping its name and
 *    firstTimestamp.
 * 3. Spam filter: a token bucket per source + involved object (burst 25, one more every
 *    5 minutes) drops what exceeds it.
 *
 * Caches are LRUs of 4096 entries, as upstream's.
 */
import type { Event, PassiveClock } from '@kubeling/api';
import { TokenBucket } from '../flowcontrol/tokenBucket';

export const maxLruCacheEntries = 4096;
export const defaultAggregateMaxEvents = 10;
export const defaultAggregateIntervalMs = 600_000;
export const defaultSpamBurst = 25;
export const defaultSpamQps = 1 / 300;

class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

function objectKeyParts(ev: Event): string[] {
  const o = ev.involvedObject;
  return [
    ev.source?.component ?? '',
    ev.source?.host ?? '',
    o.kind ?? '',
    o.namespace ?? '',
    o.name ?? '',
    o.uid ?? '',
    o.apiVersion ?? '',
  ];
}

/** getEventKey: everything that makes two events "the same". */
export function eventKey(ev: Event): string {
  return JSON.stringify([...objectKeyParts(ev), ev.type ?? '', ev.reason ?? '', ev.message ?? '']);
}

function aggregateKey(ev: Event): string {
  return JSON.stringify([...objectKeyParts(ev), ev.type ?? '', ev.reason ?? '']);
}

function spamKey(ev: Event): string {
  return JSON.stringify(objectKeyParts(ev));
}

/** What the dedup cache remembers of a written event. */
interface Observed {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion: string;
}

export interface CorrelationResult {
  /** The event to write (possibly with a combined message, count, original name). */
  event: Event;
  /** Non-null: PATCH the existing event with this merge patch instead of creating it. */
  patch: { count: number; lastTimestamp: string; message: string } | undefined;
  /** Dropped by the spam filter. */
  skip: boolean;
  /** The dedup key to remember the written event under (updateState). */
  key: string;
}

export interface CorrelatorOptions {
  now: () => number;
  spamBurst?: number;
  spamQps?: number;
  aggregateMaxEvents?: number;
  aggregateIntervalMs?: number;
}

export class EventCorrelator {
  private readonly aggregate = new Lru<{ messages: Set<string>; last: number }>(maxLruCacheEntries);
  private readonly observed = new Lru<Observed>(maxLruCacheEntries);
  private readonly spam = new Lru<TokenBucket>(maxLruCacheEntries);
  private readonly clock: PassiveClock;
  private readonly burst: number;
  private readonly qps: number;
  private readonly maxEvents: number;
  private readonly intervalMs: number;

  constructor(private readonly opts: CorrelatorOptions) {
    this.burst = opts.spamBurst ?? defaultSpamBurst;
    this.qps = opts.spamQps ?? defaultSpamQps;
    this.maxEvents = opts.aggregateMaxEvents ?? defaultAggregateMaxEvents;
    this.intervalMs = opts.aggregateIntervalMs ?? defaultAggregateIntervalMs;
    this.clock = { now: opts.now };
  }

  correlate(input: Event): CorrelationResult {
    const now = this.opts.now();
    const { event: aggregated, key } = this.aggregated(input, now);
    let ev = aggregated;
    const seen = this.observed.get(key);
    let patch: CorrelationResult['patch'];
    if (seen) {
      ev = {
        ...ev,
        metadata: { ...ev.metadata, name: seen.name, resourceVersion: seen.resourceVersion },
        count: seen.count + 1,
        firstTimestamp: seen.firstTimestamp,
      };
      patch = {
        count: ev.count as number,
        lastTimestamp: ev.lastTimestamp ?? '',
        message: ev.message ?? '',
      };
    }
    return { event: ev, patch, skip: !this.allow(ev), key };
  }

  /** Remembers a written event under its correlation key, so its repeats patch it. */
  updateState(written: Event, key: string): void {
    this.observed.set(key, {
      count: written.count ?? 1,
      firstTimestamp: written.firstTimestamp ?? '',
      name: written.metadata.name ?? '',
      resourceVersion: written.metadata.resourceVersion ?? '',
    });
  }

  private aggregated(ev: Event, now: number): { event: Event; key: string } {
    const key = aggregateKey(ev);
    let rec = this.aggregate.get(key);
    if (!rec || now - rec.last > this.intervalMs) rec = { messages: new Set(), last: now };
    rec.messages.add(ev.message ?? '');
    rec.last = now;
    this.aggregate.set(key, rec);
    if (rec.messages.size < this.maxEvents) return { event: ev, key: eventKey(ev) };
    // Past the threshold every similar event is the one combined event, deduplicated under the
    // aggregate key, so repeats keep patching it whatever their message.
    return {
      event: { ...ev, message: `(combined from similar events): ${ev.message ?? ''}` },
      key,
    };
  }

  private allow(ev: Event): boolean {
    const key = spamKey(ev);
    const b =
      this.spam.get(key) ??
      new TokenBucket({ qps: this.qps, burst: this.burst, clock: this.clock });
    this.spam.set(key, b);
    return b.tryAccept();
  }
}
