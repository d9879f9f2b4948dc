/**
 * Watch on one kind, as the api-server serves it (the watch cache's contract, without a cache):
 *
 * - no resourceVersion, or "0": synthetic ADDED events for the current state, then changes after it;
 * - resourceVersion N: every change after N (410 Expired as an ERROR event if N was compacted away);
 * - selectors apply to each change through the previous and the new state, so an object that
 *   starts matching arrives as ADDED and one that stops matching as DELETED — a kubelet watching
 *   `spec.nodeName=node-7` sees a pod appear when it is bound, even though it was created earlier;
 * - BOOKMARK events (when asked for) carry the newest resourceVersion seen, so a client can resume
 *   without replaying; the watch ends after timeoutSeconds, or a random time between
 *   --min-request-timeout and twice it (upstream's spread, so reconnects do not stampede).
 */
import type { Clock, KubeObject } from '@kubeling/api';
import { apiVersionOf, badRequest, isStatusError, toStatus } from '@kubeling/api';
import type { StoreEvent, Watch } from '@kubeling/store';
import { resourceKey } from '@kubeling/store';
import type { Store } from '@kubeling/store';
import type { WatchOptions } from './options';
import type { ResourceRegistry } from './resource';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: unknown;
}

/** Where events go: an HTTP chunked response, a NATS subject. `send` may apply backpressure. */
export interface WatchSink {
  send(ev: WatchEvent): void | Promise<void>;
  /** The watch is over (timeout, error, store closed); the transport ends the stream. */
  close(): void;
  /**
   * The request was valid and the initial events (if any) are sent; catching up from an old
   * resourceVersion may still take a while. A transport that acknowledges watches (NATS) does
   * it here, so the client's request does not wait for the catch-up.
   */
  started?(): void;
}

export interface WatchSettings {
  store: Store;
  clock: Clock;
  minRequestTimeoutSeconds: number;
  /** How often a BOOKMARK is sent when the client allows them (upstream: about a minute). */
  bookmarkIntervalMs: number;
}

export interface ActiveWatch {
  stop(): void;
}

/** Translates a store change into what a watcher with this predicate must see, if anything. */
export function translate(
  ev: StoreEvent,
  matches: (o: KubeObject) => boolean,
): WatchEvent | undefined {
  const now = matches(ev.object);
  switch (ev.type) {
    case 'ADDED':
      return now ? { type: 'ADDED', object: ev.object } : undefined;
    case 'DELETED':
      return ev.prevObject === undefined || matches(ev.prevObject) || now
        ? { type: 'DELETED', object: ev.object }
        : undefined;
    case 'MODIFIED': {
      const before = ev.prevObject !== undefined && matches(ev.prevObject);
      if (now && before) return { type: 'MODIFIED', object: ev.object };
      if (now) return { type: 'ADDED', object: ev.object };
      if (before) return { type: 'DELETED', object: ev.object };
      return undefined;
    }
  }
}

function parseRV(rv: string): string {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return rv;
}

/**
 * Starts a watch; resolves once it runs (initial events sent). Errors before streaming (bad
 * selectors, bad resourceVersion) reject; an expired resourceVersion becomes an ERROR event.
 */
export async function startWatch(
  reg: ResourceRegistry,
  ns: string | undefined,
  opts: WatchOptions,
  sink: WatchSink,
  settings: WatchSettings,
): Promise<ActiveWatch> {
  const matches = reg.matcher(ns, opts);
  const info = reg.info;
  let stopped = false;
  let storeWatch: Watch | undefined;
  // Stops the store watch even while it is still catching up from the log (before it resolved).
  const abort = new AbortController();
  const timers: Array<ReturnType<typeof setTimeout>> = [];

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    abort.abort();
    storeWatch?.stop();
    for (const t of timers) clearTimeout(t);
  };
  const end = (): void => {
    if (stopped) return;
    stop();
    sink.close();
  };
  const fail = (e: unknown): void => {
    if (stopped) return;
    void Promise.resolve(sink.send({ type: 'ERROR', object: toStatus(e) })).finally(end);
  };

  let from: string;
  const rv = opts.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    const snapshot = await reg.list(ns, { ...opts, limit: undefined, continue: undefined });
    for (const item of snapshot.items) await sink.send({ type: 'ADDED', object: item });
    from = snapshot.metadata.resourceVersion;
  } else {
    from = parseRV(rv);
  }
  let lastRV = from;
  sink.started?.();

  const timeoutMs = opts.timeoutSeconds
    ? opts.timeoutSeconds * 1000
    : settings.minRequestTimeoutSeconds * 1000 * (1 + Math.random());
  timers.push(setTimeout(end, timeoutMs));
  if (opts.allowWatchBookmarks) {
    const bookmark = (): void => {
      if (stopped) return;
      void sink.send({
        type: 'BOOKMARK',
        object: {
          kind: info.kind,
          apiVersion: apiVersionOf(info),
          metadata: { resourceVersion: lastRV },
        },
      });
      timers.push(setTimeout(bookmark, settings.bookmarkIntervalMs));
    };
    timers.push(setTimeout(bookmark, settings.bookmarkIntervalMs));
  }

  try {
    storeWatch = await settings.store.watch(
      {
        resources: [resourceKey(reg.gr)],
        fromResourceVersion: from,
        onClose: (err) => (err ? fail(err) : end()),
        signal: abort.signal,
      },
      async (ev) => {
        if (stopped) return;
        lastRV = ev.resourceVersion;
        const out = translate(ev, matches);
        if (out) await sink.send(out);
      },
    );
    if (stopped) storeWatch.stop();
  } catch (e) {
    if (stopped) return { stop };
    if (!isStatusError(e)) throw e;
    fail(e);
  }
  return { stop };
}
