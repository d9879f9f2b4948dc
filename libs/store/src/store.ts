/**
 * Store: kubeling's etcd. Objects in one Redis hash per resource, one global resourceVersion,
 * a change log that watches read from, compaction of that log. See index.ts for the data model.
 */
import type { CancelTimer, Clock, GroupResource, KubeObject } from '@kubeling/api';
import { alreadyExists, badRequest, conflict, hasReason, notFound, realClock } from '@kubeling/api';
import { Redis } from 'ioredis';
import type { LogEntry } from './changeLog';
import { decodeObject, encodeObject, parseResourceVersion, splitStored } from './codec';
import { decodeContinue, encodeContinue } from './continueToken';
import type { StoreKeys } from './keys';
import { globEscape, objectField, resourceKey, storeKeys } from './keys';
import type { Scripts } from './scripts';
import { defineScripts, replyArray, replyString } from './scripts';
import type {
  DeleteOptions,
  GuaranteedUpdateOptions,
  ListOptions,
  ListResult,
  StorageInterface,
  StoreOptions,
  UpdateOptions,
  Watch,
  WatchHandler,
  WatchOptions,
} from './types';
import type { ReadLogResult } from './watch';
import { WatchHub } from './watch';

const defaults = {
  redisUrl: 'redis://127.0.0.1:6379',
  logRetention: 100_000,
  compactIntervalMs: 60_000,
  watchQueueLimit: 10_000,
  // Upstream's GuaranteedUpdate retries until it wins: every lost round means another writer
  // won, so the loop ends once contention does. On one pipelined connection the losers of a
  // round stay behind the winner's next read, so a finite bound starves them under load.
  maxRetries: Infinity,
};

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Store implements StorageInterface {
  private readonly redis: Redis;
  private readonly ownsRedis: boolean;
  private readonly prefix: string;
  private readonly keys: StoreKeys;
  private readonly scripts: Scripts;
  private readonly logRetention: number;
  private readonly compactIntervalMs: number;
  private readonly clock: Clock;
  private readonly hub: WatchHub;
  private cancelCompaction: CancelTimer | undefined;
  private closed = false;

  constructor(opts: StoreOptions) {
    if (!opts.prefix) throw new Error('Store needs a key prefix');
    this.redis =
      opts.redis ?? new Redis(opts.redisUrl ?? process.env.REDIS_URL ?? defaults.redisUrl);
    this.ownsRedis = opts.redis === undefined;
    this.prefix = opts.prefix;
    this.keys = storeKeys(opts.prefix);
    this.scripts = defineScripts(this.redis);
    this.logRetention = Math.max(0, opts.logRetention ?? defaults.logRetention);
    this.compactIntervalMs = opts.compactIntervalMs ?? defaults.compactIntervalMs;
    this.clock = opts.clock ?? realClock;
    this.hub = new WatchHub({
      logKey: this.keys.log,
      connect: () => this.redis.duplicate(),
      currentRv: async () => Number(await this.currentResourceVersion()),
      readLog: (after, count) => this.readLog(after, count),
      queueLimit: opts.watchQueueLimit ?? defaults.watchQueueLimit,
      clock: this.clock,
    });
    this.scheduleCompaction();
  }

  /** True while the Redis connection is up (the api-server's /readyz). */
  ready(): boolean {
    return this.redis.status === 'ready';
  }

  /** Writes a new object; AlreadyExists when its namespace/name is taken. */
  async create(gr: GroupResource, obj: KubeObject): Promise<KubeObject> {
    const { namespace, name } = identity(obj);
    const json = encodeObject(obj);
    const reply = replyArray(
      await this.scripts.create(
        this.keys.objects(resourceKey(gr), namespace),
        this.keys.rv,
        this.keys.log,
        this.keys.namespaces(resourceKey(gr)),
        objectField(namespace, name),
        json,
        resourceKey(gr),
        namespace,
      ),
    );
    if (reply[0] === 'exists') throw alreadyExists(gr, name);
    return decodeObject(json, replyString(reply[1]));
  }

  async get(gr: GroupResource, namespace: string, name: string): Promise<KubeObject | undefined> {
    const value = await this.redis.hget(
      this.keys.objects(resourceKey(gr), namespace),
      objectField(namespace, name),
    );
    if (value === null) return undefined;
    const { rv, json } = splitStored(value);
    return decodeObject(json, rv);
  }

  /**
   * A consistent snapshot, sorted by `namespace/name` (etcd's key order), filtered, then paged.
   *
   * Later pages read the *current* state after the token's key but report the FIRST page's
   * resourceVersion. A client that pages through a list and then watches from that
   * resourceVersion is sent every change made since the first page: changes that a later page
   * already showed arrive again, which is harmless (an informer treats them as updates), but
   * none is lost. Reporting a later page's newer resourceVersion would silently drop changes
   * to objects on earlier pages made while the client was paging.
   */
  async list(gr: GroupResource, opts: ListOptions = {}): Promise<ListResult> {
    const token = opts.continue ? decodeContinue(opts.continue) : undefined;
    const reply = replyArray(
      opts.namespace
        ? await this.scripts.list(
            this.keys.objects(resourceKey(gr), opts.namespace),
            this.keys.rv,
            '',
          )
        : await this.scripts.list(
            this.keys.namespaces(resourceKey(gr)),
            this.keys.rv,
            this.keys.objectsPrefix(resourceKey(gr)),
          ),
    );
    const snapshotRv = replyString(reply[0]);
    const flat = replyArray(reply[1]);
    const entries: [key: string, value: string][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const key = replyString(flat[i]);
      if (token && key <= token.start) continue;
      entries.push([key, replyString(flat[i + 1])]);
    }
    entries.sort((a, b) => compareKeys(a[0], b[0]));

    const listRv = token ? String(token.rv) : snapshotRv;
    const limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : Infinity;
    const items: KubeObject[] = [];
    let lastKey = '';
    let i = 0;
    for (; i < entries.length && items.length < limit; i++) {
      const [key, value] = entries[i] as [string, string];
      const { rv, json } = splitStored(value);
      const obj = decodeObject(json, rv);
      if (opts.filter && !opts.filter(obj)) continue;
      items.push(obj);
      lastKey = key;
    }
    const result: ListResult = { items, resourceVersion: listRv };
    if (items.length < limit) return result;

    // The page is full; is there anything after it? Without a filter the rest is countable
    // (upstream sets remainingItemCount only then); with one, look for the next match.
    let more: boolean;
    if (!opts.filter) {
      more = i < entries.length;
      if (more) result.remainingItemCount = entries.length - i;
    } else {
      more = false;
      for (; i < entries.length && !more; i++) {
        const { rv, json } = splitStored((entries[i] as [string, string])[1]);
        more = opts.filter(decodeObject(json, rv));
      }
    }
    if (more) result.continue = encodeContinue({ rv: Number(listRv), start: lastKey });
    return result;
  }

  /**
   * Replaces an object. Compare-and-swap on `expectedResourceVersion`, which defaults to
   * obj.metadata.resourceVersion (Kubernetes' optimistic concurrency for PUT); '' writes
   * unconditionally. A write identical to what is stored changes nothing and returns it as is.
   */
  async update(gr: GroupResource, obj: KubeObject, opts: UpdateOptions = {}): Promise<KubeObject> {
    const { namespace, name } = identity(obj);
    const expected = opts.expectedResourceVersion ?? obj.metadata.resourceVersion ?? '';
    return this.put(gr, namespace, name, obj, expected);
  }

  private async put(
    gr: GroupResource,
    namespace: string,
    name: string,
    obj: KubeObject,
    expectedRv: string,
  ): Promise<KubeObject> {
    const json = encodeObject(obj);
    const reply = replyArray(
      await this.scripts.update(
        this.keys.objects(resourceKey(gr), namespace),
        this.keys.rv,
        this.keys.log,
        objectField(namespace, name),
        json,
        resourceKey(gr),
        expectedRv,
      ),
    );
    switch (reply[0]) {
      case 'notfound':
        throw notFound(gr, name);
      case 'conflict':
        throw conflict(gr, name);
      default:
        return decodeObject(json, replyString(reply[1]));
    }
  }

  /** Removes an object and returns its last state stamped with the delete's resourceVersion. */
  async delete(
    gr: GroupResource,
    namespace: string,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<KubeObject> {
    const reply = replyArray(
      await this.scripts.delete(
        this.keys.objects(resourceKey(gr), namespace),
        this.keys.rv,
        this.keys.log,
        this.keys.namespaces(resourceKey(gr)),
        objectField(namespace, name),
        resourceKey(gr),
        opts.expectedResourceVersion ?? '',
        opts.expectedUID ?? '',
        namespace,
      ),
    );
    switch (reply[0]) {
      case 'notfound':
        throw notFound(gr, name);
      // storage.Preconditions.Check's messages, surfaced as 409 Conflict like upstream.
      case 'uid':
        throw conflict(
          gr,
          name,
          `Precondition failed: UID in precondition: ${opts.expectedUID}, UID in object meta: ${replyString(reply[1])}`,
        );
      case 'rv':
        throw conflict(
          gr,
          name,
          `Precondition failed: ResourceVersion in precondition: ${opts.expectedResourceVersion}, ResourceVersion in object meta: ${replyString(reply[1])}`,
        );
      default:
        return decodeObject(replyString(reply[2]), replyString(reply[1]));
    }
  }

  /**
   * Read, mutate a copy, compare-and-swap; again on Conflict (storage.Interface.GuaranteedUpdate).
   * `mutate` may run several times and must not have side effects it cannot repeat; it throws
   * to abort. The object keeps its key whatever `mutate` does to its name.
   */
  async guaranteedUpdate(
    gr: GroupResource,
    namespace: string,
    name: string,
    mutate: (cur: KubeObject) => KubeObject | Promise<KubeObject>,
    opts: GuaranteedUpdateOptions = {},
  ): Promise<KubeObject> {
    const maxRetries = opts.maxRetries ?? defaults.maxRetries;
    for (let attempt = 0; ; attempt++) {
      const cur = await this.get(gr, namespace, name);
      if (!cur) throw notFound(gr, name);
      const rv = cur.metadata.resourceVersion as string;
      // get() parsed `cur` afresh, so it is already mutate's own copy: no structuredClone needed.
      const next = await mutate(cur);
      try {
        return await this.put(gr, namespace, name, next, rv);
      } catch (e) {
        if (!hasReason(e, 'Conflict') || attempt >= maxRetries) throw e;
      }
    }
  }

  async currentResourceVersion(): Promise<string> {
    return (await this.redis.get(this.keys.rv)) ?? '0';
  }

  async compactedResourceVersion(): Promise<string> {
    return (await this.redis.get(this.keys.compacted)) ?? '0';
  }

  /**
   * Every event after `fromResourceVersion`, in order, once, then live events, until `stop()`.
   * Rejects with Expired (410) when that resourceVersion has been compacted away; the client
   * relists. Resolves once the history is queued (its delivery may still be under way).
   */
  async watch(opts: WatchOptions, onEvent: WatchHandler): Promise<Watch> {
    if (this.closed) throw new Error('store is closed');
    const from = parseResourceVersion(opts.fromResourceVersion);
    if (from === undefined) {
      throw badRequest(`invalid resource version: ${JSON.stringify(opts.fromResourceVersion)}`);
    }
    return this.hub.watch(opts, from, onEvent);
  }

  private async readLog(after: number, count: number): Promise<ReadLogResult> {
    const reply = replyArray(
      await this.scripts.readLog(this.keys.log, this.keys.compacted, String(after), count),
    );
    if (reply[0] === 'expired') return { compacted: Number(replyString(reply[1])) };
    return { entries: replyArray(reply[1]) as LogEntry[] };
  }

  /** Trims the log to the newest `logRetention` entries, atomically with `compacted`. */
  async compact(): Promise<void> {
    await this.scripts.compact(this.keys.log, this.keys.compacted, this.keys.rv, this.logRetention);
  }

  private scheduleCompaction(): void {
    if (this.compactIntervalMs <= 0 || this.closed) return;
    this.cancelCompaction = this.clock.setTimer(
      () => {
        this.cancelCompaction = undefined;
        this.compact().then(
          () => this.scheduleCompaction(),
          // A failed run is retried at the next tick; a Redis outage shows up in every request.
          () => this.scheduleCompaction(),
        );
      },
      this.compactIntervalMs,
      // Housekeeping alone must not keep a process (a CLI, a test) alive.
      { unref: true },
    );
  }

  /** Removes every key under the prefix (SCAN + UNLINK): for `kubeling down` and tests. */
  async deleteAll(): Promise<void> {
    await deleteKeysWithPrefix(this.redis, this.prefix);
  }

  /** Ends watches (their onClose is called without an error), timers and owned connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelCompaction?.();
    await this.hub.close();
    if (this.ownsRedis) await this.redis.quit();
  }
}

function identity(obj: KubeObject): { namespace: string; name: string } {
  const name = obj.metadata.name;
  // The api-server names objects (generateName included) before they reach storage.
  if (!name) throw new Error('store: object has no metadata.name');
  return { namespace: obj.metadata.namespace ?? '', name };
}

/**
 * Deletes every key starting with `prefix` (SCAN + UNLINK) and returns how many went. Never
 * FLUSHALL/FLUSHDB: one Redis holds many clusters and test runs.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  if (!prefix) throw new Error('deleteKeysWithPrefix needs a non-empty prefix');
  const match = `${globEscape(prefix)}*`;
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) deleted += await redis.unlink(...found);
  } while (cursor !== '0');
  return deleted;
}
