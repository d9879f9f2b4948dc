import type { KubeObject, Pod } from '@kubeling/api';
import { podKind } from '@kubeling/api';
import { Client } from '../client';
import { FakeApiServer } from '../testing/fakeApiServer';
import { FakeClock, settle } from '@kubeling/api/testing';
import { objectKey } from '../resources';
import {
  ControllerUidIndex,
  indexByControllerUid,
  indexByNodeName,
  NamespaceIndex,
  NodeNameIndex,
} from './indexer';
import type { DeletedFinalStateUnknown } from './listener';
import { isTombstone } from './listener';
import { SharedInformer } from './sharedInformer';
import { SharedInformerFactory } from './factory';
import { dropManagedFields } from './transform';

function pod(
  name: string,
  extra: Partial<Pod> & { ns?: string; node?: string; labels?: Record<string, string> } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: extra.ns ?? 'default',
      labels: extra.labels ?? {},
      ...extra.metadata,
    },
    spec: {
      containers: [{ name: 'c', image: 'busybox' }],
      ...(extra.node ? { nodeName: extra.node } : {}),
    },
  } as Pod;
}

type Seen =
  | { op: 'add'; key: string; rv: string }
  | { op: 'update'; key: string; oldRv: string; rv: string }
  | { op: 'delete'; key: string; rv: string; tombstone: boolean };

/** A handler that records what it is told and checks the sequence is consistent per key. */
function recorder() {
  const seen: Seen[] = [];
  const view = new Map<string, KubeObject>();
  const problems: string[] = [];
  const handler = {
    onAdd(o: Pod) {
      const key = objectKey(o);
      if (view.has(key)) problems.push(`add of ${key} already present`);
      view.set(key, o);
      seen.push({ op: 'add', key, rv: o.metadata.resourceVersion ?? '' });
    },
    onUpdate(old: Pod, o: Pod) {
      const key = objectKey(o);
      const cur = view.get(key);
      if (!cur) problems.push(`update of ${key} before add`);
      else if (cur.metadata.resourceVersion !== old.metadata.resourceVersion)
        problems.push(
          `update of ${key}: old rv ${old.metadata.resourceVersion} != seen ${cur.metadata.resourceVersion}`,
        );
      view.set(key, o);
      seen.push({
        op: 'update',
        key,
        oldRv: old.metadata.resourceVersion ?? '',
        rv: o.metadata.resourceVersion ?? '',
      });
    },
    onDelete(o: Pod | DeletedFinalStateUnknown<Pod>) {
      const obj = isTombstone(o) ? o.obj : o;
      const key = objectKey(obj);
      if (!view.has(key)) problems.push(`delete of ${key} never added`);
      view.delete(key);
      seen.push({
        op: 'delete',
        key,
        rv: obj.metadata.resourceVersion ?? '',
        tombstone: isTombstone(o),
      });
    },
  };
  return { seen, view, problems, handler };
}

function setup(opts: { resyncPeriodMs?: number; pageSize?: number } = {}) {
  const server = new FakeApiServer();
  const clock = new FakeClock();
  const client = new Client({ transport: server, qps: -1 });
  const errors: unknown[] = [];
  const informer = new SharedInformer<Pod>({
    client,
    resource: podKind,
    clock,
    onError: (e) => errors.push(e),
    ...opts,
  });
  return { server, clock, client, informer, errors };
}

/** Until `cond` holds, letting promises and (fake) timers run. */
async function until(cond: () => boolean, clock?: FakeClock, stepMs = 100): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    if (clock) await clock.advance(stepMs);
    else await settle();
  }
  throw new Error('condition not reached');
}

const rvs = (view: Map<string, KubeObject>) =>
  Object.fromEntries([...view].map(([k, o]) => [k, o.metadata.resourceVersion]));
const serverState = (server: FakeApiServer) =>
  Object.fromEntries(server.stored('pods').map((o) => [objectKey(o), o.metadata.resourceVersion]));

describe('SharedInformer', () => {
  it('lists, then watches from the list resourceVersion, and keeps the cache current', async () => {
    const { server, informer } = setup();
    server.put('pods', pod('a'));
    server.put('pods', pod('b'));
    const rec = recorder();
    informer.addEventHandler(rec.handler);
    informer.start();
    expect(await informer.waitForSync()).toBe(true);
    const listRv = server.resourceVersion();
    await until(() => server.activeWatches() === 1);
    const watch = server.requests.find((r) => r.verb === 'watch');
    expect(watch?.query?.resourceVersion).toBe(listRv);
    expect(watch?.query?.allowWatchBookmarks).toBe('true');

    server.put('pods', pod('c'));
    server.put('pods', pod('a', { labels: { x: 'y' } }));
    server.remove('pods', 'default', 'b');
    await until(() => rec.seen.length === 5);
    expect(rec.seen.map((s) => `${s.op} ${s.key}`)).toEqual([
      'add default/a',
      'add default/b',
      'add default/c',
      'update default/a',
      'delete default/b',
    ]);
    expect(rec.problems).toEqual([]);
    expect(informer.store.listKeys().sort()).toEqual(['default/a', 'default/c']);
    expect(rvs(rec.view)).toEqual(serverState(server));
    await informer.stop();
    expect(server.activeWatches()).toBe(0);
  });

  it('pages the initial list and reports the first page resourceVersion to the watch', async () => {
    const { server, informer } = setup({ pageSize: 2 });
    for (const n of ['a', 'b', 'c', 'd', 'e']) server.put('pods', pod(n));
    informer.start();
    await informer.waitForSync();
    expect(informer.store.size()).toBe(5);
    const lists = server.requests.filter((r) => r.verb === 'list');
    expect(lists).toHaveLength(3);
    expect(lists[0]?.query?.limit).toBe('2');
    await informer.stop();
  });

  it('relists on 410 and converges to the server state with a consistent handler sequence', async () => {
    const { server, informer, clock } = setup();
    for (const n of ['a', 'b', 'c', 'd']) server.put('pods', pod(n));
    const rec = recorder();
    informer.addEventHandler(rec.handler);
    informer.start();
    await informer.waitForSync();
    await until(() => server.activeWatches() === 1);

    // The watch breaks; while the informer is away the world changes and the log is compacted.
    server.failWhen(
      (r) => r.verb === 'watch',
      () => new Error('unreachable'),
      1,
    );
    server.dropWatches();
    server.remove('pods', 'default', 'a'); // a delete the informer will never see as an event
    server.put('pods', pod('b', { labels: { v: '2' } }));
    server.put('pods', pod('e'));
    server.compact();

    // Re-watch from the old resourceVersion → 410 → relist.
    await until(
      () =>
        rvs(rec.view).toString() !== '' &&
        JSON.stringify(rvs(rec.view)) === JSON.stringify(serverState(server)),
      clock,
      500,
    );
    expect(rec.problems).toEqual([]);
    const after = rec.seen.slice(4);
    expect(after).toEqual(
      expect.arrayContaining([
        { op: 'delete', key: 'default/a', rv: expect.any(String), tombstone: true },
        expect.objectContaining({ op: 'update', key: 'default/b' }),
        expect.objectContaining({ op: 'add', key: 'default/e' }),
      ]),
    );
    // Unchanged objects (c, d) are not re-announced.
    expect(after.filter((s) => s.key === 'default/c' || s.key === 'default/d')).toEqual([]);
    const expiredWatch = server.requests.filter((r) => r.verb === 'watch');
    expect(expiredWatch.length).toBeGreaterThanOrEqual(3);
    expect(server.requests.filter((r) => r.verb === 'list')).toHaveLength(2);
    // Back to watching from the new list's resourceVersion.
    await until(() => server.activeWatches() === 1, clock);
    server.put('pods', pod('f'));
    await until(() => rec.view.has('default/f'));
    expect(rvs(rec.view)).toEqual(serverState(server));
    await informer.stop();
  });

  it('re-watches from the last resourceVersion after a dropped watch, without duplicates', async () => {
    const { server, informer, clock } = setup();
    server.put('pods', pod('a'));
    const rec = recorder();
    informer.addEventHandler(rec.handler);
    informer.start();
    await informer.waitForSync();
    await until(() => server.activeWatches() === 1);
    server.put('pods', pod('b'));
    await until(() => rec.seen.length === 2);
    const lastRv = server.resourceVersion();

    server.dropWatches();
    // Changes while disconnected arrive through the resumed watch, not a relist.
    server.put('pods', pod('c'));
    server.put('pods', pod('a', { labels: { v: '2' } }));
    await until(() => rec.seen.length === 4, clock, 500);
    const watches = server.requests.filter((r) => r.verb === 'watch');
    expect(watches.at(-1)?.query?.resourceVersion).toBe(lastRv);
    expect(server.requests.filter((r) => r.verb === 'list')).toHaveLength(1);

    // A server-side end (timeout) also resumes, from the newest resourceVersion seen.
    server.endWatches();
    server.put('pods', pod('d'));
    await until(() => rec.seen.length === 5, clock, 500);
    const pairs = rec.seen.map((s) => `${s.key}@${s.rv}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(rec.problems).toEqual([]);
    expect(rvs(rec.view)).toEqual(serverState(server));
    await informer.stop();
  });

  it('drops events it has already applied (a watch replaying older resourceVersions)', async () => {
    const { server, informer, clock } = setup();
    server.put('pods', pod('a'));
    const startRv = server.resourceVersion();
    server.put('pods', pod('a', { labels: { v: '2' } }));
    const rec = recorder();
    informer.addEventHandler(rec.handler);
    informer.start();
    await informer.waitForSync();
    await until(() => server.activeWatches() === 1);
    // Force the next watch to start before the list's resourceVersion (as paging can).
    (informer as unknown as { lastRV: string }).lastRV = startRv;
    server.endWatches();
    await until(() => server.requests.filter((r) => r.verb === 'watch').length === 2, clock, 500);
    await until(() => server.activeWatches() === 1);
    const replayFrom = server.requests.filter((r) => r.verb === 'watch')[1]?.query?.resourceVersion;
    expect(replayFrom).toBe(startRv);
    // The replayed MODIFIED (already in the list) reached the informer and was dropped.
    await settle();
    expect(rec.seen).toHaveLength(1);
    expect(informer.lastSyncResourceVersion()).toBe(server.resourceVersion());
    await informer.stop();
  });

  it('relists after a backoff when the watch cannot be started', async () => {
    const { server, informer, clock, errors } = setup();
    server.put('pods', pod('a'));
    server.failWhen(
      (r) => r.verb === 'watch',
      () => new Error('boom'),
      2,
    );
    informer.start();
    await informer.waitForSync();
    await settle();
    expect(server.requests.filter((r) => r.verb === 'list')).toHaveLength(1);
    // Nothing retried before the first backoff (≥ 800 ms) expires.
    await clock.advance(799);
    expect(server.requests.filter((r) => r.verb === 'list')).toHaveLength(1);
    await until(() => server.activeWatches() === 1, clock, 500);
    expect(server.requests.filter((r) => r.verb === 'list').length).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBe(2);
    await informer.stop();
  });

  it('resyncs: every handler gets update(obj, obj) each period', async () => {
    const { server, informer, clock } = setup({ resyncPeriodMs: 30_000 });
    server.put('pods', pod('a'));
    server.put('pods', pod('b'));
    const rec = recorder();
    const fast = recorder();
    informer.addEventHandler(rec.handler);
    informer.addEventHandler(fast.handler, { resyncPeriodMs: 10_000 });
    informer.start();
    await informer.waitForSync();
    await settle();
    await clock.advance(29_999);
    expect(rec.seen.filter((s) => s.op === 'update')).toHaveLength(0);
    expect(fast.seen.filter((s) => s.op === 'update')).toHaveLength(4); // at 10 s and 20 s
    await clock.advance(1);
    const updates = rec.seen.filter((s) => s.op === 'update');
    expect(updates).toHaveLength(2);
    // Resync hands the same object as old and new.
    for (const u of updates) expect(u).toEqual(expect.objectContaining({ oldRv: u.rv }));
    await informer.stop();
  });

  it('hasSynced per registration, and late handlers get the cache as initial adds', async () => {
    const { server, informer } = setup();
    server.put('pods', pod('a'));
    const early = informer.addEventHandler({});
    expect(informer.hasSynced()).toBe(false);
    informer.start();
    await informer.waitForSync();
    await settle();
    expect(early.hasSynced()).toBe(true);
    const initial: boolean[] = [];
    const late = informer.addEventHandler({
      onAdd: (_o, isInitial) => void initial.push(isInitial),
    });
    await until(() => late.hasSynced());
    expect(initial).toEqual([true]);
    await informer.stop();
    expect(await informer.waitForSync()).toBe(true);
  });

  it('a throwing handler delays neither the informer nor the other handlers', async () => {
    const { server, informer, errors } = setup();
    const rec = recorder();
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    informer.addEventHandler(rec.handler);
    informer.start();
    await informer.waitForSync();
    server.put('pods', pod('a'));
    await until(() => rec.seen.length === 1);
    expect(errors.some((e) => (e as Error).message === 'handler bug')).toBe(true);
    await informer.stop();
  });

  it('indexes by namespace, node name, controller uid and custom functions', async () => {
    const { server, informer } = setup();
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'rs',
      uid: 'rs-uid',
      controller: true,
    };
    server.put(
      'pods',
      pod('a', { node: 'n1', metadata: { ownerReferences: [owner] } } as Partial<Pod>),
    );
    server.put('pods', pod('b', { node: 'n1' }));
    server.put('pods', pod('c', { ns: 'other', node: 'n2', labels: { app: 'x' } }));
    informer.addIndexers({
      [NodeNameIndex]: indexByNodeName,
      [ControllerUidIndex]: indexByControllerUid,
      byApp: (p) => (p.metadata.labels?.app ? [p.metadata.labels.app] : []),
    });
    informer.start();
    await informer.waitForSync();
    const names = (ps: Pod[]) => ps.map((p) => p.metadata.name).sort();
    expect(names(informer.store.byIndex(NamespaceIndex, 'default'))).toEqual(['a', 'b']);
    expect(names(informer.store.byIndex(NodeNameIndex, 'n1'))).toEqual(['a', 'b']);
    expect(names(informer.store.byIndex(ControllerUidIndex, 'rs-uid'))).toEqual(['a']);
    expect(names(informer.store.byIndex('byApp', 'x'))).toEqual(['c']);
    // An update moves the object between index values.
    server.put('pods', pod('b', { node: 'n2' }));
    server.remove('pods', 'other', 'c');
    await until(
      () =>
        informer.store.byIndex(NodeNameIndex, 'n2').length === 1 && !informer.store.get('other/c'),
    );
    expect(names(informer.store.byIndex(NodeNameIndex, 'n1'))).toEqual(['a']);
    expect(names(informer.store.byIndex(NodeNameIndex, 'n2'))).toEqual(['b']);
    expect(informer.store.byIndex('byApp', 'x')).toEqual([]);
    expect(informer.store.indexValues(NamespaceIndex)).toEqual(['default']);
    await informer.stop();
  });

  it('applies selectors: objects entering and leaving the selection are added and deleted', async () => {
    const server = new FakeApiServer();
    const client = new Client({ transport: server, qps: -1 });
    const informer = new SharedInformer<Pod>({
      client,
      resource: podKind,
      fieldSelector: 'spec.nodeName=n1',
    });
    const rec = recorder();
    informer.addEventHandler(rec.handler);
    server.put('pods', pod('a', { node: 'n1' }));
    server.put('pods', pod('b'));
    informer.start();
    await informer.waitForSync();
    await until(() => server.activeWatches() === 1);
    server.put('pods', pod('b', { node: 'n1' }));
    server.put('pods', pod('a', { node: 'n2' }));
    await until(() => rec.seen.length === 3);
    expect(rec.seen.map((s) => `${s.op} ${s.key}`)).toEqual([
      'add default/a',
      'add default/b',
      'delete default/a',
    ]);
    await informer.stop();
  });
});

describe('informer transforms', () => {
  const managed = (name: string, node?: string) =>
    pod(name, {
      ...(node ? { node } : {}),
      metadata: {
        name,
        namespace: 'default',
        managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1' }],
      },
    });

  it('dropManagedFields: no cached or handed-out object keeps managedFields, listed or watched', async () => {
    const { server, informer } = setup();
    const seen: Pod[] = [];
    const record = (p: Pod) => void seen.push(p);
    server.put('pods', managed('listed'));
    const t = new SharedInformer<Pod>({
      client: new Client({ transport: server }),
      resource: podKind,
      transform: dropManagedFields,
    });
    t.addEventHandler({
      onAdd: record,
      onUpdate: (_o, p) => record(p),
      onDelete: (p) => record(p as Pod),
    });
    t.start();
    informer.start();
    expect(await t.waitForSync()).toBe(true);
    await until(() => server.activeWatches() === 2);
    server.put('pods', managed('watched'));
    server.put('pods', managed('listed', 'n1'));
    server.remove('pods', 'default', 'watched');
    await until(() => seen.length === 4);
    expect(seen.map((p) => p.metadata.managedFields)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(t.store.list().every((p) => p.metadata.managedFields === undefined)).toBe(true);
    // The update was still seen as one: the cache compares resourceVersions, not content.
    expect(t.store.get('default/listed')?.spec.nodeName).toBe('n1');
    // An informer without the transform keeps them.
    await until(() => informer.store.get('default/listed')?.spec.nodeName === 'n1');
    expect(informer.store.get('default/listed')?.metadata.managedFields).toHaveLength(1);
    await Promise.all([t.stop(), informer.stop()]);
  });

  it('the factory applies its transform to every informer, a selection its own', async () => {
    const server = new FakeApiServer();
    server.put('pods', managed('a'));
    server.put('configmaps', {
      metadata: { name: 'c', namespace: 'default', managedFields: [{ manager: 'm' }] },
    } as KubeObject);
    const factory = new SharedInformerFactory({
      client: new Client({ transport: server }),
      transform: dropManagedFields,
    });
    const pods = factory.informerFor<Pod>(podKind);
    const cms = factory.informerFor<KubeObject>('configmaps', {
      transform: (o) => ({ ...o, metadata: { ...o.metadata, labels: { seen: 'yes' } } }),
    });
    factory.start();
    expect(await factory.waitForCacheSync()).toBe(true);
    expect(pods.store.get('default/a')?.metadata.managedFields).toBeUndefined();
    expect(cms.store.get('default/c')?.metadata).toMatchObject({
      labels: { seen: 'yes' },
      managedFields: [{ manager: 'm' }],
    });
    await factory.shutdown();
  });
});

describe('SharedInformerFactory', () => {
  it('shares one informer per resource and selection, and starts late ones', async () => {
    const server = new FakeApiServer();
    const client = new Client({ transport: server, qps: -1 });
    const factory = new SharedInformerFactory({ client });
    const a = factory.informerFor(podKind);
    const b = factory.informerFor<Pod>('pods', { indexers: { [NodeNameIndex]: indexByNodeName } });
    const c = factory.informerFor(podKind, { fieldSelector: 'spec.nodeName=n1' });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    factory.start();
    expect(await factory.waitForCacheSync()).toBe(true);
    const late = factory.informerFor<KubeObject>('configmaps');
    expect(await late.waitForSync()).toBe(true);
    expect(server.requests.filter((r) => r.verb === 'list')).toHaveLength(3);
    await factory.shutdown();
    expect(server.activeWatches()).toBe(0);
  });
});
