/**
 * Watch on one kind, as the api-server serves it (the watch cache's contract; the storage is
 * the watch cache, see ../cacher):
 *
 * - no resourceVersion, or "0": synthetic ADDED events for the current state (a list: consistent
 *   for "", the cache as it stands for "0"), then changes after it;
 * - resourceVersion N: every change after N, from the cache's ring buffer or, when older, the
 *   change log (410 Expired as an ERROR event if N was compacted away);
 * - selectors apply to each change through the previous and the new state (libs/api
 *   watchEventFor, upstream's cacher rule), so an object that starts matching arrives as ADDED and
 *   one that stops matching as DELETED — a kubelet watching `spec.nodeName=node-7` sees a pod
 *   appear when it is bound, even though it was created earlier;
 * - BOOKMARK events (when asked for) carry the resourceVersion the watch is complete up to (the
 *   cache's, also when no event matched), so a client can resume
 *   without replaying; the watch ends after timeoutSeconds, or a random time between
 *   --min-request-timeout and twice it (upstream's spread, so reconnects do not stampede).
 */
import type { Clock } from '@kubeling/api';
import { apiVersionOf, badRequest, isStatusError, toStatus, watchEventFor } from '@kubeling/api';
import type { StorageInterface, Watch } from '@kubeling/store';
import { resourceKey } from '@kubeling/store';
import type { WatchOptions } from './options';
import type { ResourceRegistry } from './resource';
import { exactFields } from './resource';

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
  store: StorageInterface;
  clock: Clock;
  minRequestTimeoutSeconds: number;
  /** How often a BOOKMARK is sent when the client allows them (upstream: about a minute). */
  bookmarkIntervalMs: number;
}

export interface ActiveWatch {
  stop(): void;
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
          metadata: { resourceVersion: storeWatch?.resourceVersion() ?? lastRV },
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
        ...(info.namespaced && ns ? { namespace: ns } : {}),
        ...(exactFields(opts) ? { indexFields: exactFields(opts) } : {}),
        onClose: (err) => (err ? fail(err) : end()),
        signal: abort.signal,
      },
      async (ev) => {
        if (stopped) return;
        lastRV = ev.resourceVersion;
        const out = watchEventFor(ev, matches);
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
