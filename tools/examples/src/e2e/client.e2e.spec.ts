/**
 * libs/client against a real cluster (two api-server replicas from `kubeling up`): every verb of
 * the typed client over both transports, errors as StatusErrors, and informers over NATS that
 * converge — also when the api-server replica serving their watch is killed.
 */
import type { ConfigMap, Deployment, KubeObject, Namespace, Pod } from '@kubeling/api';
import {
  configMapKind,
  deploymentKind,
  hasReason,
  isStatusError,
  namespaceKind,
  podKind,
} from '@kubeling/api';
import type { Client } from '@kubeling/client';
import { HttpTransport, objectKey, SharedInformer, Client as TypedClient } from '@kubeling/client';
import type { TestCluster } from '@kubeling/testing';
import { startCluster, uniqueName } from '@kubeling/testing';
import {
  clusterComponents,
  eventually,
  killComponent,
  killScripts,
  natsClient,
  spawnScript,
} from './support';

let cluster: TestCluster;
const clients: Record<string, Client> = {};

beforeAll(async () => {
  // No controller-manager: the finalize test plays the namespace controller itself.
  cluster = await startCluster({ apiServers: 2, nodes: 0, controllerManagers: 0 });
  clients.nats = await natsClient(cluster);
  clients.http = new TypedClient({ transport: new HttpTransport({ server: cluster.server }) });
}, 120_000);

/** Stops what a failed test left running (informers), so jest can exit. */
const afterCleanup: Array<() => Promise<void>> = [];

afterAll(async () => {
  await Promise.all(afterCleanup.map((f) => f()));
  await Promise.all(Object.values(clients).map((c) => c.close()));
  await killScripts();
  await cluster?.down();
}, 60_000);

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe.each(['nats', 'http'])('typed client over %s', (transport) => {
  let client: Client;
  let ns: string;

  beforeAll(async () => {
    client = clients[transport]!;
    ns = uniqueName(`c-${transport}`);
    await client.resource(namespaceKind).create({ metadata: { name: ns } } as Namespace);
  });

  it('creates, reads, lists, updates, patches and deletes', async () => {
    const cms = client.resource(configMapKind).namespace(ns);
    const created = await cms.create({
      metadata: { name: 'one', labels: { app: 'x' } },
      data: { a: '1' },
    });
    expect(created).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    expect(created.metadata.uid).toBeTruthy();
    await cms.create({ metadata: { name: 'two' }, data: {} });
    expect((await cms.get('one')).data).toEqual({ a: '1' });

    const labelled = await cms.list({ labelSelector: 'app=x' });
    expect(labelled.items.map((c) => c.metadata.name)).toEqual(['one']);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(0);
    const paged = await cms.list({ limit: 1 });
    expect(paged.items).toHaveLength(1);
    expect(paged.metadata.continue).toBeTruthy();

    const updated = await cms.update({ ...created, data: { a: '2' } });
    expect(updated.data).toEqual({ a: '2' });
    // Optimistic concurrency: the stale resourceVersion is refused.
    const stale = await thrown(cms.update({ ...created, data: { a: '3' } }));
    expect(hasReason(stale, 'Conflict')).toBe(true);
    expect((stale as { code: number }).code).toBe(409);

    expect((await cms.patch('one', 'merge', { data: { b: 'x' } })).data).toEqual({
      a: '2',
      b: 'x',
    });
    const jp = await cms.patch('one', 'json', [{ op: 'remove', path: '/data/a' }]);
    expect(jp.data).toEqual({ b: 'x' });

    await cms.delete('one');
    expect(hasReason(await thrown(cms.get('one')), 'NotFound')).toBe(true);
    await cms.deleteCollection();
    expect((await cms.list()).items).toEqual([]);
  });

  it('throws Status errors with their reasons', async () => {
    const cms = client.resource(configMapKind).namespace(ns);
    await cms.create({ metadata: { name: 'dup' } });
    const dup = await thrown(cms.create({ metadata: { name: 'dup' } }));
    expect(isStatusError(dup) && dup.status).toMatchObject({
      reason: 'AlreadyExists',
      code: 409,
      message: 'configmaps "dup" already exists',
    });
    const bad = await thrown(cms.create({ metadata: { name: 'bad' }, data: { 'no/slash': 'x' } }));
    expect(isStatusError(bad) && bad.status.reason).toBe('Invalid');
    expect(isStatusError(bad) && bad.code).toBe(422);
    expect(hasReason(await thrown(cms.list({ labelSelector: 'a in (' })), 'BadRequest')).toBe(true);
    const missing = await thrown(client.resource(configMapKind).namespace(`${ns}-none`).get('x'));
    expect(hasReason(missing, 'NotFound')).toBe(true);
  });

  it('serves the status, scale, binding and finalize subresources', async () => {
    const pods = client.resource(podKind).namespace(ns);
    await pods.create({
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    } as Pod);
    await client.bind({
      metadata: { name: 'p', namespace: ns },
      target: { kind: 'Node', name: 'node-9' },
    });
    const bound = await pods.get('p');
    expect(bound.spec.nodeName).toBe('node-9');
    const st = await pods.patchStatus('p', 'merge', { status: { message: 'from the client' } });
    expect(st.status?.message).toBe('from the client');
    const st2 = await pods.updateStatus({ ...st, status: { ...st.status, reason: 'Testing' } });
    expect(st2.status).toMatchObject({ message: 'from the client', reason: 'Testing' });
    // The main resource ignores status changes.
    const main = await pods.update({ ...st2, status: { ...st2.status, reason: 'Ignored' } });
    expect(main.status?.reason).toBe('Testing');

    const deps = client.resource(deploymentKind).namespace(ns);
    await deps.create({
      metadata: { name: 'd' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { labels: { app: 'd' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    } as unknown as Deployment);
    const scale = await deps.getScale('d');
    expect(scale).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 1 },
      status: { selector: 'app=d' },
    });
    await deps.updateScale('d', { ...scale, spec: { replicas: 4 } });
    expect((await deps.get('d')).spec.replicas).toBe(4);

    const nsName = uniqueName(`fin-${transport}`);
    const namespaces = client.resource(namespaceKind);
    await namespaces.create({ metadata: { name: nsName } } as Namespace);
    await namespaces.delete(nsName);
    const terminating = await namespaces.get(nsName);
    expect(terminating.status?.phase).toBe('Terminating');
    await client.finalizeNamespace({ ...terminating, spec: { finalizers: [] } });
    await eventually(async () =>
      expect(hasReason(await thrown(namespaces.get(nsName)), 'NotFound')).toBe(true),
    );
  });

  it('watches from a resourceVersion', async () => {
    const cms = client.resource(configMapKind).namespace(ns);
    const from = (await cms.list()).metadata.resourceVersion;
    const w = await cms.watch({ resourceVersion: from });
    await cms.create({ metadata: { name: 'w' }, data: { v: '1' } });
    await cms.patch('w', 'merge', { data: { v: '2' } });
    await cms.delete('w');
    const seen: string[] = [];
    for await (const ev of w) {
      if (ev.type === 'BOOKMARK') continue;
      seen.push(`${ev.type} ${ev.type === 'ERROR' ? ev.object.message : ev.object.metadata.name}`);
      if (seen.length === 3) break;
    }
    w.stop();
    expect(seen).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w']);
  });
});

describe('informers over NATS', () => {
  function cacheState(inf: SharedInformer<ConfigMap>) {
    return Object.fromEntries(
      inf.store.list().map((o) => [objectKey(o), o.metadata.resourceVersion]),
    );
  }
  async function serverState(client: Client, ns: string) {
    const list = await client.resource(configMapKind).namespace(ns).list();
    return Object.fromEntries(list.items.map((o) => [objectKey(o), o.metadata.resourceVersion]));
  }
  async function churn(client: Client, ns: string, prefix: string, n: number) {
    const cms = client.resource(configMapKind).namespace(ns);
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const name = `${prefix}-${i}`;
        await cms.create({ metadata: { name }, data: { i: String(i) } });
        await cms.patch(name, 'merge', { data: { touched: 'yes' } });
        if (i % 3 === 0) await cms.delete(name);
      }),
    );
  }

  it('lists, watches and converges to the server state under concurrent writes', async () => {
    const client = clients.nats!;
    const ns = uniqueName('inf');
    await client.resource(namespaceKind).create({ metadata: { name: ns } } as Namespace);
    await churn(client, ns, 'pre', 10);
    const informer = new SharedInformer<ConfigMap>({
      client,
      resource: configMapKind,
      namespace: ns,
      pageSize: 4,
    });
    const problems: string[] = [];
    const view = new Map<string, KubeObject>();
    informer.addEventHandler({
      onAdd: (o) => {
        if (view.has(objectKey(o))) problems.push(`dup add ${objectKey(o)}`);
        view.set(objectKey(o), o);
      },
      onUpdate: (old, o) => {
        if (view.get(objectKey(o))?.metadata.resourceVersion !== old.metadata.resourceVersion)
          problems.push(`bad update ${objectKey(o)}`);
        view.set(objectKey(o), o);
      },
      onDelete: (o) => {
        const key = objectKey('obj' in o ? o.obj : o);
        if (!view.delete(key)) problems.push(`unknown delete ${key}`);
      },
    });
    informer.start();
    afterCleanup.push(() => informer.stop());
    expect(await informer.waitForSync()).toBe(true);
    await churn(client, ns, 'live', 30);
    await eventually(async () =>
      expect(cacheState(informer)).toEqual(await serverState(client, ns)),
    );
    // 10 - 4 deleted before the informer started, 30 - 10 deleted after.
    expect(Object.keys(cacheState(informer))).toHaveLength(26);
    const handlerView = Object.fromEntries(
      [...view].map(([k, o]) => [k, o.metadata.resourceVersion]),
    );
    expect(handlerView).toEqual(cacheState(informer));
    expect(problems).toEqual([]);
    await informer.stop();
  }, 60_000);

  it('keeps converging when the api-server replicas serving it are killed', async () => {
    const client = clients.nats!;
    const ns = uniqueName('failover');
    await client.resource(namespaceKind).create({ metadata: { name: ns } } as Namespace);
    const informer = new SharedInformer<ConfigMap>({
      client,
      resource: configMapKind,
      namespace: ns,
    });
    const replicas = clusterComponents(cluster).filter((c) => c.id.startsWith('api-server'));
    expect(replicas).toHaveLength(2);
    // A third replica, so that one is left standing when the two original ones are killed.
    const first = replicas[0]!.command;
    const args = first.slice(first.indexOf('--cluster-name'));
    const extra = spawnScript(
      'apps/api-server/src/main.ts',
      args.map((a, i) =>
        args[i - 1] === '--port' ? '0' : args[i - 1] === '--id' ? 'api-server-extra' : a,
      ),
    );
    try {
      const url = (await extra.waitFor(/"serving" url="([^"]+)"/))[1];
      await eventually(async () => expect((await fetch(`${url}/readyz`)).status).toBe(200));
      informer.start();
      await informer.waitForSync();
      for (const [i, r] of replicas.entries()) {
        await killComponent(r);
        // Requests published in the very millisecond of the crash can still be routed to the
        // dead replica's queue subscription (until the NATS server has processed the closed
        // socket) and are lost: they time out after requestTimeoutMs. That is not what this
        // test is about, so the writers start a moment later. The informer's watch is on
        // whichever replica it is: it must resume on a live one by itself.
        await new Promise((resolve) => setTimeout(resolve, 500));
        await churn(client, ns, `after-kill-${i}`, 6);
        await eventually(
          async () => expect(cacheState(informer)).toEqual(await serverState(client, ns)),
          45_000,
        );
      }
      expect(informer.store.size()).toBe(8);
    } catch (e) {
      process.stderr.write(`extra api-server output:\n${extra.output()}\n`);
      throw e;
    } finally {
      await informer.stop();
      await extra.kill('SIGTERM');
    }
  }, 150_000);
});
