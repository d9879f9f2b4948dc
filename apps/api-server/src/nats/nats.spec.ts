/**
 * The API over NATS, in-process against the real Redis and NATS: every verb through the same
 * `Api` as HTTP (identical Status errors), filtered watches with seq and bookmarks, keepalive,
 * cancel, expiry, 410, readiness, and a clean shutdown that ends watches.
 * (Two api-server processes and replica failover: apps/e2e/src/nats-*.e2e.spec.ts.)
 */
import type { NatsConnection, Subscription } from 'nats';
import { connect, createInbox } from 'nats';
import type { StatusError } from '@kubeling/api';
import { isStatusError } from '@kubeling/api';
import type {
  ApiRequestMessage,
  ApiSubjects,
  WatchAckMessage,
  WatchEventMessage,
  WatchMessage,
  WatchRequestMessage,
  WatchStream,
} from '@kubeling/bus';
import { apiRequest, apiSubjects, decode, encode, openWatch, request } from '@kubeling/bus';
import { testServices } from '@kubeling/testing';
import type { RunningApiServer } from '../app';
import { startTestApiServer, testClusterName } from '../testing/inProcess';

const cluster = testClusterName('nats');
const flags = [
  '--nats-watch-bookmark-interval',
  '0.2',
  '--nats-watch-expiry',
  '1',
  '--log-retention',
  '50',
];
let server: RunningApiServer;
let nc: NatsConnection;
let subjects: ApiSubjects;

beforeAll(async () => {
  server = await startTestApiServer(cluster, flags);
  nc = await connect({ servers: testServices().natsUrl });
  subjects = apiSubjects(cluster);
});

afterAll(async () => {
  await server.store.deleteAll();
  await server.stop();
  await nc.close();
});

type Req = Omit<ApiRequestMessage, 'v'>;
/* eslint-disable @typescript-eslint/no-explicit-any */
const call = async (req: Req): Promise<{ code: number; body: any; warnings?: string[] }> =>
  apiRequest<any>(nc, subjects, req);
/* eslint-enable @typescript-eslint/no-explicit-any */

async function natsError(req: Req): Promise<StatusError> {
  try {
    await call(req);
  } catch (e) {
    if (isStatusError(e)) return e;
    throw e;
  }
  throw new Error('request succeeded');
}

async function http(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const init: RequestInit = { method, headers: { 'Content-Type': contentType } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const r = await fetch(server.url + path, init);
  return { code: r.status, body: (await r.json()) as unknown, headers: r.headers };
}

const core = { group: '', version: 'v1' };
const pods = { ...core, resource: 'pods', namespace: 'default' };
const cms = { ...core, resource: 'configmaps', namespace: 'default' };
const pod = (name: string, labels: Record<string, string> = {}, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
});
const cm = (
  name: string,
  data: Record<string, string> = {},
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

describe('request/reply through the same Api as HTTP', () => {
  it('serves create, get, list, update, patch, delete and deletecollection', async () => {
    const created = await call({ ...cms, verb: 'create', body: cm('a', { k: 'v' }, { set: 'x' }) });
    expect(created.code).toBe(201);
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const got = await call({ ...cms, verb: 'get', name: 'a' });
    expect(got.body).toEqual(created.body);
    await call({ ...cms, verb: 'create', body: cm('b', {}, { set: 'x' }) });
    await call({ ...cms, verb: 'create', body: cm('c', {}, { set: 'y' }) });
    const listed = await call({ ...cms, verb: 'list', query: { labelSelector: 'set=x' } });
    expect(listed.body.kind).toBe('ConfigMapList');
    expect(listed.body.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual([
      'a',
      'b',
    ]);
    const updated = await call({
      ...cms,
      verb: 'update',
      name: 'a',
      body: { ...got.body, data: { k: 'w' } },
    });
    expect(updated.code).toBe(200);
    expect(updated.body.data).toEqual({ k: 'w' });
    const merged = await call({
      ...cms,
      verb: 'patch',
      name: 'a',
      patchType: 'merge',
      body: { data: { m: '1' } },
    });
    expect(merged.body.data).toEqual({ k: 'w', m: '1' });
    const jsonPatched = await call({
      ...cms,
      verb: 'patch',
      name: 'a',
      patchType: 'json',
      body: [{ op: 'remove', path: '/data/k' }],
    });
    expect(jsonPatched.body.data).toEqual({ m: '1' });
    const deleted = await call({ ...cms, verb: 'delete', name: 'c' });
    expect(deleted.code).toBe(200);
    const coll = await call({
      ...cms,
      verb: 'deletecollection',
      query: { labelSelector: 'set=x' },
    });
    expect(coll.body.items).toHaveLength(2);
    expect((await call({ ...cms, verb: 'list' })).body.items).toEqual([]);
  });

  it('serves subresources: status, scale, binding', async () => {
    await call({ ...pods, verb: 'create', body: pod('sub') });
    const st = await call({
      ...pods,
      verb: 'patch',
      name: 'sub',
      subresource: 'status',
      patchType: 'merge',
      body: { status: { phase: 'Running' } },
    });
    expect(st.body.status.phase).toBe('Running');
    const bound = await call({
      ...pods,
      verb: 'create',
      name: 'sub',
      subresource: 'binding',
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'sub' },
        target: { kind: 'Node', name: 'n1' },
      },
    });
    expect(bound.code).toBe(201);
    expect((await call({ ...pods, verb: 'get', name: 'sub' })).body.spec.nodeName).toBe('n1');
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    };
    const deployments = {
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      namespace: 'default',
    };
    await call({ ...deployments, verb: 'create', body: deploy });
    const scale = await call({ ...deployments, verb: 'get', name: 'd', subresource: 'scale' });
    expect(scale.body).toMatchObject({ kind: 'Scale', spec: { replicas: 1 } });
    const scaled = await call({
      ...deployments,
      verb: 'patch',
      name: 'd',
      subresource: 'scale',
      patchType: 'merge',
      body: { spec: { replicas: 3 } },
    });
    expect(scaled.body.spec.replicas).toBe(3);
  });

  it('answers bad requests with the same Status as HTTP (404, 409, 422, 400)', async () => {
    await call({ ...cms, verb: 'create', body: cm('dup') });
    const cur = (await call({ ...cms, verb: 'get', name: 'dup' })).body;
    await call({ ...cms, verb: 'update', name: 'dup', body: { ...cur, data: { x: '1' } } });
    const cases: Array<[Req, string, string, unknown?]> = [
      [
        { ...cms, verb: 'get', name: 'missing' },
        'GET',
        '/api/v1/namespaces/default/configmaps/missing',
      ],
      [
        { ...cms, verb: 'create', body: cm('dup') },
        'POST',
        '/api/v1/namespaces/default/configmaps',
        cm('dup'),
      ],
      // a stale resourceVersion: 409 Conflict
      [
        { ...cms, verb: 'update', name: 'dup', body: cur },
        'PUT',
        '/api/v1/namespaces/default/configmaps/dup',
        cur,
      ],
      [
        { ...pods, verb: 'create', body: { ...pod('bad'), spec: { containers: [{ name: 'c' }] } } },
        'POST',
        '/api/v1/namespaces/default/pods',
        { ...pod('bad'), spec: { containers: [{ name: 'c' }] } },
      ],
      [
        { ...cms, verb: 'list', query: { labelSelector: 'a in (' } },
        'GET',
        '/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(',
      ],
      [{ ...core, resource: 'nopes', verb: 'list' }, 'GET', '/api/v1/nopes'],
      [
        { ...cms, namespace: 'nowhere', verb: 'create', body: cm('x') },
        'POST',
        '/api/v1/namespaces/nowhere/configmaps',
        cm('x'),
      ],
    ];
    const codes: number[] = [];
    for (const [req, method, path, body] of cases) {
      const viaNats = await natsError(req);
      const viaHttp = await http(method, path, body);
      expect(viaNats.status).toEqual(viaHttp.body);
      expect(viaNats.code).toBe(viaHttp.code);
      codes.push(viaNats.code);
    }
    expect(codes).toEqual([404, 409, 409, 422, 400, 404, 404]);
  });

  it('passes warnings on, as HTTP sends them in Warning headers', async () => {
    const body = { ...cm('warned'), extra: 1 };
    const viaNats = await call({ ...cms, verb: 'create', body });
    expect(viaNats.warnings).toEqual(['unknown field "extra"']);
    const viaHttp = await http('POST', '/api/v1/namespaces/default/configmaps', {
      ...body,
      metadata: { name: 'warned2' },
    });
    expect(viaHttp.headers.get('warning')).toContain('unknown field \\"extra\\"');
  });

  it('names the field manager from userAgent, as HTTP does from User-Agent', async () => {
    const r = await call({
      ...cms,
      verb: 'create',
      body: cm('managed'),
      userAgent: 'kube-scheduler/v1.32.0',
    });
    expect(r.body.metadata.managedFields?.[0]?.manager).toBe('kube-scheduler');
  });

  it('applies the version rule and the routing rules', async () => {
    const v2 = await request(nc, subjects.request, { ...cms, v: 2, verb: 'list' }).catch(
      (e: unknown) => e,
    );
    expect(isStatusError(v2) && v2.status.message).toBe(
      'unsupported protocol version 2 (this server speaks 1)',
    );
    expect((await natsError({ ...cms, verb: 'get' })).code).toBe(404);
    expect((await natsError({ ...pods, verb: 'get', subresource: 'status' })).message).toBe(
      'the server could not find the requested resource',
    );
    expect((await natsError({ ...cms, verb: 'list', name: 'x' })).code).toBe(400);
    expect((await natsError({ ...cms, verb: 'list', query: { watch: 'true' } })).message).toBe(
      `watches over NATS go to ${subjects.watch}`,
    );
    expect((await natsError({ ...cms, verb: 'patch', name: 'dup', body: {} })).code).toBe(415);
  });

  it('replies with more than the max payload in parts', async () => {
    const big = 'x'.repeat(600 * 1024);
    for (const n of ['big1', 'big2'])
      await call({ ...cms, verb: 'create', body: cm(n, { big }, { big: 'yes' }) });
    const listed = await call({ ...cms, verb: 'list', query: { labelSelector: 'big=yes' } });
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.items[1].data.big).toBe(big);
    await call({ ...cms, verb: 'deletecollection', query: { labelSelector: 'big=yes' } });
  });

  it('counts NATS requests in apiserver_request_total', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(
      // the AlreadyExists above: once over NATS, once over HTTP
      /apiserver_request_total\{code="409",[^}]*resource="configmaps",scope="namespace",[^}]*verb="POST",version="v1"\} 2\n/,
    );
  });
});

/** A raw watch: the protocol by hand, as a non-TypeScript client would speak it. */
async function rawWatch(req: Omit<WatchRequestMessage, 'v' | 'inbox'>) {
  const inbox = createInbox();
  const messages: WatchMessage[] = [];
  const sub: Subscription = nc.subscribe(inbox, {
    callback: (_e, m) => messages.push(decode(m.data) as WatchMessage),
  });
  const ack = await request<WatchAckMessage>(nc, subjects.watch, { v: 1, ...req, inbox });
  return { ack, messages, sub };
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const names = (evs: WatchMessage[], type?: string) =>
  evs
    .filter(
      (e): e is WatchEventMessage =>
        e.type !== 'END' && e.type !== 'BOOKMARK' && (!type || e.type === type),
    )
    .map((e) => `${e.type} ${(e.object as { metadata: { name: string } }).metadata.name}`);

describe('watch', () => {
  it('sends a kubelet only its own pods, with seq, bookmarks, and pods bound to it as ADDED', async () => {
    const rv = (await call({ ...pods, verb: 'list' })).body.metadata.resourceVersion;
    const seen: WatchEventMessage[] = [];
    const w = await openWatch(nc, {
      subjects,
      request: {
        ...core,
        resource: 'pods',
        query: { fieldSelector: 'spec.nodeName=node-7', resourceVersion: rv },
      },
      onEvent: (e) => void seen.push(e),
    });
    expect(w.bookmarkIntervalMs).toBe(200);
    await call({ ...pods, verb: 'create', body: pod('p-other', {}, 'node-8') });
    await call({ ...pods, verb: 'create', body: pod('p-mine', {}, 'node-7') });
    await call({ ...pods, verb: 'create', body: pod('p-later') });
    await call({
      ...pods,
      verb: 'create',
      name: 'p-later',
      subresource: 'binding',
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'p-later' },
        target: { kind: 'Node', name: 'node-7' },
      },
    });
    await until(() => names(seen).length === 2 && seen.some((e) => e.type === 'BOOKMARK'));
    expect(names(seen)).toEqual(['ADDED p-mine', 'ADDED p-later']);
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_e, i) => i + 1));
    const bookmark = seen.filter((e) => e.type === 'BOOKMARK').at(-1)!;
    expect(bookmark.object).toMatchObject({ kind: 'Pod', apiVersion: 'v1' });
    w.stop();
    expect((await w.done).reason).toBe('stopped');
  });

  it('filters by label selector and namespace, and sends the initial state for resourceVersion 0', async () => {
    await call({
      ...core,
      resource: 'namespaces',
      verb: 'create',
      body: { metadata: { name: 'other' } },
    });
    await call({ ...cms, verb: 'create', body: cm('l1', {}, { app: 'web' }) });
    await call({ ...cms, verb: 'create', body: cm('l2', {}, { app: 'db' }) });
    await call({ ...cms, namespace: 'other', verb: 'create', body: cm('l3', {}, { app: 'web' }) });
    const w = await rawWatch({ ...cms, query: { labelSelector: 'app=web', resourceVersion: '0' } });
    await until(() => w.messages.length >= 1);
    await call({ ...cms, namespace: 'other', verb: 'create', body: cm('l4', {}, { app: 'web' }) });
    await call({ ...cms, verb: 'create', body: cm('l5', {}, { app: 'web' }) });
    await call({
      ...cms,
      verb: 'patch',
      name: 'l1',
      patchType: 'merge',
      body: { metadata: { labels: { app: 'db' } } },
    });
    await until(() => names(w.messages).length === 3);
    expect(names(w.messages)).toEqual(['ADDED l1', 'ADDED l5', 'DELETED l1']);
    expect(w.messages.map((m) => m.seq)).toEqual(w.messages.map((_m, i) => i + 1));
    w.sub.unsubscribe();
    await request(nc, subjects.cancel(w.ack.replica), { v: 1, watchId: w.ack.watchId });
  });

  it('refuses a bad selector (400) or an unknown resource (404) in the reply', async () => {
    const bad = await request(nc, subjects.watch, {
      v: 1,
      ...cms,
      query: { fieldSelector: 'spec.nope=1' },
      inbox: createInbox(),
    }).catch((e: unknown) => e);
    expect(isStatusError(bad) && bad.code).toBe(400);
    const missing = await request(nc, subjects.watch, {
      v: 1,
      ...core,
      resource: 'nopes',
      inbox: createInbox(),
    }).catch((e: unknown) => e);
    expect(isStatusError(missing) && missing.code).toBe(404);
  });

  it('ends a cancelled watch with END cancelled, and answers keepalives for unknown ids', async () => {
    const w = await rawWatch({ ...cms });
    const r = await request<{ code: number; found: boolean }>(nc, subjects.cancel(w.ack.replica), {
      v: 1,
      watchId: w.ack.watchId,
    });
    expect(r.found).toBe(true);
    await until(() => w.messages.some((m) => m.type === 'END'));
    expect(w.messages.at(-1)).toMatchObject({ type: 'END', reason: 'cancelled' });
    const k = await request<{ unknown: string[] }>(nc, subjects.keepalive(w.ack.replica), {
      v: 1,
      watchIds: [w.ack.watchId],
    });
    expect(k.unknown).toEqual([w.ack.watchId]);
    w.sub.unsubscribe();
  });

  it('ends a watch whose client stops keeping it alive (expiry), not one kept alive', async () => {
    const lost = await rawWatch({ ...cms });
    const kept = await rawWatch({ ...cms });
    const keep = setInterval(
      () =>
        nc.publish(
          subjects.keepalive(kept.ack.replica),
          encode({ v: 1, watchIds: [kept.ack.watchId] }),
        ),
      200,
    );
    try {
      await until(() => lost.messages.some((m) => m.type === 'END'), 4000);
      expect(lost.messages.at(-1)).toMatchObject({ type: 'END', reason: 'expired' });
      expect(kept.messages.some((m) => m.type === 'END')).toBe(false);
      expect(kept.messages.filter((m) => m.type === 'BOOKMARK').length).toBeGreaterThan(3);
    } finally {
      clearInterval(keep);
      lost.sub.unsubscribe();
      kept.sub.unsubscribe();
      await request(nc, subjects.cancel(kept.ack.replica), { v: 1, watchId: kept.ack.watchId });
    }
  });

  it('answers a compacted resourceVersion with a 410 ERROR event, then END', async () => {
    const first = (await call({ ...cms, verb: 'create', body: cm('old') })).body.metadata
      .resourceVersion;
    for (let i = 0; i < 60; i++)
      await call({ ...cms, verb: 'update', name: 'old', body: cm('old', { i: String(i) }) });
    await server.store.compact();
    const w = await rawWatch({ ...cms, query: { resourceVersion: first } });
    await until(() => w.messages.some((m) => m.type === 'END'));
    expect(w.messages.map((m) => m.type)).toEqual(['ERROR', 'END']);
    expect((w.messages[0] as WatchEventMessage).object).toMatchObject({
      code: 410,
      reason: 'Expired',
    });
    expect(w.messages[1]).toMatchObject({ seq: 2, reason: 'error' });
    w.sub.unsubscribe();
  });

  it('reports the NATS subscriptions in readiness', async () => {
    const r = await fetch(`${server.url}/readyz?verbose`);
    expect(await r.text()).toContain('[+]nats-api ok');
  });
});

describe('shutdown', () => {
  it('drains, ends watches with END shutdown, and stops being ready', async () => {
    const second = await startTestApiServer(cluster, flags);
    const ends: string[] = [];
    // Watches land on either replica (queue group, random): open them until two are on `second`.
    const watches: WatchStream[] = [];
    while (watches.filter((w) => w.replica === second.natsApi.replica).length < 2) {
      expect(watches.length).toBeLessThan(60);
      watches.push(
        await openWatch(nc, { subjects, request: { ...cms }, onEvent: () => undefined }),
      );
    }
    const onSecond = watches.filter((w) => w.replica === second.natsApi.replica);
    expect(second.natsApi.watchCount()).toBe(onSecond.length);
    await second.stop();
    expect(second.natsApi.ready()).toBe(false);
    for (const w of onSecond) {
      const end = await w.done;
      ends.push(`${end.reason} ${end.serverReason}`);
    }
    expect(ends).toEqual(onSecond.map(() => 'end shutdown'));
    // The other replica still serves.
    expect((await call({ ...cms, verb: 'list' })).code).toBe(200);
    for (const w of watches) w.stop();
  });
});
