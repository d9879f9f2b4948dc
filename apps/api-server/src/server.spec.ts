/**
 * The REST core end to end over HTTP, in-process, against the real Redis and NATS:
 * every verb, the error Status shapes, metadata rules, watch, subresources, metrics.
 * (kubectl-driven acceptance tests live in apps/e2e.)
 */
import { readWatch } from '@kubeling/testing';
import type { RunningApiServer } from './app';
import type { HttpResult } from './testing/inProcess';
import {
  httpCall,
  startTestApiServer,
  stopTestApiServer,
  testClusterName,
} from './testing/inProcess';

let server: RunningApiServer;
let base: string;
const cluster = testClusterName('api');

beforeAll(async () => {
  server = await startTestApiServer(cluster, ['--watch-bookmark-interval', '0.5']);
  base = server.url;
});

afterAll(() => stopTestApiServer(server));

const call = (
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<HttpResult> => httpCall(base, method, path, body, contentType);

const pod = (name: string, labels: Record<string, string> = {}, image = 'nginx:1.14') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image, ports: [{ containerPort: 80 }] }] },
});

const NS = '/api/v1/namespaces/default';

describe('discovery and server info', () => {
  it('reports Kubernetes v1.32 at /version', async () => {
    const r = await call('GET', '/version');
    expect(r.body).toMatchObject({ major: '1', minor: '32' });
    expect(r.body.gitVersion).toMatch(/^v1\.32\.\d+/);
  });

  it('serves the legacy discovery documents with shortNames, categories and subresources', async () => {
    const core = await call('GET', '/api/v1');
    const pods = core.body.resources.find((r: { name: string }) => r.name === 'pods');
    expect(pods).toMatchObject({
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
    });
    expect(core.body.resources.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining([
        'pods/status',
        'pods/binding',
        'namespaces/finalize',
        'services',
        'nodes',
      ]),
    );
    const groups = await call('GET', '/apis');
    expect(groups.body.groups.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining(['apps', 'discovery.k8s.io', 'coordination.k8s.io']),
    );
    const apps = await call('GET', '/apis/apps/v1');
    const scale = apps.body.resources.find((r: { name: string }) => r.name === 'deployments/scale');
    expect(scale).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect((await call('GET', '/apis/nope/v1')).code).toBe(404);
  });

  it('answers health checks', async () => {
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const r = await call('GET', p);
      expect([r.code, r.body]).toEqual([200, 'ok']);
    }
  });

  it('serves the OpenAPI v3 index and a document per group-version', async () => {
    const idx = await call('GET', '/openapi/v3');
    const url: string = idx.body.paths['apis/apps/v1'].serverRelativeURL;
    const doc = await call('GET', url);
    const ops = Object.values(
      doc.body.paths as Record<string, { patch?: Record<string, unknown> }>,
    );
    expect(ops.map((o) => o.patch?.['x-kubernetes-group-version-kind'])).toContainEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect((await call('GET', '/openapi/v2')).code).toBe(404);
  });

  it('starts with the initial namespaces and the kubernetes Service', async () => {
    const r = await call('GET', '/api/v1/namespaces');
    expect(r.body.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort()).toEqual(
      expect.arrayContaining(['default', 'kube-node-lease', 'kube-public', 'kube-system']),
    );
    const svc = await call('GET', `${NS}/services/kubernetes`);
    expect(svc.body.spec.clusterIP).toBe('127.96.0.1');
  });
});

describe('create, get, update, delete', () => {
  it('creates with server-set metadata and Kubernetes defaults', async () => {
    const r = await call('POST', `${NS}/pods`, pod('web'));
    expect(r.code).toBe(201);
    const m = r.body.metadata;
    expect(m.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(m.resourceVersion)).toBeGreaterThan(0);
    expect(m.namespace).toBe('default');
    expect(r.body.status.phase).toBe('Pending');
    const c = r.body.spec.containers[0];
    expect(c.ports[0].protocol).toBe('TCP');
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(r.body.spec.restartPolicy).toBe('Always');
    const got = await call('GET', `${NS}/pods/web`);
    expect(got.body).toEqual(r.body);
  });

  it('refuses a duplicate with 409 AlreadyExists', async () => {
    const r = await call('POST', `${NS}/pods`, pod('web'));
    expect(r.code).toBe(409);
    expect(r.body).toMatchObject({
      kind: 'Status',
      reason: 'AlreadyExists',
      message: 'pods "web" already exists',
    });
    const d = await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('dup'));
    expect(d.code).toBe(201);
    const again = await call(
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      deployment('dup'),
    );
    expect(again.body.message).toBe('deployments.apps "dup" already exists');
  });

  it('answers 404 with the qualified resource name', async () => {
    const r = await call('GET', `${NS}/pods/nope`);
    expect(r.code).toBe(404);
    expect(r.body).toMatchObject({
      reason: 'NotFound',
      message: 'pods "nope" not found',
      details: { name: 'nope', kind: 'pods' },
    });
    expect((await call('GET', '/api/v1/frobs')).body.message).toBe(
      'the server could not find the requested resource',
    );
  });

  it('rejects invalid objects with 422 and field causes, storing nothing', async () => {
    const bad = pod('bad');
    delete (bad.spec.containers[0] as { image?: string }).image;
    const r = await call('POST', `${NS}/pods`, bad);
    expect(r.code).toBe(422);
    expect(r.body.message).toBe('Pod "bad" is invalid: spec.containers[0].image: Required value');
    expect(r.body.details.causes).toEqual([
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.containers[0].image',
      },
    ]);
    expect((await call('GET', `${NS}/pods/bad`)).code).toBe(404);
  });

  it('rejects malformed bodies with 400, huge ones with 413, unknown media types with 415', async () => {
    const r = await call('POST', `${NS}/pods`, '{"metadata": {');
    expect(r.code).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
    const big = {
      ...pod('big'),
      metadata: { name: 'big', annotations: { a: 'x'.repeat(3 * 1024 * 1024) } },
    };
    const tooBig = await call('POST', `${NS}/pods`, big);
    expect(tooBig.code).toBe(413);
    expect(tooBig.body.reason).toBe('RequestEntityTooLarge');
    const odd = await call('POST', `${NS}/pods`, 'x', 'application/x-frob');
    expect(odd.code).toBe(415);
    const patch = await call('PATCH', `${NS}/pods/web`, '{}', 'application/x-frob');
    expect(patch.code).toBe(415);
    expect(patch.body.message).toMatch(
      /^the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, application\/merge-patch\+json/,
    );
  });

  it('refuses unknown fields under fieldValidation=Strict and warns under the default', async () => {
    const withTypo = {
      ...pod('typo'),
      spec: { containers: [{ name: 'c', images: 'x', image: 'y' }] },
    };
    const strict = await call('POST', `${NS}/pods?fieldValidation=Strict`, withTypo);
    expect(strict.code).toBe(400);
    expect(strict.body.message).toContain('unknown field "spec.containers[0].images"');
    const warn = await call('POST', `${NS}/pods`, withTypo);
    expect(warn.code).toBe(201);
    expect(warn.headers.get('warning')).toContain('unknown field \\"spec.containers[0].images\\"');
  });

  it('generates names from generateName and honours dryRun', async () => {
    const g = await call('POST', `${NS}/configmaps`, {
      metadata: { generateName: 'cfg-' },
      data: { a: 'b' },
    });
    expect(g.code).toBe(201);
    expect(g.body.metadata.name).toMatch(/^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const dry = await call('POST', `${NS}/configmaps?dryRun=All`, { metadata: { name: 'dry' } });
    expect(dry.code).toBe(201);
    expect(dry.body.metadata.resourceVersion).toBeUndefined();
    expect((await call('GET', `${NS}/configmaps/dry`)).code).toBe(404);
  });

  it('updates with compare-and-swap: a stale resourceVersion is a 409 Conflict', async () => {
    const cm = (
      await call('POST', `${NS}/configmaps`, { metadata: { name: 'cas' }, data: { n: '1' } })
    ).body;
    const first = await call('PUT', `${NS}/configmaps/cas`, { ...cm, data: { n: '2' } });
    expect(first.code).toBe(200);
    expect(Number(first.body.metadata.resourceVersion)).toBeGreaterThan(
      Number(cm.metadata.resourceVersion),
    );
    const stale = await call('PUT', `${NS}/configmaps/cas`, { ...cm, data: { n: '3' } });
    expect(stale.code).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "cas": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect((await call('GET', `${NS}/configmaps/cas`)).body.data).toEqual({ n: '2' });
  });

  it('keeps uid and creationTimestamp, and bumps generation on spec changes only', async () => {
    const d = (
      await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('gen'))
    ).body;
    expect(d.metadata.generation).toBe(1);
    const relabel = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/gen',
      { metadata: { labels: { x: 'y' } } },
      'application/merge-patch+json',
    );
    expect(relabel.body.metadata.generation).toBe(1);
    const scaled = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/gen',
      { spec: { replicas: 3 } },
      'application/merge-patch+json',
    );
    expect(scaled.body.metadata.generation).toBe(2);
    expect(scaled.body.metadata.uid).toBe(d.metadata.uid);
    const forged = {
      ...scaled.body,
      metadata: { ...scaled.body.metadata, creationTimestamp: '2000-01-01T00:00:00Z' },
    };
    const put = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/gen', forged);
    expect(put.body.metadata.creationTimestamp).toBe(d.metadata.creationTimestamp);
  });

  it('applies json-patch and merge-patch, and refuses a patch with a stale resourceVersion', async () => {
    await call('POST', `${NS}/pods`, pod('patchme', { app: 'a' }));
    const merge = await call(
      'PATCH',
      `${NS}/pods/patchme`,
      { metadata: { labels: { app: null, tier: 'web' } } },
      'application/merge-patch+json',
    );
    expect(merge.body.metadata.labels).toEqual({ tier: 'web' });
    const json = await call(
      'PATCH',
      `${NS}/pods/patchme`,
      [{ op: 'add', path: '/metadata/annotations', value: { a: 'b' } }],
      'application/json-patch+json',
    );
    expect(json.body.metadata.annotations).toEqual({ a: 'b' });
    const stale = await call(
      'PATCH',
      `${NS}/pods/patchme`,
      { metadata: { resourceVersion: '1', labels: { z: 'z' } } },
      'application/merge-patch+json',
    );
    expect(stale.code).toBe(409);
    const invalid = await call(
      'PATCH',
      `${NS}/pods/patchme`,
      { spec: { containers: [{ name: 'c', image: '' }] } },
      'application/merge-patch+json',
    );
    expect(invalid.code).toBe(422);
  });

  it('deletes: at once without finalizers, on finalizer removal otherwise', async () => {
    await call('POST', `${NS}/configmaps`, { metadata: { name: 'gone' } });
    const del = await call('DELETE', `${NS}/configmaps/gone`, { propagationPolicy: 'Background' });
    expect(del.code).toBe(200);
    expect(del.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'gone', kind: 'configmaps' },
    });
    expect((await call('GET', `${NS}/configmaps/gone`)).code).toBe(404);

    await call('POST', `${NS}/configmaps`, {
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
    });
    const pending = await call('DELETE', `${NS}/configmaps/held`);
    expect(pending.body.metadata.deletionTimestamp).toBeDefined();
    expect((await call('GET', `${NS}/configmaps/held`)).code).toBe(200);
    await call(
      'PATCH',
      `${NS}/configmaps/held`,
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    expect((await call('GET', `${NS}/configmaps/held`)).code).toBe(404);
  });

  it('records Orphan and Foreground propagation as finalizers for the garbage collector', async () => {
    await call('POST', `${NS}/configmaps`, { metadata: { name: 'orphan-me' } });
    const r = await call('DELETE', `${NS}/configmaps/orphan-me`, { propagationPolicy: 'Orphan' });
    expect(r.body.metadata.finalizers).toEqual(['orphan']);
    await call('POST', `${NS}/configmaps`, { metadata: { name: 'fg' } });
    const f = await call('DELETE', `${NS}/configmaps/fg?propagationPolicy=Foreground`);
    expect(f.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    const bad = await call('DELETE', `${NS}/configmaps/fg`, { propagationPolicy: 'Sometimes' });
    expect(bad.code).toBe(400);
  });

  it('deletes pods on a node gracefully and unscheduled pods at once', async () => {
    await call('POST', `${NS}/pods`, {
      ...pod('bound'),
      spec: { ...pod('bound').spec, nodeName: 'node-1' },
    });
    const r = await call('DELETE', `${NS}/pods/bound`);
    expect(r.body.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await call('GET', `${NS}/pods/bound`)).code).toBe(200);
    const forced = await call('DELETE', `${NS}/pods/bound`, { gracePeriodSeconds: 0 });
    expect(forced.code).toBe(200);
    expect((await call('GET', `${NS}/pods/bound`)).code).toBe(404);
    await call('POST', `${NS}/pods`, pod('loose'));
    await call('DELETE', `${NS}/pods/loose`);
    expect((await call('GET', `${NS}/pods/loose`)).code).toBe(404);
  });

  it('checks delete preconditions', async () => {
    await call('POST', `${NS}/configmaps`, { metadata: { name: 'pre' } });
    const r = await call('DELETE', `${NS}/configmaps/pre`, { preconditions: { uid: 'not-it' } });
    expect(r.code).toBe(409);
    expect(r.body.message).toContain('Precondition failed: UID in precondition: not-it');
  });
});

function deployment(name: string, replicas = 1) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.14' }] },
      },
    },
  };
}

describe('list', () => {
  beforeAll(async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'sel' } });
    const specs: Array<[string, Record<string, string>]> = [
      ['p1', { env: 'production', tier: 'frontend' }],
      ['p2', { env: 'qa', tier: 'backend' }],
      ['p3', { env: 'dev', tier: 'backend', partition: 'x' }],
      ['p4', { env: 'production', tier: 'backend' }],
    ];
    for (const [n, l] of specs) await call('POST', '/api/v1/namespaces/sel/pods', pod(n, l));
  });
  const names = (r: HttpResult) =>
    r.body.items.map((i: { metadata: { name: string } }) => i.metadata.name).sort();

  it('filters by equality- and set-based label selectors', async () => {
    const q = (s: string) =>
      call('GET', `/api/v1/namespaces/sel/pods?labelSelector=${encodeURIComponent(s)}`);
    expect(names(await q('env in (production,qa),tier notin (frontend)'))).toEqual(['p2', 'p4']);
    expect(names(await q('partition'))).toEqual(['p3']);
    expect(names(await q('!partition'))).toEqual(['p1', 'p2', 'p4']);
    expect(names(await q('env=production,tier!=frontend'))).toEqual(['p4']);
    expect((await q('env in (')).code).toBe(400);
  });

  it('filters by field selectors and refuses unknown field labels', async () => {
    const r = await call(
      'GET',
      `/api/v1/namespaces/sel/pods?fieldSelector=${encodeURIComponent('metadata.name=p2')}`,
    );
    expect(names(r)).toEqual(['p2']);
    const phase = await call(
      'GET',
      `/api/v1/pods?fieldSelector=${encodeURIComponent('status.phase=Pending,metadata.namespace=sel')}`,
    );
    expect(names(phase)).toEqual(['p1', 'p2', 'p3', 'p4']);
    const bad = await call('GET', `/api/v1/namespaces/sel/pods?fieldSelector=spec.nope%3Dx`);
    expect(bad.code).toBe(400);
  });

  it('pages with limit and continue', async () => {
    const first = await call('GET', '/api/v1/namespaces/sel/pods?limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.metadata.continue).toBeTruthy();
    const rest = await call(
      'GET',
      `/api/v1/namespaces/sel/pods?limit=3&continue=${encodeURIComponent(first.body.metadata.continue)}`,
    );
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.metadata.continue).toBeUndefined();
    expect((await call('GET', '/api/v1/namespaces/sel/pods?continue=garbage')).code).toBe(400);
  });

  it('lists across namespaces and returns the list kind', async () => {
    const r = await call('GET', '/api/v1/pods');
    expect(r.body.kind).toBe('PodList');
    expect(r.body.apiVersion).toBe('v1');
    expect(r.body.items.length).toBeGreaterThanOrEqual(4);
  });

  it('deletes a collection by label selector', async () => {
    const r = await call(
      'DELETE',
      `/api/v1/namespaces/sel/pods?labelSelector=${encodeURIComponent('tier=backend')}`,
    );
    expect(r.code).toBe(200);
    expect(names(await call('GET', '/api/v1/namespaces/sel/pods'))).toEqual(['p1']);
  });
});

describe('namespaces', () => {
  it('refuses content in a missing namespace with 404', async () => {
    const r = await call('POST', '/api/v1/namespaces/missing/configmaps', {
      metadata: { name: 'x' },
    });
    expect(r.code).toBe(404);
    expect(r.body.message).toBe('namespaces "missing" not found');
  });

  it('marks a deleted namespace Terminating and refuses new content there with 403', async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    const del = await call('DELETE', '/api/v1/namespaces/doomed');
    expect(del.body.status.phase).toBe('Terminating');
    const r = await call('POST', '/api/v1/namespaces/doomed/configmaps', {
      metadata: { name: 'x' },
    });
    expect(r.code).toBe(403);
    expect(r.body.message).toBe(
      'configmaps "x" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    );
    const fin = await call('PUT', '/api/v1/namespaces/doomed/finalize', {
      metadata: { name: 'doomed' },
      spec: { finalizers: [] },
    });
    expect(fin.code).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/doomed')).code).toBe(404);
  });

  it('protects the default namespaces', async () => {
    const r = await call('DELETE', '/api/v1/namespaces/default');
    expect(r.code).toBe(403);
  });
});

describe('subresources', () => {
  it('reads and writes Deployment scale', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('sc', 2));
    const s = await call('GET', '/apis/apps/v1/namespaces/default/deployments/sc/scale');
    expect(s.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { replicas: 0, selector: 'app=sc' },
    });
    const p = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/sc/scale',
      { spec: { replicas: 5 } },
      'application/merge-patch+json',
    );
    expect(p.body.spec.replicas).toBe(5);
    expect(
      (await call('GET', '/apis/apps/v1/namespaces/default/deployments/sc')).body.spec.replicas,
    ).toBe(5);
    const neg = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/sc/scale',
      { spec: { replicas: -1 } },
      'application/merge-patch+json',
    );
    expect(neg.code).toBe(422);
  });

  it('updates status only through the status subresource', async () => {
    const d = (await call('GET', '/apis/apps/v1/namespaces/default/deployments/sc')).body;
    const viaMain = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/sc', {
      ...d,
      status: { replicas: 9 },
    });
    expect(viaMain.body.status?.replicas).not.toBe(9);
    const viaStatus = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/sc/status', {
      ...viaMain.body,
      spec: { ...viaMain.body.spec, replicas: 1 },
      status: { replicas: 9 },
    });
    expect(viaStatus.body.status.replicas).toBe(9);
    expect(viaStatus.body.spec.replicas).toBe(5);
  });

  it('binds a pod to a node once', async () => {
    await call('POST', `${NS}/pods`, pod('tobind'));
    const b = await call('POST', `${NS}/pods/tobind/binding`, {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'tobind' },
      target: { kind: 'Node', name: 'n1' },
    });
    expect(b.code).toBe(201);
    const p = (await call('GET', `${NS}/pods/tobind`)).body;
    expect(p.spec.nodeName).toBe('n1');
    expect(p.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'PodScheduled', status: 'True' }),
    );
    const again = await call('POST', `${NS}/pods/tobind/binding`, {
      metadata: { name: 'tobind' },
      target: { kind: 'Node', name: 'n2' },
    });
    expect(again.code).toBe(409);
    expect(again.body.message).toContain('is already assigned to node "n1"');
  });
});

describe('services', () => {
  it('allocates a ClusterIP in range and refuses one outside it', async () => {
    const r = await call('POST', `${NS}/services`, {
      metadata: { name: 'svc-1' },
      spec: { selector: { app: 'pod' }, ports: [{ port: 9000, targetPort: 8080 }] },
    });
    expect(r.code).toBe(201);
    expect(r.body.spec.clusterIP).toMatch(/^127\.(9[6-9]|10[0-9]|11[01])\./);
    expect(r.body.spec.type).toBe('ClusterIP');
    const out = await call('POST', `${NS}/services`, {
      metadata: { name: 'webui-svc' },
      spec: { clusterIP: '10.96.100.100', selector: { app: 'webui' }, ports: [{ port: 80 }] },
    });
    expect(out.code).toBe(422);
    expect(out.body.message).toContain('the provided IP (10.96.100.100) is not in the valid range');
    const np = await call('POST', `${NS}/services`, {
      metadata: { name: 'np' },
      spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] },
    });
    expect(np.body.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
  });
});

describe('watch', () => {
  /** Reads newline-delimited watch events until `count` arrived or the stream ended. */
  const watchEvents = (path: string, count: number, during?: () => Promise<void>) =>
    readWatch(base + path, during ? { count, during } : { count });

  it('sends the current state then changes, filtered by selectors', async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'w' } });
    await call('POST', '/api/v1/namespaces/w/configmaps', {
      metadata: { name: 'a', labels: { k: 'v' } },
    });
    await call('POST', '/api/v1/namespaces/w/configmaps', { metadata: { name: 'b' } });
    const events = await watchEvents(
      '/api/v1/namespaces/w/configmaps?watch=true&labelSelector=k%3Dv',
      4,
      async () => {
        await call('POST', '/api/v1/namespaces/w/configmaps', {
          metadata: { name: 'c', labels: { k: 'v' } },
        });
        await call('POST', '/api/v1/namespaces/w/configmaps', { metadata: { name: 'd' } });
        await call(
          'PATCH',
          '/api/v1/namespaces/w/configmaps/d',
          { metadata: { labels: { k: 'v' } } },
          'application/merge-patch+json',
        );
        await call(
          'PATCH',
          '/api/v1/namespaces/w/configmaps/a',
          { metadata: { labels: { k: null } } },
          'application/merge-patch+json',
        );
      },
    );
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED a',
      'ADDED c',
      'ADDED d',
      'DELETED a',
    ]);
    expect(events[0]!.object.kind).toBe('ConfigMap');
  });

  it('resumes from a resourceVersion', async () => {
    const list = await call('GET', '/api/v1/namespaces/w/configmaps');
    const rv = list.body.metadata.resourceVersion;
    const events = await watchEvents(
      `/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=${rv}`,
      1,
      async () => {
        await call('DELETE', '/api/v1/namespaces/w/configmaps/b');
      },
    );
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['DELETED b']);
  });

  it('sends bookmarks carrying the newest resourceVersion when allowed', async () => {
    const rv = (await call('GET', '/api/v1/namespaces/w/configmaps')).body.metadata.resourceVersion;
    const events = await watchEvents(
      `/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`,
      2,
      async () => {
        await call('POST', '/api/v1/namespaces/w/configmaps', { metadata: { name: 'bm' } });
      },
    );
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'bm' } } });
    expect(events[1]).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'ConfigMap', apiVersion: 'v1' },
    });
    expect(events[1]!.object.metadata.resourceVersion).toBe(
      events[0]!.object.metadata.resourceVersion,
    );
  });

  it('ends after timeoutSeconds', async () => {
    const t0 = Date.now();
    const events = await watchEvents(
      '/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=0&timeoutSeconds=1',
      1000,
    );
    expect(events.length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('answers a compacted resourceVersion with a 410 Expired ERROR event', async () => {
    // A second cluster whose change log keeps a single entry.
    const tiny = await startTestApiServer(`${cluster}-tiny`, ['--log-retention', '1']);
    try {
      const post = (name: string) =>
        fetch(`${tiny.url}${NS}/configmaps`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ metadata: { name } }),
        });
      await post('e');
      await post('f');
      await tiny.store.compact();
      const saved = base;
      base = tiny.url;
      try {
        const expired = await watchEvents(`${NS}/configmaps?watch=1&resourceVersion=1`, 1);
        expect(expired[0]).toMatchObject({
          type: 'ERROR',
          object: { kind: 'Status', code: 410, reason: 'Expired' },
        });
        expect(expired[0]!.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
      } finally {
        base = saved;
      }
    } finally {
      await stopTestApiServer(tiny);
    }
  });
});

describe('metrics', () => {
  it('exposes apiserver_request_total and apiserver_request_duration_seconds', async () => {
    const r = await call('GET', '/metrics');
    expect(r.body).toMatch(/apiserver_request_total\{[^}]*verb="POST"[^}]*\} \d+/);
    expect(r.body).toMatch(/apiserver_request_duration_seconds_bucket\{[^}]*resource="pods"/);
    expect(r.body).toMatch(/code="404"/);
  });
});
