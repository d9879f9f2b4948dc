import type { Clock, KubeObject, StatusError } from '@kubeling/api';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Store } from './store';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `kubeling-test:${randomUUID()}:`;
const cms = { group: '', resource: 'configmaps' };
const pods = { group: '', resource: 'pods' };
const deploys = { group: 'apps', resource: 'deployments' };
const nodes = { group: '', resource: 'nodes' };

function cm(name: string, data: Record<string, string> = {}, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, uid: `uid-${name}` },
    data,
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

let store: Store;
let raw: Redis;

beforeAll(() => {
  store = new Store({ redisUrl, prefix, compactIntervalMs: 0 });
  raw = new Redis(redisUrl);
});

afterAll(async () => {
  await store.deleteAll();
  await store.close();
  await raw.quit();
});

describe('create / get', () => {
  it('stamps a resourceVersion and reads the object back', async () => {
    const created = await store.create(cms, cm('a', { k: 'v' }));
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(created.data).toEqual({ k: 'v' });
    const got = await store.get(cms, 'default', 'a');
    expect(got).toEqual(created);
    expect(await store.currentResourceVersion()).toBe(created.metadata.resourceVersion);
  });

  it('puts resourceVersion where ObjectMeta has it and ignores one sent on create', async () => {
    const obj = cm('ordered');
    obj.metadata = {
      name: 'ordered',
      namespace: 'default',
      uid: 'u',
      resourceVersion: '999999',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { a: 'b' },
    };
    const created = await store.create(cms, obj);
    expect(Object.keys(created.metadata)).toEqual([
      'name',
      'namespace',
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'labels',
    ]);
    expect(created.metadata.resourceVersion).not.toBe('999999');
    // The stored JSON carries no resourceVersion: the hash value is `<rv>|<json>`.
    const value = await raw.hget(`${prefix}obj:/configmaps:default`, 'default/ordered');
    expect(value).toMatch(new RegExp(`^${created.metadata.resourceVersion}\\|\\{`));
    expect(value).not.toContain('999999');
  });

  it('keeps JSON exactly (floats, large integers, empty objects and arrays)', async () => {
    const obj: KubeObject = {
      ...cm('json'),
      spec: { f: 1.5, big: 9007199254740991, o: {}, a: [], n: null },
    };
    await store.create(cms, obj);
    const got = await store.get(cms, 'default', 'json');
    expect(got?.spec).toEqual({ f: 1.5, big: 9007199254740991, o: {}, a: [], n: null });
  });

  it('refuses a second object with the same name: AlreadyExists 409', async () => {
    await store.create(cms, cm('dup'));
    const err = await rejection(store.create(cms, cm('dup')));
    expect(err.status).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'configmaps "dup" already exists',
    });
  });

  it('allows the same name in another namespace and another resource', async () => {
    await store.create(cms, cm('same', {}, 'ns1'));
    await store.create(cms, cm('same', {}, 'ns2'));
    await store.create(pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'same', namespace: 'ns1' },
    });
    expect((await store.get(cms, 'ns1', 'same'))?.kind).toBe('ConfigMap');
    expect((await store.get(pods, 'ns1', 'same'))?.kind).toBe('Pod');
  });

  it('stores cluster-scoped objects under an empty namespace', async () => {
    const n = await store.create(nodes, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1' },
    });
    expect(await store.get(nodes, '', 'node-1')).toEqual(n);
    expect(await raw.hexists(`${prefix}obj:/nodes:`, '/node-1')).toBe(1);
  });

  it('returns undefined for a missing object', async () => {
    expect(await store.get(cms, 'default', 'missing')).toBeUndefined();
  });

  it('bumps one global resourceVersion across resources', async () => {
    const a = await store.create(pods, { metadata: { name: 'p1', namespace: 'x' } });
    const b = await store.create(deploys, { metadata: { name: 'd1', namespace: 'x' } });
    const c = await store.create(cms, cm('c1', {}, 'x'));
    const rvs = [a, b, c].map((o) => Number(o.metadata.resourceVersion));
    expect(rvs[1]).toBe((rvs[0] as number) + 1);
    expect(rvs[2]).toBe((rvs[1] as number) + 1);
  });
});

describe('update', () => {
  it('writes with the current resourceVersion and gets a new one', async () => {
    const v1 = await store.create(cms, cm('u1', { n: '1' }));
    const v2 = await store.update(cms, { ...v1, data: { n: '2' } });
    expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(
      Number(v1.metadata.resourceVersion),
    );
    expect((await store.get(cms, 'default', 'u1'))?.data).toEqual({ n: '2' });
  });

  it('rejects a stale resourceVersion with the optimistic-lock Conflict', async () => {
    const v1 = await store.create(cms, cm('u2', { n: '1' }));
    await store.update(cms, { ...v1, data: { n: '2' } });
    const err = await rejection(store.update(cms, { ...v1, data: { n: 'stale' } }));
    expect(err.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "u2": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'u2', kind: 'configmaps' },
    });
    expect((await store.get(cms, 'default', 'u2'))?.data).toEqual({ n: '2' });
  });

  it('takes an explicit expectedResourceVersion over the object’s, and none when it is empty', async () => {
    const v1 = await store.create(cms, cm('u3'));
    const err = await rejection(
      store.update(cms, { ...v1, data: { n: 'x' } }, { expectedResourceVersion: '1' }),
    );
    expect(err.reason).toBe('Conflict');
    const stale = { ...v1, metadata: { ...v1.metadata, resourceVersion: '1' } };
    const v2 = await store.update(
      cms,
      { ...stale, data: { n: 'y' } },
      { expectedResourceVersion: '' },
    );
    expect(v2.data).toEqual({ n: 'y' });
    const noRv = cm('u3', { n: 'z' });
    expect((await store.update(cms, noRv)).data).toEqual({ n: 'z' });
  });

  it('answers NotFound for a missing object', async () => {
    const err = await rejection(store.update(cms, cm('nope')));
    expect(err.status).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
    });
  });

  it('skips a write identical to what is stored: same resourceVersion, no log entry', async () => {
    const v1 = await store.create(cms, cm('noop', { a: 'b' }));
    const before = await store.currentResourceVersion();
    const v2 = await store.update(cms, { ...v1 });
    expect(v2.metadata.resourceVersion).toBe(v1.metadata.resourceVersion);
    expect(await store.currentResourceVersion()).toBe(before);
  });
});

describe('delete', () => {
  it('returns the last state stamped with the delete’s resourceVersion', async () => {
    const v1 = await store.create(cms, cm('d1', { k: 'v' }));
    const gone = await store.delete(cms, 'default', 'd1');
    expect(gone.data).toEqual({ k: 'v' });
    expect(Number(gone.metadata.resourceVersion)).toBe(Number(v1.metadata.resourceVersion) + 1);
    expect(gone.metadata.resourceVersion).toBe(await store.currentResourceVersion());
    expect(await store.get(cms, 'default', 'd1')).toBeUndefined();
    const err = await rejection(store.delete(cms, 'default', 'd1'));
    expect(err.status).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "d1" not found',
    });
  });

  it('checks the UID precondition with upstream’s message', async () => {
    await store.create(cms, cm('d2'));
    const err = await rejection(store.delete(cms, 'default', 'd2', { expectedUID: 'other' }));
    expect(err.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "d2": Precondition failed: UID in precondition: other, UID in object meta: uid-d2',
    });
    expect(await store.get(cms, 'default', 'd2')).toBeDefined();
    await store.delete(cms, 'default', 'd2', { expectedUID: 'uid-d2' });
    expect(await store.get(cms, 'default', 'd2')).toBeUndefined();
  });

  it('checks the resourceVersion precondition', async () => {
    const v1 = await store.create(cms, cm('d3'));
    const err = await rejection(
      store.delete(cms, 'default', 'd3', { expectedResourceVersion: '1' }),
    );
    expect(err.status.message).toBe(
      `Operation cannot be fulfilled on configmaps "d3": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${v1.metadata.resourceVersion}`,
    );
    await store.delete(cms, 'default', 'd3', {
      expectedResourceVersion: v1.metadata.resourceVersion,
    });
    expect(await store.get(cms, 'default', 'd3')).toBeUndefined();
  });
});

describe('guaranteedUpdate', () => {
  it('retries on Conflict until every concurrent mutation lands', async () => {
    await store.create(cms, cm('gu', { n: '0' }));
    let calls = 0;
    const bump = () =>
      store.guaranteedUpdate(cms, 'default', 'gu', (cur) => {
        calls++;
        const data = cur.data as Record<string, string>;
        data.n = String(Number(data.n) + 1);
        return cur;
      });
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 20; i++) await bump();
      }),
    );
    expect((await store.get(cms, 'default', 'gu'))?.data).toEqual({ n: '200' });
    expect(calls).toBeGreaterThanOrEqual(200);
  });

  it('keeps the key whatever mutate does to the name', async () => {
    await store.create(cms, cm('gu2', { n: '0' }));
    const out = await store.guaranteedUpdate(cms, 'default', 'gu2', (cur) => {
      return { ...cur, metadata: { ...cur.metadata, name: 'renamed' }, data: { n: '1' } };
    });
    expect(out.data).toEqual({ n: '1' });
    expect((await store.get(cms, 'default', 'gu2'))?.data).toEqual({ n: '1' });
    expect(await store.get(cms, 'default', 'renamed')).toBeUndefined();
  });

  it('answers NotFound and passes mutate’s errors through', async () => {
    expect((await rejection(store.guaranteedUpdate(cms, 'default', 'none', (c) => c))).reason).toBe(
      'NotFound',
    );
    await store.create(cms, cm('gu3'));
    await expect(
      store.guaranteedUpdate(cms, 'default', 'gu3', () => {
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
  });
});

describe('compaction', () => {
  it('keeps the newest logRetention entries and records the highest one dropped', async () => {
    const p = `kubeling-test:${randomUUID()}:`;
    const s = new Store({ redisUrl, prefix: p, logRetention: 3, compactIntervalMs: 0 });
    try {
      for (let i = 0; i < 10; i++) await s.create(cms, cm(`c${i}`));
      expect(await raw.xlen(`${p}log`)).toBe(10);
      await s.compact();
      expect(await raw.xlen(`${p}log`)).toBe(3);
      expect(await raw.get(`${p}compacted`)).toBe('7');
      await s.compact(); // idempotent
      expect(await raw.get(`${p}compacted`)).toBe('7');
      const first = await raw.xrange(`${p}log`, '-', '+', 'COUNT', 1);
      expect(first[0]?.[0]).toBe('8-1');
    } finally {
      await s.deleteAll();
      await s.close();
    }
  });

  it('runs on the clock’s timer, unref’d, and stops on close', async () => {
    const timers: { fn: () => void; ms: number; unref: boolean; cancelled: boolean }[] = [];
    const clock: Clock = {
      now: () => 0,
      setTimer: (fn, ms, opts) => {
        const t = { fn, ms, unref: opts?.unref === true, cancelled: false };
        timers.push(t);
        return () => (t.cancelled = true);
      },
    };
    const p = `kubeling-test:${randomUUID()}:`;
    const s = new Store({ redisUrl, prefix: p, logRetention: 2, compactIntervalMs: 5_000, clock });
    try {
      expect(timers).toHaveLength(1);
      expect(timers[0]).toMatchObject({ ms: 5_000, unref: true });
      for (let i = 0; i < 5; i++) await s.create(cms, cm(`t${i}`));
      timers[0]?.fn();
      // The run is async; the next timer is armed once it finished.
      for (let i = 0; i < 100 && timers.length < 2; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(timers).toHaveLength(2);
      expect(await raw.xlen(`${p}log`)).toBe(2);
      expect(await raw.get(`${p}compacted`)).toBe('3');
    } finally {
      await s.deleteAll();
      await s.close();
    }
    expect(timers[1]?.cancelled).toBe(true);
  });
});

describe('deleteAll', () => {
  it('removes every key under its prefix and nothing else', async () => {
    const base = `kubeling-test:${randomUUID()}`;
    const a = new Store({ redisUrl, prefix: `${base}:a:`, compactIntervalMs: 0 });
    const b = new Store({ redisUrl, prefix: `${base}:a*:`, compactIntervalMs: 0 });
    try {
      await a.create(cms, cm('x'));
      await b.create(cms, cm('x'));
      // b's prefix holds a glob character: unescaped, its MATCH would also take a's keys.
      await b.deleteAll();
      expect(await raw.keys(`${base}:a\\*:*`)).toEqual([]);
      expect((await raw.keys(`${base}:a:*`)).sort()).toEqual(
        [
          `${base}:a:log`,
          `${base}:a:ns:/configmaps`,
          `${base}:a:obj:/configmaps:default`,
          `${base}:a:rv`,
        ].sort(),
      );
      await a.deleteAll();
      expect(await raw.keys(`${base}:*`)).toEqual([]);
    } finally {
      await a.deleteAll();
      await b.deleteAll();
      await a.close();
      await b.close();
    }
  });
});
