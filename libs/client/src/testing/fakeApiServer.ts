/**
 * An in-memory api-server behind the `Transport` interface, for unit tests of the client and of
 * components (client-go's fake clientset plays this part). It keeps what matters for
 * controllers: one global integer resourceVersion, 409 on a stale resourceVersion, 404/409
 * for missing/existing names, a change log that watches resume from, 410 Expired for a
 * compacted resourceVersion, selectors on watch and list, merge patches. Tests steer it:
 * `compact()`, `dropWatches()` (connection lost), `endWatches()` (server timeout),
 * `failWhen(...)` (inject errors), and read `requests` to see what was sent.
 *
 * Deletion follows the api-server's finalizer rules, so garbage-collector and namespace
 * controllers can be tested on it: a delete with propagationPolicy Orphan / Foreground adds the
 * `orphan` / `foregroundDeletion` finalizer; an object with finalizers (a namespace with
 * spec.finalizers too) is only marked (deletionTimestamp; a namespace's phase Terminating) and
 * goes once an update, patch or `namespaces/<name>/finalize` leaves none; a uid precondition
 * is checked.
 *
 * It is not a second api-server: no validation, defaulting, admission or subresource logic
 * beyond storing `status`, `binding` and `finalize` writes.
 */
import type { KubeObject, Scheme, Status } from '@kubeling/api';
import {
  alreadyExists,
  conflict,
  expired,
  mergePatch,
  notFound,
  parseFieldSelector,
  parseLabelSelector,
  scheme as defaultScheme,
  selectableFields,
  statusSuccess,
  unsupportedMediaType,
  watchEventFor,
} from '@kubeling/api';
import type { StatusError } from '@kubeling/api';

/** RFC 7386 JSON merge patch: @kubeling/api's, re-exported for tests that build patches. */
export { mergePatch };
import type {
  ApiRequest,
  ApiResponse,
  Transport,
  WatchEvent,
  WatchRequest,
  WatchStream,
} from '../transport/types';

interface LogEntry {
  rv: number;
  gr: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  obj: KubeObject;
  /** The state before this change, for selector transitions. */
  prev: KubeObject | undefined;
}

interface ActiveWatch {
  gr: string;
  matches: (o: KubeObject) => boolean;
  push(ev: WatchEvent): void;
  end(err?: unknown): void;
}

export interface FakeApiServerOptions {
  scheme?: Scheme;
  /** For creationTimestamp; default Date.now. */
  now?: () => number;
}

export class FakeApiServer implements Transport {
  /** Every request and watch, in order. */
  readonly requests: Array<ApiRequest | (WatchRequest & { verb: 'watch' })> = [];
  private rv = 100;
  private compactedRV = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly log: LogEntry[] = [];
  private readonly watches = new Set<ActiveWatch>();
  private readonly failures: Array<{
    when: (req: ApiRequest | (WatchRequest & { verb: 'watch' })) => boolean;
    error: () => unknown;
    times: number;
  }> = [];
  private uid = 0;
  private readonly scheme: Scheme;
  private readonly now: () => number;

  constructor(opts: FakeApiServerOptions = {}) {
    this.scheme = opts.scheme ?? defaultScheme;
    this.now = opts.now ?? Date.now;
  }

  /** The current resourceVersion. */
  resourceVersion(): string {
    return String(this.rv);
  }

  /** Objects stored for a resource (`pods`, `deployments.apps`). */
  stored<T extends KubeObject = KubeObject>(resource: string): T[] {
    return [...(this.objects.get(grOf(resource)) ?? new Map()).values()].map(
      (o) => structuredClone(o) as T,
    );
  }

  /** Forgets the change log up to now: watches from an older resourceVersion get 410. */
  compact(): void {
    this.compactedRV = this.rv;
    this.log.length = 0;
  }

  /** Breaks every watch stream (iteration throws), as a lost connection does. */
  dropWatches(): void {
    for (const w of [...this.watches]) w.end(new Error('connection reset by fake server'));
  }

  /** Ends every watch stream normally, as a server-side timeout does. */
  endWatches(): void {
    for (const w of [...this.watches]) w.end();
  }

  activeWatches(): number {
    return this.watches.size;
  }

  /** Makes matching requests fail with `error()` (`times` times, default forever). */
  failWhen(
    when: (req: ApiRequest | (WatchRequest & { verb: 'watch' })) => boolean,
    error: () => unknown,
    times = Infinity,
  ): () => void {
    const f = { when, error, times };
    this.failures.push(f);
    return () => {
      const i = this.failures.indexOf(f);
      if (i >= 0) this.failures.splice(i, 1);
    };
  }

  /** Writes directly (as another client would), without going through a request. */
  put(resource: string, obj: KubeObject): KubeObject {
    const gr = grOf(resource);
    const key = keyOf(obj);
    const existing = this.bucket(gr).get(key);
    return this.commit(gr, existing ? 'MODIFIED' : 'ADDED', structuredClone(obj));
  }

  remove(resource: string, namespace: string | undefined, name: string): void {
    const gr = grOf(resource);
    const key = namespace ? `${namespace}/${name}` : name;
    if (this.bucket(gr).has(key)) this.commit(gr, 'DELETED', this.bucket(gr).get(key)!);
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    this.requests.push(structuredClone(req));
    this.maybeFail(req);
    const gr = `${req.group}/${req.resource}`;
    const bucket = this.bucket(gr);
    const key = req.namespace ? `${req.namespace}/${req.name ?? ''}` : (req.name ?? '');
    const res = { group: req.group, resource: req.resource };
    const q = req.query ?? {};
    switch (req.verb) {
      case 'get': {
        const o = bucket.get(key);
        if (!o) throw notFound(res, req.name ?? '');
        return { code: 200, body: structuredClone(o) };
      }
      case 'list': {
        const matches = this.matcher(req);
        const all = [...bucket.values()]
          .filter(matches)
          .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
        // continue = "<offset>:<first page's rv>": later pages report the first page's
        // resourceVersion, as kubeling's store does.
        const [offset, firstRv] = (q.continue ?? '').split(':');
        const start = q.continue ? Number(offset) : 0;
        const listRv = q.continue ? String(firstRv) : String(this.rv);
        const limit = q.limit ? Number(q.limit) : 0;
        const items = limit ? all.slice(start, start + limit) : all.slice(start);
        const meta: { resourceVersion: string; continue?: string } = { resourceVersion: listRv };
        if (limit && start + limit < all.length) meta.continue = `${start + limit}:${listRv}`;
        return {
          code: 200,
          body: { kind: 'List', apiVersion: 'v1', metadata: meta, items: structuredClone(items) },
        };
      }
      case 'create': {
        if (req.subresource === 'binding') {
          const pod = bucket.get(key);
          if (!pod) throw notFound(res, req.name ?? '');
          const target = (req.body as { target?: { name?: string } }).target?.name ?? '';
          const bound = structuredClone(pod);
          bound.spec = { ...(bound.spec as object), nodeName: target };
          this.commit(gr, 'MODIFIED', bound);
          return { code: 201, body: statusSuccess() };
        }
        const obj = structuredClone(req.body) as KubeObject;
        obj.metadata = { ...obj.metadata };
        if (!obj.metadata.name && obj.metadata.generateName)
          obj.metadata.name = `${obj.metadata.generateName}${(++this.uid).toString(36)}`;
        if (req.namespace) obj.metadata.namespace = req.namespace;
        const k = keyOf(obj);
        if (bucket.has(k)) throw alreadyExists(res, obj.metadata.name ?? '');
        obj.metadata.uid = `uid-${++this.uid}`;
        obj.metadata.creationTimestamp = new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
        return { code: 201, body: this.commit(gr, 'ADDED', obj) };
      }
      case 'update': {
        const cur = bucket.get(key);
        if (!cur) throw notFound(res, req.name ?? '');
        const obj = structuredClone(req.body) as KubeObject;
        const want = obj.metadata.resourceVersion;
        if (want && want !== cur.metadata.resourceVersion) throw conflict(res, req.name ?? '');
        obj.metadata = {
          ...obj.metadata,
          uid: cur.metadata.uid,
          namespace: cur.metadata.namespace,
        };
        if (req.subresource === 'status') {
          const next = structuredClone(cur);
          next.status = obj.status;
          return { code: 200, body: this.commit(gr, 'MODIFIED', next) };
        }
        if (req.subresource === 'finalize') {
          const next = structuredClone(cur) as KubeObject & { spec?: { finalizers?: string[] } };
          next.spec = { ...next.spec, finalizers: (obj as typeof next).spec?.finalizers ?? [] };
          return { code: 200, body: this.commitWrite(gr, next) };
        }
        obj.metadata.deletionTimestamp = cur.metadata.deletionTimestamp;
        return { code: 200, body: this.commitWrite(gr, obj) };
      }
      case 'patch': {
        const cur = bucket.get(key);
        if (!cur) throw notFound(res, req.name ?? '');
        if (req.patchType !== 'merge')
          throw unsupportedMediaType(String(req.patchType), ['application/merge-patch+json']);
        const next = mergePatch(structuredClone(cur), req.body) as KubeObject;
        const want = next.metadata?.resourceVersion;
        if (want && want !== cur.metadata.resourceVersion) throw conflict(res, req.name ?? '');
        return { code: 200, body: this.commitWrite(gr, next) };
      }
      case 'delete': {
        const cur = bucket.get(key);
        if (!cur) throw notFound(res, req.name ?? '');
        const opts = (req.body ?? {}) as {
          propagationPolicy?: string;
          preconditions?: { uid?: string };
        };
        if (opts.preconditions?.uid && opts.preconditions.uid !== cur.metadata.uid)
          throw conflict(res, req.name ?? '');
        const next = structuredClone(cur);
        const finalizers = new Set(next.metadata.finalizers ?? []);
        if (opts.propagationPolicy === 'Orphan') finalizers.add('orphan');
        if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
        if (finalizers.size === 0 && specFinalizers(next).length === 0)
          return { code: 200, body: this.commit(gr, 'DELETED', cur) };
        if (finalizers.size) next.metadata.finalizers = [...finalizers];
        next.metadata.deletionTimestamp ??= new Date(this.now())
          .toISOString()
          .replace(/\.\d+Z$/, 'Z');
        if (specFinalizers(next).length)
          (next as { status?: { phase?: string } }).status = {
            ...(next as { status?: object }).status,
            phase: 'Terminating',
          };
        return { code: 200, body: this.commit(gr, 'MODIFIED', next) };
      }
      case 'deletecollection': {
        const matches = this.matcher(req);
        // Each object as a delete of its own would go: finalizers and policies apply.
        for (const o of [...bucket.values()].filter(matches))
          await this.request({
            ...req,
            verb: 'delete',
            namespace: o.metadata.namespace,
            name: o.metadata.name ?? '',
          });
        return { code: 200, body: statusSuccess() };
      }
    }
  }

  async watch(req: WatchRequest): Promise<WatchStream> {
    this.requests.push({ ...structuredClone(req), verb: 'watch' });
    this.maybeFail({ ...req, verb: 'watch' });
    const gr = `${req.group}/${req.resource}`;
    const matches = this.matcher(req);
    const from = Number(req.query?.resourceVersion || 0);
    const buffer: WatchEvent[] = [];
    let done: { err?: unknown } | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const watches = this.watches;
    const active: ActiveWatch = {
      gr,
      matches,
      push: (ev) => {
        buffer.push(ev);
        notify();
      },
      end: (err) => {
        if (done) return;
        done = err === undefined ? {} : { err };
        watches.delete(active);
        notify();
      },
    };
    if (from && from < this.compactedRV) {
      const e: StatusError = expired(`too old resource version: ${from} (${this.compactedRV})`);
      active.push({ type: 'ERROR', object: e.status as Status });
      active.end();
    } else {
      for (const entry of this.log) {
        if (entry.rv <= from || entry.gr !== gr) continue;
        const ev = selectedEvent(entry, matches);
        if (ev) buffer.push(ev);
      }
      this.watches.add(active);
    }
    return {
      stop: () => active.end(),
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const ev = buffer.shift();
          if (ev) {
            yield structuredClone(ev);
            continue;
          }
          if (done) {
            if (done.err !== undefined) throw done.err;
            return;
          }
          await new Promise<void>((r) => (wake = r));
        }
      },
    };
  }

  async close(): Promise<void> {
    this.endWatches();
  }

  private maybeFail(req: ApiRequest | (WatchRequest & { verb: 'watch' })): void {
    for (const f of this.failures) {
      if (f.times > 0 && f.when(req)) {
        f.times--;
        throw f.error();
      }
    }
  }

  private bucket(gr: string): Map<string, KubeObject> {
    let b = this.objects.get(gr);
    if (!b) this.objects.set(gr, (b = new Map()));
    return b;
  }

  private commit(gr: string, type: LogEntry['type'], obj: KubeObject): KubeObject {
    const rv = ++this.rv;
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(rv);
    const prev = this.bucket(gr).get(keyOf(stored));
    if (type === 'DELETED') this.bucket(gr).delete(keyOf(stored));
    else this.bucket(gr).set(keyOf(stored), stored);
    const entry: LogEntry = { rv, gr, type, obj: stored, prev };
    this.log.push(entry);
    for (const w of this.watches) {
      if (w.gr !== gr) continue;
      const ev = selectedEvent(entry, w.matches);
      if (ev) w.push(ev);
    }
    return structuredClone(stored);
  }

  /** A write of an object being deleted whose last finalizer went removes it (shouldDeleteDuringUpdate). */
  private commitWrite(gr: string, obj: KubeObject): KubeObject {
    const done =
      !!obj.metadata.deletionTimestamp &&
      (obj.metadata.finalizers?.length ?? 0) === 0 &&
      specFinalizers(obj).length === 0;
    return this.commit(gr, done ? 'DELETED' : 'MODIFIED', obj);
  }

  private matcher(req: {
    group: string;
    resource: string;
    namespace?: string;
    name?: string;
    query?: Record<string, string>;
  }) {
    const info = this.scheme.byResource(req.group, req.resource);
    const labels = parseLabelSelector(req.query?.labelSelector ?? '');
    const fields = parseFieldSelector(req.query?.fieldSelector ?? '');
    return (o: KubeObject): boolean => {
      if (req.namespace && o.metadata.namespace !== req.namespace) return false;
      if (!labels.matches(o.metadata.labels)) return false;
      if (fields.empty()) return true;
      const set = info
        ? selectableFields(info, o)
        : {
            'metadata.name': o.metadata.name ?? '',
            'metadata.namespace': o.metadata.namespace ?? '',
          };
      return fields.matches(set);
    };
  }
}

function grOf(resource: string): string {
  const dot = resource.indexOf('.');
  return dot < 0 ? `/${resource}` : `${resource.slice(dot + 1)}/${resource.slice(0, dot)}`;
}

/** A namespace's spec.finalizers (`kubernetes`); empty for every other kind. */
function specFinalizers(o: KubeObject): string[] {
  const f = (o as { spec?: { finalizers?: unknown } }).spec?.finalizers;
  return Array.isArray(f) ? (f as string[]) : [];
}

function keyOf(o: KubeObject): string {
  return o.metadata.namespace
    ? `${o.metadata.namespace}/${o.metadata.name}`
    : (o.metadata.name ?? '');
}

/** What a watcher with this predicate sees of a change: the api-server's rule (libs/api). */
function selectedEvent(
  entry: LogEntry,
  matches: (o: KubeObject) => boolean,
): WatchEvent | undefined {
  const prevObject = entry.prev;
  return watchEventFor(
    prevObject
      ? { type: entry.type, object: entry.obj, prevObject }
      : { type: entry.type, object: entry.obj },
    matches,
  );
}
