import type { KubeObject } from '@kubeling/api';
import { hasReason } from '@kubeling/api';
import type { StoreEvent } from '@kubeling/store';
import { setImmediate as turn } from 'node:timers/promises';
import { WatchCache } from './watchCache';

function pod(ns: string, name: string, node: string, rv: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, resourceVersion: String(rv) },
    spec: { nodeName: node },
  } as KubeObject;
}
const nodeOf = (o: KubeObject) => (o as { spec?: { nodeName?: string } }).spec?.nodeName ?? '';

function change(type: StoreEvent['type'], object: KubeObject, prevObject?: KubeObject): StoreEvent {
  const ev: StoreEvent = {
    type,
    object,
    resource: '/pods',
    resourceVersion: object.metadata.resourceVersion ?? '',
  };
  if (prevObject) ev.prevObject = prevObject;
  return ev;
}

function newCache(capacity = 100, queueLimit = 1000): WatchCache {
  return new WatchCache(
    {
      resourceVersion: '10',
      items: [pod('a', 'p1', 'n1', 3), pod('a', 'p2', 'n2', 4), pod('b', 'p3', 'n1', 5)],
    },
    { capacity, queueLimit, indexers: { 'spec.nodeName': nodeOf } },
  );
}

const names = (items: KubeObject[]) => items.map((o) => o.metadata.name);

describe('WatchCache lists', () => {
  it('lists by namespace, by node index, and everything, in key order with their JSON', () => {
    const c = newCache();
    expect(names(c.list({ namespace: 'a' }).items)).toEqual(['p1', 'p2']);
    const byNode = c.list({ indexFields: { 'spec.nodeName': 'n1' } });
    expect(names(byNode.items)).toEqual(['p1', 'p3']);
    expect(byNode.encodedItems?.map(String)).toEqual(byNode.items.map((o) => JSON.stringify(o)));
    expect(names(c.list({ namespace: 'b', indexFields: { 'spec.nodeName': 'n1' } }).items)).toEqual(
      ['p3'],
    );
    expect(c.list({}).resourceVersion).toBe('10');
    // an unknown index field is ignored: the filter decides
    expect(names(c.list({ indexFields: { 'spec.other': 'x' } }).items)).toEqual(['p1', 'p2', 'p3']);
  });

  it('follows changes: a bound pod moves from the unscheduled bucket to its node', () => {
    const c = newCache();
    c.apply(change('ADDED', pod('a', 'p0', '', 11)));
    expect(names(c.list({ indexFields: { 'spec.nodeName': '' } }).items)).toEqual(['p0']);
    c.apply(change('MODIFIED', pod('a', 'p0', 'n2', 12), pod('a', 'p0', '', 11)));
    expect(c.list({ indexFields: { 'spec.nodeName': '' } }).items).toEqual([]);
    expect(names(c.list({ indexFields: { 'spec.nodeName': 'n2' } }).items)).toEqual(['p0', 'p2']);
    c.apply(change('DELETED', pod('a', 'p2', 'n2', 13), pod('a', 'p2', 'n2', 4)));
    expect(names(c.list({ namespace: 'a' }).items)).toEqual(['p0', 'p1']);
    expect(c.resourceVersion).toBe(13);
    c.progress(20);
    expect(c.list({}).resourceVersion).toBe('20');
  });

  it('keeps lists in key order through many creates and deletes after a list sorted them', () => {
    const c = newCache();
    let rv = 10;
    const live = new Map<string, KubeObject>([
      ['a/p1', pod('a', 'p1', 'n1', 3)],
      ['a/p2', pod('a', 'p2', 'n2', 4)],
      ['b/p3', pod('b', 'p3', 'n1', 5)],
    ]);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 400; i++) {
      // Lists in between: the sorted key lists exist and must follow each change.
      if (i % 25 === 0) for (const namespace of [undefined, 'a', 'c']) c.list({ namespace });
      const ns = ['a', 'b', 'c'][Math.floor(random() * 3)] as string;
      const key = `${ns}/x${Math.floor(random() * 60)}`;
      const old = live.get(key);
      rv++;
      if (old && random() < 0.6) {
        c.apply(
          change(
            'DELETED',
            { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } },
            old,
          ),
        );
        live.delete(key);
      } else {
        const obj = pod(ns, key.split('/')[1] as string, 'n1', rv);
        c.apply(change(old ? 'MODIFIED' : 'ADDED', obj, old));
        live.set(key, obj);
      }
    }
    const sorted = [...live.keys()].sort();
    const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
    expect(c.list({}).items.map(keyOf)).toEqual(sorted);
    for (const ns of ['a', 'b', 'c'])
      expect(c.list({ namespace: ns }).items.map(keyOf)).toEqual(
        sorted.filter((k) => k.startsWith(`${ns}/`)),
      );
  });

  it('pages with limit and continue, reporting the first page resourceVersion', () => {
    const c = newCache();
    const first = c.list({ limit: 2 });
    expect(names(first.items)).toEqual(['p1', 'p2']);
    expect(first.remainingItemCount).toBe(1);
    c.apply(change('ADDED', pod('a', 'p9', 'n1', 11)));
    const next = c.list({ limit: 2, continue: first.continue ?? '' });
    // the current state after the token's key (p9 came meanwhile), as the Redis store pages
    expect(names(next.items)).toEqual(['p9', 'p3']);
    expect(next.resourceVersion).toBe('10');
    expect(next.continue).toBeUndefined();
  });

  it('rebuilds the state at an exact resourceVersion from the ring buffer, 410 before it', () => {
    const c = newCache(2);
    c.apply(change('ADDED', pod('a', 'p4', 'n1', 11)));
    c.apply(change('MODIFIED', pod('a', 'p1', 'n9', 12), pod('a', 'p1', 'n1', 3)));
    const at11 = c.list({}, 11);
    expect(at11.resourceVersion).toBe('11');
    expect(at11.items.map((o) => [o.metadata.name, nodeOf(o)])).toEqual([
      ['p1', 'n1'],
      ['p2', 'n2'],
      ['p4', 'n1'],
      ['p3', 'n1'],
    ]);
    expect(names(c.list({}, 10).items)).toEqual(['p1', 'p2', 'p3']);
    c.apply(change('DELETED', pod('a', 'p4', 'n1', 13), pod('a', 'p4', 'n1', 11)));
    let err: unknown;
    try {
      c.list({}, 10);
    } catch (e) {
      err = e;
    }
    expect(hasReason(err, 'Expired')).toBe(true);
  });

  it('makes a consistent read wait until the cache has seen the resourceVersion', async () => {
    const c = newCache();
    const fresh = c.waitUntilFresh(12, 1000);
    c.apply(change('ADDED', pod('a', 'p5', 'n1', 11)));
    c.progress(12);
    expect(await fresh).toBe(true);
    expect(await c.waitUntilFresh(50, 20)).toBe(false);
  });
});

describe('WatchCache watchers', () => {
  function collect(c: WatchCache, from: number, opts: Parameters<WatchCache['watch']>[1] = {}) {
    const got: string[] = [];
    const closed: (Error | undefined)[] = [];
    const w = c.watch(from, { ...opts, onClose: (e) => closed.push(e) }, (ev) => {
      got.push(`${ev.type} ${ev.object.metadata.name}@${ev.resourceVersion}`);
    });
    return { got, closed, w };
  }

  it('resumes from the ring buffer, then live, without a gap or a duplicate', async () => {
    const c = newCache();
    for (let rv = 11; rv <= 20; rv++) c.apply(change('ADDED', pod('a', `q${rv}`, 'n1', rv)));
    const w = collect(c, 15);
    for (let rv = 21; rv <= 23; rv++) c.apply(change('ADDED', pod('a', `q${rv}`, 'n1', rv)));
    await turn();
    await turn();
    expect(w.got.map((s) => Number(s.split('@')[1]))).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
    expect(w.w.resourceVersion()).toBe('23');
    c.progress(30);
    expect(w.w.resourceVersion()).toBe('30');
  });

  it('offers an event only to watchers of its namespace and node, old or new', async () => {
    const c = newCache();
    const n1 = collect(c, 10, { indexFields: { 'spec.nodeName': 'n1' } });
    const n2 = collect(c, 10, { indexFields: { 'spec.nodeName': 'n2' } });
    const nsB = collect(c, 10, { namespace: 'b' });
    const all = collect(c, 10);
    c.apply(change('ADDED', pod('a', 'x', '', 11)));
    c.apply(change('MODIFIED', pod('a', 'x', 'n2', 12), pod('a', 'x', '', 11)));
    c.apply(change('MODIFIED', pod('b', 'p3', 'n1', 13), pod('b', 'p3', 'n1', 5)));
    await turn();
    await turn();
    expect(n1.got).toEqual(['MODIFIED p3@13']);
    expect(n2.got).toEqual(['MODIFIED x@12']);
    expect(nsB.got).toEqual(['MODIFIED p3@13']);
    expect(all.got).toHaveLength(3);
    expect(c.watcherCount).toBe(4);
    n1.w.stop();
    expect(c.watcherCount).toBe(3);
  });

  it('closes a watcher that falls too far behind, and every watcher when the cache closes', async () => {
    const c = newCache(100, 2);
    let release: () => void = () => undefined;
    const slow = c.watch(
      10,
      { onClose: () => undefined },
      () => new Promise<void>((r) => (release = r)),
    );
    for (let rv = 11; rv <= 15; rv++) c.apply(change('ADDED', pod('a', `s${rv}`, 'n1', rv)));
    expect((slow as unknown as { closed: boolean }).closed).toBe(true);
    release();
    const closed: (Error | undefined)[] = [];
    c.watch(15, { onClose: (e) => closed.push(e) }, () => undefined);
    c.close();
    expect(closed).toEqual([undefined]);
    expect(c.watcherCount).toBe(0);
  });
});
