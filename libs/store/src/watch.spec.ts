import type { KubeObject, StatusError } from '@kubeling/api';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Store } from './store';
import type { StoreEvent, Watch, WatchOptions } from './types';

jest.setTimeout(30_000);

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const cms = { group: '', resource: 'configmaps' };
const pods = { group: '', resource: 'pods' };

function cm(name: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

function pod(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } };
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Collector {
  events: StoreEvent[];
  closed: { err?: Error }[];
  watch: Watch;
  rvs(): number[];
  waitFor(n: number): Promise<void>;
}

async function collect(s: Store, opts: WatchOptions): Promise<Collector> {
  const events: StoreEvent[] = [];
  const closed: { err?: Error }[] = [];
  const watch = await s.watch({ ...opts, onClose: (err) => closed.push({ err }) }, (ev) => {
    events.push(ev);
  });
  return {
    events,
    closed,
    watch,
    rvs: () => events.map((e) => Number(e.resourceVersion)),
    waitFor: (n) => until(() => events.length >= n, `${n} events (have ${events.length})`),
  };
}

async function rejection(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    return e as StatusError;
  }
  throw new Error('expected a rejection');
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const stores: Store[] = [];
const prefixes = new Map<Store, string>();
function newStore(extra: { logRetention?: number; watchQueueLimit?: number } = {}): Store {
  const prefix = `kubeling-test:${randomUUID()}:`;
  const s = new Store({ redisUrl, prefix, compactIntervalMs: 0, ...extra });
  stores.push(s);
  prefixes.set(s, prefix);
  return s;
}

afterAll(async () => {
  for (const s of stores) {
    await s.deleteAll();
    await s.close();
  }
});

describe('watch', () => {
  it('delivers the history after fromResourceVersion, then live events, in order', async () => {
    const s = newStore();
    const rv0 = await s.currentResourceVersion();
    const a = await s.create(cms, cm('a', { n: '1' }));
    await s.create(cms, cm('b'));
    await s.update(cms, { ...a, data: { n: '2' } });
    await s.delete(cms, 'default', 'b');
    const c = await collect(s, { resources: ['/configmaps'], fromResourceVersion: rv0 });
    await c.waitFor(4);
    expect(c.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED a',
      'ADDED b',
      'MODIFIED a',
      'DELETED b',
    ]);
    expect(c.rvs()).toEqual(range(Number(rv0) + 1, Number(rv0) + 4));
    expect(c.events.every((e) => e.resource === '/configmaps')).toBe(true);
    expect(c.events.every((e) => e.object.metadata.resourceVersion === e.resourceVersion)).toBe(
      true,
    );

    const d = await s.create(cms, cm('d'));
    await c.waitFor(5);
    expect(c.events[4]).toMatchObject({
      type: 'ADDED',
      resourceVersion: d.metadata.resourceVersion,
    });
    expect(c.events[4]?.object).toEqual(d);
    c.watch.stop();
  });

  it('resumes from a resourceVersion in the middle of the log', async () => {
    const s = newStore();
    const written: string[] = [];
    for (let i = 0; i < 10; i++)
      written.push((await s.create(cms, cm(`m${i}`))).metadata.resourceVersion as string);
    const c = await collect(s, { fromResourceVersion: written[5] as string });
    await c.waitFor(4);
    expect(c.events.map((e) => e.object.metadata.name)).toEqual(['m6', 'm7', 'm8', 'm9']);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.events).toHaveLength(4);
    c.watch.stop();
  });

  it('carries the previous state on MODIFIED and DELETED', async () => {
    const s = newStore();
    const rv0 = await s.currentResourceVersion();
    const v1 = await s.create(cms, cm('p', { n: '1' }));
    const v2 = await s.update(cms, { ...v1, data: { n: '2' } });
    const gone = await s.delete(cms, 'default', 'p');
    const c = await collect(s, { fromResourceVersion: rv0 });
    await c.waitFor(3);
    const [added, modified, deleted] = c.events;
    expect(added?.prevObject).toBeUndefined();
    expect(modified?.object).toEqual(v2);
    expect(modified?.prevObject).toEqual(v1);
    expect(deleted?.object).toEqual(gone);
    expect(deleted?.object.metadata.resourceVersion).toBe(deleted?.resourceVersion);
    expect(deleted?.prevObject).toEqual(v2);
    c.watch.stop();
  });

  it('gives each watcher only its resources, and an unfiltered one everything in global order', async () => {
    const s = newStore();
    const rv0 = await s.currentResourceVersion();
    const onPods = await collect(s, { resources: ['/pods'], fromResourceVersion: rv0 });
    const onCms = await collect(s, { resources: ['/configmaps'], fromResourceVersion: rv0 });
    const onAll = await collect(s, { fromResourceVersion: rv0 });
    for (let i = 0; i < 5; i++) {
      await s.create(pods, pod(`pod${i}`));
      await s.create(cms, cm(`cm${i}`));
    }
    await onAll.waitFor(10);
    await onPods.waitFor(5);
    await onCms.waitFor(5);
    expect(onPods.events.map((e) => e.object.metadata.name)).toEqual(
      range(0, 4).map((i) => `pod${i}`),
    );
    expect(onCms.events.map((e) => e.object.metadata.name)).toEqual(
      range(0, 4).map((i) => `cm${i}`),
    );
    expect(onAll.rvs()).toEqual(range(Number(rv0) + 1, Number(rv0) + 10));
    expect(onAll.events.map((e) => e.resource).slice(0, 2)).toEqual(['/pods', '/configmaps']);
    for (const c of [onPods, onCms, onAll]) c.watch.stop();
  });

  it('gives a watcher registered during 500 concurrent writes each event exactly once, in order', async () => {
    const s = newStore();
    // Writers on their own connections, so their commands truly interleave with the watch's.
    const prefix = prefixes.get(s) as string;
    const writers = Array.from(
      { length: 5 },
      () => new Store({ redisUrl, prefix, compactIntervalMs: 0 }),
    );
    try {
      const rv0 = Number(await s.currentResourceVersion());
      const live = await collect(s, { fromResourceVersion: String(rv0) });
      let done = 0;
      // 20 writers × 25 writes, a few ms apart: 500 creates (+167 updates) spread over ~100 ms.
      const burst = Promise.all(
        range(0, 19).map(async (k) => {
          const w = writers[k % writers.length] as Store;
          for (let j = 0; j < 25; j++) {
            const i = k * 25 + j;
            const o = await w.create(cms, cm(`burst-${i}`, { i: String(i) }));
            if (i % 3 === 0) await w.update(cms, { ...o, data: { i: `${i}!` } });
            done++;
            await new Promise((r) => setTimeout(r, 1 + Math.random() * 3));
          }
        }),
      );
      await until(() => done >= 100, '100 writes');
      // Both register mid-burst: one from before it (history + live), one from "now" (buffer overlap).
      const fromStart = await collect(s, { fromResourceVersion: String(rv0) });
      const rvMid = Number(await s.currentResourceVersion());
      const fromMid = await collect(s, { fromResourceVersion: String(rvMid) });
      const doneAtRegistration = done;
      await burst;
      const final = Number(await s.currentResourceVersion());
      expect(final - rv0).toBe(500 + 167);
      await fromStart.waitFor(final - rv0);
      await fromMid.waitFor(final - rvMid);
      await live.waitFor(final - rv0);
      await new Promise((r) => setTimeout(r, 100));
      expect(fromStart.rvs()).toEqual(range(rv0 + 1, final));
      expect(fromMid.rvs()).toEqual(range(rvMid + 1, final));
      expect(live.rvs()).toEqual(range(rv0 + 1, final));
      // The test is only meaningful if both joined while writes were still coming.
      expect(doneAtRegistration).toBeLessThan(500);
      expect(rvMid).toBeLessThan(final);
      for (const c of [live, fromStart, fromMid]) c.watch.stop();
    } finally {
      for (const w of writers) await w.close();
    }
  });

  it('answers 410 Expired for a resourceVersion compacted away, and serves the ones kept', async () => {
    const s = newStore({ logRetention: 5 });
    const rv0 = await s.currentResourceVersion();
    for (let i = 0; i < 20; i++) await s.create(cms, cm(`e${i}`));
    await s.compact();
    const compacted = Number(rv0) + 15;
    const err = await rejection(s.watch({ fromResourceVersion: rv0 }, () => undefined));
    expect(err.status).toMatchObject({
      code: 410,
      reason: 'Expired',
      message: `too old resource version: ${rv0} (${compacted + 1})`,
    });
    expect(
      (await rejection(s.watch({ fromResourceVersion: String(compacted - 1) }, () => undefined)))
        .code,
    ).toBe(410);
    const c = await collect(s, { fromResourceVersion: String(compacted) });
    await c.waitFor(5);
    expect(c.rvs()).toEqual(range(compacted + 1, compacted + 5));
    c.watch.stop();
  });

  it('expires live watchers when the log has a hole it could not read', async () => {
    const s = newStore();
    const raw = new Redis(redisUrl);
    try {
      const c = await collect(s, { fromResourceVersion: await s.currentResourceVersion() });
      const one = await s.create(cms, cm('h1'));
      await c.waitFor(1);
      // An entry past a missing rv, as if compaction had trimmed entries the loop had not read.
      const prefix = prefixes.get(s) as string;
      const skipped = Number(one.metadata.resourceVersion) + 3;
      await raw.xadd(
        `${prefix}log`,
        `${skipped}-1`,
        't',
        'ADDED',
        'r',
        '/configmaps',
        'k',
        'default/x',
        'o',
        '{"metadata":{"name":"x"}}',
      );
      await until(() => c.closed.length > 0, 'onClose');
      expect((c.closed[0]?.err as StatusError).status).toMatchObject({
        code: 410,
        reason: 'Expired',
      });
      expect(c.events).toHaveLength(1);
    } finally {
      await raw.quit();
    }
  });

  it('does not let a slow watcher hold up the others', async () => {
    const s = newStore();
    const rv0 = await s.currentResourceVersion();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: StoreEvent[] = [];
    const w = await s.watch({ fromResourceVersion: rv0 }, async (ev) => {
      slow.push(ev);
      await gate;
    });
    const fast = await collect(s, { fromResourceVersion: rv0 });
    for (let i = 0; i < 50; i++) await s.create(cms, cm(`s${i}`));
    await fast.waitFor(50);
    expect(slow).toHaveLength(1);
    release();
    await until(() => slow.length === 50, 'the slow watcher to catch up');
    expect(slow.map((e) => Number(e.resourceVersion))).toEqual(fast.rvs());
    w.stop();
    fast.watch.stop();
  });

  it('closes a watcher that falls too far behind, with a reason', async () => {
    const s = newStore({ watchQueueLimit: 10 });
    const closed: (Error | undefined)[] = [];
    const w = await s.watch(
      { fromResourceVersion: await s.currentResourceVersion(), onClose: (err) => closed.push(err) },
      () => new Promise<void>(() => undefined),
    );
    const ok = await collect(s, { fromResourceVersion: await s.currentResourceVersion() });
    // a watch with its own limit (the watch cache's reader: Infinity) may fall further behind
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const patient = await collect(s, {
      fromResourceVersion: await s.currentResourceVersion(),
      queueLimit: Infinity,
    });
    const patientHeld = await s.watch(
      {
        fromResourceVersion: await s.currentResourceVersion(),
        queueLimit: Infinity,
        onClose: (err) => closed.push(err),
      },
      () => gate,
    );
    for (let i = 0; i < 30; i++) await s.create(cms, cm(`q${i}`));
    await until(() => closed.length > 0, 'the slow watcher to be closed');
    expect(closed[0]?.message).toMatch(/too slow/);
    await ok.waitFor(30);
    await patient.waitFor(30);
    expect(ok.closed).toHaveLength(0);
    expect(patient.closed).toHaveLength(0);
    release();
    await until(
      () => patientHeld.resourceVersion() === patient.watch.resourceVersion(),
      'the held watch to drain',
    );
    w.stop();
    ok.watch.stop();
    patient.watch.stop();
    expect(closed).toHaveLength(1); // the slow watcher only
    patientHeld.stop();
  });

  it('ends a watch whose handler throws, and tells onClose', async () => {
    const s = newStore();
    const closed: (Error | undefined)[] = [];
    let calls = 0;
    await s.watch(
      { fromResourceVersion: await s.currentResourceVersion(), onClose: (e) => closed.push(e) },
      () => {
        calls++;
        throw new Error('boom');
      },
    );
    await s.create(cms, cm('t1'));
    await s.create(cms, cm('t2'));
    await until(() => closed.length > 0, 'onClose');
    expect(closed[0]?.message).toBe('boom');
    expect(calls).toBe(1);
  });

  it('stops delivering after stop(), and calls onClose without an error when the store closes', async () => {
    const s = new Store({
      redisUrl,
      prefix: `kubeling-test:${randomUUID()}:`,
      compactIntervalMs: 0,
    });
    try {
      const stopped = await collect(s, { fromResourceVersion: await s.currentResourceVersion() });
      const open = await collect(s, { fromResourceVersion: await s.currentResourceVersion() });
      await s.create(cms, cm('x1'));
      await stopped.waitFor(1);
      stopped.watch.stop();
      await s.create(cms, cm('x2'));
      await open.waitFor(2);
      await new Promise((r) => setTimeout(r, 50));
      expect(stopped.events).toHaveLength(1);
      expect(stopped.closed).toHaveLength(0);
      await s.deleteAll();
      await s.close();
      expect(open.closed).toEqual([{ err: undefined }]);
      await expect(s.watch({ fromResourceVersion: '0' }, () => undefined)).rejects.toThrow(
        'store is closed',
      );
    } finally {
      await s.close();
    }
  });

  it('stops a watch through its signal while it is still catching up from the log', async () => {
    const s = newStore();
    const from = await s.currentResourceVersion();
    await Promise.all(Array.from({ length: 1500 }, (_, i) => s.create(cms, cm(`c${i}`))));
    const abort = new AbortController();
    let seen = 0;
    const watching = s.watch({ fromResourceVersion: from, signal: abort.signal }, async () => {
      seen++;
      // A slow consumer: the catch-up waits for room page by page.
      await new Promise((r) => setTimeout(r, 1));
    });
    await until(() => seen > 0, 'the first replayed event');
    abort.abort();
    await expect(watching).rejects.toThrow('watch stopped');
    const at = seen;
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toBe(at);
    expect(seen).toBeLessThan(1500);
  });

  it('reports progress through writes to other resources, in order with its own events', async () => {
    const s = newStore();
    const rv0 = await s.currentResourceVersion();
    const log: [kind: 'event' | 'progress', rv: number][] = [];
    const w = await s.watch(
      {
        resources: ['/configmaps'],
        fromResourceVersion: rv0,
        onProgress: (rv) => void log.push(['progress', Number(rv)]),
      },
      (ev) => void log.push(['event', Number(ev.resourceVersion)]),
    );
    const own = Number((await s.create(cms, cm('mine'))).metadata.resourceVersion);
    const last = Number((await s.create(pods, pod('theirs'))).metadata.resourceVersion);
    await until(
      () => log.some(([k, rv]) => k === 'progress' && rv >= last),
      'progress past the pod',
    );
    expect(log.filter(([k]) => k === 'event')).toEqual([['event', own]]);
    // no progress at or past the configmap before its event was handled
    const eventAt = log.findIndex(([k]) => k === 'event');
    expect(log.slice(0, eventAt).every(([, rv]) => rv < own)).toBe(true);
    const reported = log.filter(([k]) => k === 'progress').map(([, rv]) => rv);
    expect([...reported].sort((a, b) => a - b)).toEqual(reported);
    // idle, the watch is complete up to the newest rv it has read, though that was not for it
    expect(w.resourceVersion()).toBe(String(last));
    w.stop();
  });

  it('rejects a resourceVersion that is not a number with 400', async () => {
    const s = newStore();
    const err = await rejection(s.watch({ fromResourceVersion: 'abc' }, () => undefined));
    expect(err.status).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('waits for a resourceVersion ahead of the store, delivering only what comes after it', async () => {
    const s = newStore();
    const now = Number(await s.currentResourceVersion());
    const c = await collect(s, { fromResourceVersion: String(now + 2) });
    for (let i = 0; i < 4; i++) await s.create(cms, cm(`f${i}`));
    await c.waitFor(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.rvs()).toEqual([now + 3, now + 4]);
    c.watch.stop();
  });
});
