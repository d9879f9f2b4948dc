/**
 * The watch cache against the real Redis store (consistent reads, resourceVersion semantics,
 * resuming from the ring buffer or the change log, 410), and through a real api-server over
 * HTTP (a resumed watch served from the ring buffer; a nodeName-filtered list and watch).
 */
import type { KubeObject } from '@kubeling/api';
import { hasReason } from '@kubeling/api';
import type { StoreEvent } from '@kubeling/store';
import { Store } from '@kubeling/store';
import { readWatch, uniquePrefix } from '@kubeling/testing';
import type { RunningApiServer } from '../app';
import { startTestApiServer, stopTestApiServer, testClusterName } from '../testing/inProcess';
import { podIndexers } from '../registry/pods';
import { Cacher } from './cacher';
import { WatchCache } from './watchCache';

jest.setTimeout(60_000);

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const cms = { group: '', resource: 'configmaps' };

function cm(name: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('Cacher over the Redis store', () => {
  const prefix = uniquePrefix('cacher');
  // Two stores on one prefix: two api-server replicas sharing Redis.
  const store = new Store({ redisUrl, prefix, compactIntervalMs: 0, logRetention: 5 });
  const other = new Store({ redisUrl, prefix, compactIntervalMs: 0 });
  const cacher = new Cacher(store, { capacity: 50, freshTimeoutMs: 300 });

  afterAll(async () => {
    cacher.close();
    await store.deleteAll();
    await other.close();
    await store.close();
  });

  it('serves a consistent list: a write through another replica is seen at once', async () => {
    await cacher.list(cms); // the cache is running
    const watchSpy = jest.spyOn(store, 'list');
    for (let i = 0; i < 5; i++) {
      await other.create(cms, cm(`c${i}`));
      const list = await cacher.list(cms, { namespace: 'default' });
      expect(list.items.map((o) => o.metadata.name)).toContain(`c${i}`);
      expect(Number(list.resourceVersion)).toBeGreaterThanOrEqual(
        Number(await other.currentResourceVersion()),
      );
      expect(list.encodedItems?.map(String)).toEqual(list.items.map((o) => JSON.stringify(o)));
    }
    // all from memory: the store was not listed again
    expect(watchSpy).not.toHaveBeenCalled();
    watchSpy.mockRestore();
  });

  it('answers a resourceVersion no write reached with 400 at once, one the cache lags behind with 504, serves "0" as it stands', async () => {
    const current = Number(await store.currentResourceVersion());
    const started = Date.now();
    const err = await errorOf(cacher.list(cms, { resourceVersion: String(current + 1000) }));
    expect(err).toMatchObject({
      status: {
        code: 400,
        reason: 'BadRequest',
        details: { causes: [{ reason: 'ResourceVersionTooLarge' }] },
      },
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await cacher.list(cms, { resourceVersion: '0' })).items.length).toBe(5);
    const exact = await cacher.list(cms, {
      resourceVersion: String(current),
      resourceVersionMatch: 'Exact',
    });
    expect(exact.resourceVersion).toBe(String(current));
    // A version the store has but this replica's cache has not caught up with (stalled here).
    await other.create(cms, cm('lag'));
    const lagging = Number(await other.currentResourceVersion());
    const stall = jest.spyOn(WatchCache.prototype, 'waitUntilFresh').mockResolvedValue(false);
    try {
      const timeout = await errorOf(cacher.list(cms, { resourceVersion: String(lagging) }));
      expect(timeout).toMatchObject({ status: { code: 504, reason: 'Timeout' } });
    } finally {
      stall.mockRestore();
    }
    await other.delete(cms, 'default', 'lag');
  });

  it('resumes watches from the ring buffer, older ones from the change log, 410 once compacted', async () => {
    const from = await store.currentResourceVersion();
    for (let i = 0; i < 3; i++)
      await other.update(cms, cm('c0', { i: String(i) }), { expectedResourceVersion: '' });
    await cacher.list(cms); // the cache has seen them
    const storeWatch = jest.spyOn(store, 'watch');
    const got: StoreEvent[] = [];
    const w = await cacher.watch(
      { resources: ['/configmaps'], fromResourceVersion: from },
      (ev) => {
        got.push(ev);
      },
    );
    await until(() => got.length === 3, 'the buffered events');
    expect(storeWatch).not.toHaveBeenCalled();
    expect(got.map((e) => e.object.data)).toEqual([{ i: '0' }, { i: '1' }, { i: '2' }]);
    w.stop();

    // 60 more writes: the 50-event buffer no longer reaches `from`, and the log (5 kept) neither.
    for (let i = 0; i < 60; i++)
      await other.update(cms, cm('c1', { i: String(i) }), { expectedResourceVersion: '' });
    await store.compact();
    await cacher.list(cms);
    const err = await errorOf(
      cacher.watch({ resources: ['/configmaps'], fromResourceVersion: from }, () => undefined),
    );
    expect(hasReason(err, 'Expired')).toBe(true);
    expect(storeWatch).toHaveBeenCalledTimes(1);
    storeWatch.mockRestore();
  });

  it('lets 100 watchers resume at once, each with every event once, in order', async () => {
    const from = await store.currentResourceVersion();
    for (let i = 0; i < 20; i++) await other.create(cms, cm(`r${i}`));
    const seen: number[][] = [];
    const watches = await Promise.all(
      Array.from({ length: 100 }, (_x, k) => {
        seen[k] = [];
        return cacher.watch({ resources: ['/configmaps'], fromResourceVersion: from }, (ev) => {
          (seen[k] as number[]).push(Number(ev.resourceVersion));
        });
      }),
    );
    for (let i = 20; i < 30; i++) await other.create(cms, cm(`r${i}`));
    await until(() => seen.every((s) => s.length === 30), 'every watcher caught up');
    for (const s of seen) {
      expect(new Set(s).size).toBe(30);
      expect([...s].sort((a, b) => a - b)).toEqual(s);
    }
    for (const w of watches) w.stop();
  });
});

describe('the watch cache through a real api-server', () => {
  let server: RunningApiServer;
  beforeAll(async () => {
    server = await startTestApiServer(testClusterName('cache'));
  });

  afterAll(() => stopTestApiServer(server));

  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(server.url + path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { code: r.status, body: (await r.json()) as any };
  };
  const pod = (name: string, nodeName?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] },
  });
  const PODS = '/api/v1/namespaces/default/pods';

  it('lists and watches one node’s pods by spec.nodeName, a bound pod arriving as ADDED', async () => {
    for (let i = 0; i < 6; i++)
      expect((await call('POST', PODS, pod(`p${i}`, `node-${i % 3}`))).code).toBe(201);
    expect((await call('POST', PODS, pod('pending'))).code).toBe(201);
    const list = await call('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1`);
    expect(list.code).toBe(200);
    expect(list.body.items.map((p: KubeObject) => p.metadata.name)).toEqual(['p1', 'p4']);
    expect(list.body.kind).toBe('PodList');
    expect(podIndexers['spec.nodeName'](list.body.items[0])).toBe('node-1');

    const rv = list.body.metadata.resourceVersion;
    const events = await readWatch(
      `${server.url}/api/v1/pods?watch=1&resourceVersion=${rv}&fieldSelector=spec.nodeName%3Dnode-1`,
      {
        count: 2,
        during: async () => {
          await call('POST', PODS, pod('elsewhere', 'node-2'));
          const bind = await call('POST', `${PODS}/pending/binding`, {
            apiVersion: 'v1',
            kind: 'Binding',
            metadata: { name: 'pending' },
            target: { kind: 'Node', name: 'node-1' },
          });
          expect(bind.code).toBe(201);
          await call('DELETE', `${PODS}/p1?gracePeriodSeconds=0`);
        },
      },
    );
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED pending',
      'DELETED p1',
    ]);
  });

  it('reports its work under upstream metric names on /metrics', async () => {
    await call('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-0`);
    await call('GET', PODS);
    const text = (await fetch(`${server.url}/metrics`).then((r) => r.text())) as string;
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('apiserver_watch_cache_initializations_total{resource="pods"}')).toBe(1);
    // The cache started at the first LIST; the writes after it came through the change log.
    expect(
      value('apiserver_watch_cache_events_received_total{resource="pods"}'),
    ).toBeGreaterThanOrEqual(3);
    // Watches of one node were offered only that node's events (the watch test above).
    expect(value('apiserver_watch_cache_events_dispatched_total{resource="pods"}')).toBeGreaterThan(
      0,
    );
    expect(value('apiserver_watch_cache_resource_version{resource="pods"}')).toBeGreaterThan(0);
    expect(
      value('apiserver_cache_list_total{index="f:spec.nodeName",resource_prefix="/pods"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(
      value('apiserver_cache_list_total{index="",resource_prefix="/pods"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      value('apiserver_cache_list_returned_objects_total{resource_prefix="/pods"}'),
    ).toBeGreaterThan(0);
  });

  it('lists with upstream resourceVersion semantics and ListOptions validation', async () => {
    const rv = (await call('GET', PODS)).body.metadata.resourceVersion as string;
    const exact = await call('GET', `${PODS}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(exact.code).toBe(200);
    expect(exact.body.metadata.resourceVersion).toBe(rv);
    const notOlder = await call(
      'GET',
      `${PODS}?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`,
    );
    expect(notOlder.code).toBe(200);
    expect(Number(notOlder.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
    const noRv = await call('GET', `${PODS}?resourceVersionMatch=Exact`);
    expect(noRv.code).toBe(422);
    expect(noRv.body.message).toContain(
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
    const zero = await call('GET', `${PODS}?resourceVersion=0&resourceVersionMatch=Exact`);
    expect(zero.code).toBe(422);
    const bad = await call('GET', `${PODS}?resourceVersion=1&resourceVersionMatch=Newest`);
    expect(bad.body.message).toContain('Unsupported value: "Newest"');
    const withContinue = await call('GET', `${PODS}?resourceVersion=5&continue=abc`);
    expect(withContinue.code).toBe(400);
    expect(withContinue.body.message).toBe(
      'specifying resource version is not allowed when using continue',
    );
    const future = await call('GET', `${PODS}?resourceVersion=${Number(rv) + 100000}`);
    expect(future.code).toBe(400);
    expect(future.body.message).toMatch(/^Too large resource version: \d+, current: \d+$/);
    expect(future.body.details.causes[0].reason).toBe('ResourceVersionTooLarge');
  });

  it('resumes a watch from the ring buffer, not the change log', async () => {
    const rv = (await call('GET', PODS)).body.metadata.resourceVersion;
    for (let i = 0; i < 3; i++) await call('POST', PODS, pod(`later${i}`, 'node-9'));
    const storeWatch = jest.spyOn(server.store, 'watch');
    try {
      const events = await readWatch(`${server.url}${PODS}?watch=1&resourceVersion=${rv}`, {
        count: 3,
      });
      expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
        'ADDED later0',
        'ADDED later1',
        'ADDED later2',
      ]);
      expect(storeWatch).not.toHaveBeenCalled();
    } finally {
      storeWatch.mockRestore();
    }
  });
});
