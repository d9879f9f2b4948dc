import type { KubeObject, StatusError } from '@kubeling/api';
import { randomUUID } from 'node:crypto';
import { encodeContinue } from './continueToken';
import { Store } from './store';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const cms = { group: '', resource: 'configmaps' };
const nodes = { group: '', resource: 'nodes' };

function cm(namespace: string, name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels } };
}

const names = (items: KubeObject[]) =>
  items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

async function rejection(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    return e as StatusError;
  }
  throw new Error('expected a rejection');
}

let store: Store;

beforeAll(() => {
  store = new Store({ redisUrl, prefix: `kubeling-test:${randomUUID()}:`, compactIntervalMs: 0 });
});

afterAll(async () => {
  await store.deleteAll();
  await store.close();
});

describe('list', () => {
  beforeAll(async () => {
    // Created out of order: the list must come back in key order.
    for (const [ns, name, tier] of [
      ['b', 'two', 'web'],
      ['a', 'one', 'db'],
      ['a-b', 'x', 'web'],
      ['b', 'one', 'db'],
      ['a', 'two', 'web'],
    ] as const) {
      await store.create(cms, cm(ns, name, { tier }));
    }
  });

  it('returns every object sorted by namespace/name at the current resourceVersion', async () => {
    const res = await store.list(cms, {});
    // '-' sorts before '/', as in etcd's byte order of /registry/configmaps/<ns>/<name>.
    expect(names(res.items)).toEqual(['a-b/x', 'a/one', 'a/two', 'b/one', 'b/two']);
    expect(res.resourceVersion).toBe(await store.currentResourceVersion());
    expect(res.continue).toBeUndefined();
    expect(res.items.every((o) => /^\d+$/.test(o.metadata.resourceVersion ?? ''))).toBe(true);
  });

  it('scopes to one namespace without taking a namespace that shares its prefix', async () => {
    expect(names((await store.list(cms, { namespace: 'a' })).items)).toEqual(['a/one', 'a/two']);
    expect(names((await store.list(cms, { namespace: 'a-b' })).items)).toEqual(['a-b/x']);
    expect((await store.list(cms, { namespace: 'zzz' })).items).toEqual([]);
  });

  it('drops a namespace from the index when its last object goes, and lists without it', async () => {
    await store.create(cms, cm('lonely', 'only'));
    expect(names((await store.list(cms, {})).items)).toContain('lonely/only');
    await store.delete(cms, 'lonely', 'only');
    expect(names((await store.list(cms, {})).items)).not.toContain('lonely/only');
    expect((await store.list(cms, { namespace: 'lonely' })).items).toEqual([]);
  });

  it('applies the filter', async () => {
    const res = await store.list(cms, { filter: (o) => o.metadata.labels?.tier === 'web' });
    expect(names(res.items)).toEqual(['a-b/x', 'a/two', 'b/two']);
  });

  it('lists an empty resource at the current resourceVersion', async () => {
    const res = await store.list(nodes, {});
    expect(res.items).toEqual([]);
    expect(res.resourceVersion).toBe(await store.currentResourceVersion());
  });
});

describe('list paging', () => {
  const ns = 'paged';
  beforeAll(async () => {
    for (let i = 0; i < 25; i++) {
      await store.create(
        cms,
        cm(ns, `cm-${String(i).padStart(2, '0')}`, { even: String(i % 2 === 0) }),
      );
    }
  });

  it('pages through 25 objects with limit/continue, each exactly once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    const pages: { n: number; remaining?: number; rv: string }[] = [];
    do {
      const res = await store.list(cms, { namespace: ns, limit: 10, continue: token });
      seen.push(...names(res.items));
      pages.push({
        n: res.items.length,
        remaining: res.remainingItemCount,
        rv: res.resourceVersion,
      });
      token = res.continue;
    } while (token);
    expect(seen).toEqual(
      Array.from({ length: 25 }, (_, i) => `${ns}/cm-${String(i).padStart(2, '0')}`),
    );
    expect(pages.map((p) => [p.n, p.remaining])).toEqual([
      [10, 15],
      [10, 5],
      [5, undefined],
    ]);
    expect(new Set(pages.map((p) => p.rv)).size).toBe(1);
  });

  it('reads current state on later pages but reports the first page’s resourceVersion', async () => {
    const first = await store.list(cms, { namespace: ns, limit: 10 });
    expect(first.continue).toBeDefined();
    // Changes between pages: one object ahead of the cursor is deleted, one is added.
    await store.delete(cms, ns, 'cm-15');
    await store.create(cms, cm(ns, 'cm-15a'));
    const second = await store.list(cms, { namespace: ns, limit: 10, continue: first.continue });
    expect(names(second.items)).toEqual(
      [
        'cm-10',
        'cm-11',
        'cm-12',
        'cm-13',
        'cm-14',
        'cm-15a',
        'cm-16',
        'cm-17',
        'cm-18',
        'cm-19',
      ].map((n) => `${ns}/${n}`),
    );
    expect(second.resourceVersion).toBe(first.resourceVersion);
    expect(Number(await store.currentResourceVersion())).toBeGreaterThan(
      Number(first.resourceVersion),
    );
    const third = await store.list(cms, { namespace: ns, limit: 10, continue: second.continue });
    expect(third.resourceVersion).toBe(first.resourceVersion);
    expect(third.items).toHaveLength(5);
    expect(third.continue).toBeUndefined();
    await store.delete(cms, ns, 'cm-15a');
    await store.create(cms, cm(ns, 'cm-15', { even: 'false' }));
  });

  it('fills pages with filtered items and sets no remainingItemCount then', async () => {
    const even = (o: KubeObject) => o.metadata.labels?.even === 'true';
    const first = await store.list(cms, { namespace: ns, limit: 5, filter: even });
    expect(names(first.items)).toEqual(['00', '02', '04', '06', '08'].map((n) => `${ns}/cm-${n}`));
    expect(first.remainingItemCount).toBeUndefined();
    const second = await store.list(cms, {
      namespace: ns,
      limit: 5,
      filter: even,
      continue: first.continue,
    });
    expect(names(second.items)).toEqual(['10', '12', '14', '16', '18'].map((n) => `${ns}/cm-${n}`));
    const third = await store.list(cms, {
      namespace: ns,
      limit: 5,
      filter: even,
      continue: second.continue,
    });
    expect(names(third.items)).toEqual(['20', '22', '24'].map((n) => `${ns}/cm-${n}`));
    expect(third.continue).toBeUndefined();
  });

  it('gives no continue token when the last page is exactly full', async () => {
    const res = await store.list(cms, { namespace: ns, limit: 25 });
    expect(res.items).toHaveLength(25);
    expect(res.continue).toBeUndefined();
    const odd = await store.list(cms, {
      namespace: ns,
      limit: 12,
      filter: (o) => o.metadata.labels?.even === 'false',
    });
    expect(odd.items).toHaveLength(12);
    expect(odd.continue).toBeUndefined();
  });

  it('rejects a malformed continue token with 400 BadRequest', async () => {
    const cases: [string, string][] = [
      [
        'not base64!',
        'invalid continue token: continue key is not valid: illegal base64 data at input byte 3',
      ],
      [
        Buffer.from('{').toString('base64url'),
        'invalid continue token: continue key is not valid: ',
      ],
      [
        Buffer.from(JSON.stringify({ v: 'v9', rv: 5, start: 'a/b' })).toString('base64url'),
        'invalid continue token: continue key is not valid: server does not recognize this encoded version',
      ],
      [
        encodeContinue({ rv: 0, start: 'a/b' }),
        'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      ],
      [
        encodeContinue({ rv: 5, start: '' }),
        'invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)',
      ],
    ];
    for (const [token, message] of cases) {
      const err = await rejection(store.list(cms, { namespace: ns, limit: 5, continue: token }));
      expect(err.status).toMatchObject({ code: 400, reason: 'BadRequest' });
      expect(err.status.message?.startsWith(message)).toBe(true);
    }
  });
});
