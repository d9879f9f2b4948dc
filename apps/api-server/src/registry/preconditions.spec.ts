/**
 * Optimistic concurrency on every write path, over real HTTP: a write whose precondition
 * resourceVersion is stale answers 409 Conflict even when what it writes equals what is stored
 * (upstream checks the precondition before it notices a no-op). Without this, read-modify-write
 * clients lose updates: two clients that read the same version and write the same result both
 * "succeed", and one increment disappears.
 */
import type { RunningApiServer } from '../app';
import type { HttpResult } from '../testing/inProcess';
import {
  httpCall,
  startTestApiServer,
  stopTestApiServer,
  testClusterName,
} from '../testing/inProcess';

let server: RunningApiServer;
beforeAll(async () => {
  server = await startTestApiServer(testClusterName('precond'));
});

afterAll(() => stopTestApiServer(server));

const call = (method: string, path: string, body?: unknown, contentType?: string) =>
  httpCall(server.url, method, path, body, contentType);

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const PODS = '/api/v1/namespaces/default/pods';

/** Creates `name` with data {n: '0'}, then bumps it once: returns the stale and current objects. */
async function staleAndCurrent(name: string) {
  const created = await call('POST', CM, { metadata: { name }, data: { n: '0' } });
  expect(created.code).toBe(201);
  const bumped = await call('PUT', `${CM}/${name}`, { ...created.body, data: { n: '1' } });
  expect(bumped.code).toBe(200);
  return { stale: created.body, current: bumped.body };
}

function expectConflict(r: HttpResult, name: string) {
  expect(r.code).toBe(409);
  expect(r.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
  expect(r.body.message).toContain(`"${name}"`);
}

describe('a stale resourceVersion is a Conflict even when the write changes nothing', () => {
  it('PUT', async () => {
    const { stale, current } = await staleAndCurrent('put');
    // Same content as stored now, but the resourceVersion read before the last write.
    const r = await call('PUT', `${CM}/put`, {
      ...current,
      metadata: { ...current.metadata, resourceVersion: stale.metadata.resourceVersion },
    });
    expectConflict(r, 'put');
    // With the current resourceVersion the same no-op succeeds and creates no new version.
    const ok = await call('PUT', `${CM}/put`, current);
    expect(ok.code).toBe(200);
    expect(ok.body.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
  });

  it('merge and JSON patches that carry the resourceVersion', async () => {
    const { stale } = await staleAndCurrent('patch');
    const rv = stale.metadata.resourceVersion;
    const merge = await call(
      'PATCH',
      `${CM}/patch`,
      { metadata: { resourceVersion: rv }, data: { n: '1' } },
      'application/merge-patch+json',
    );
    expectConflict(merge, 'patch');
    const json = await call(
      'PATCH',
      `${CM}/patch`,
      [
        { op: 'replace', path: '/metadata/resourceVersion', value: rv },
        { op: 'replace', path: '/data/n', value: '1' },
      ],
      'application/json-patch+json',
    );
    expectConflict(json, 'patch');
    const smp = await call(
      'PATCH',
      `${CM}/patch`,
      { metadata: { resourceVersion: rv } },
      'application/strategic-merge-patch+json',
    );
    expectConflict(smp, 'patch');
  });

  it('server-side apply with a resourceVersion in the configuration', async () => {
    const { stale } = await staleAndCurrent('apply');
    const r = await call(
      'PATCH',
      `${CM}/apply?fieldManager=test&force=true`,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'apply', resourceVersion: stale.metadata.resourceVersion },
        data: { n: '1' },
      },
      'application/apply-patch+yaml',
    );
    expectConflict(r, 'apply');
  });

  it('the status subresource', async () => {
    const pod = await call('POST', PODS, {
      metadata: { name: 'status' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    expect(pod.code).toBe(201);
    const stale = pod.body;
    const moved = await call('PUT', `${PODS}/status/status`, {
      ...stale,
      status: { ...stale.status, message: 'one' },
    });
    expect(moved.code).toBe(200);
    const r = await call('PUT', `${PODS}/status/status`, {
      ...moved.body,
      metadata: { ...moved.body.metadata, resourceVersion: stale.metadata.resourceVersion },
    });
    expectConflict(r, 'status');
  });

  it('the scale subresource', async () => {
    const d = await call('POST', DEPLOY, {
      metadata: { name: 'scale' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 's' } },
        template: {
          metadata: { labels: { app: 's' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    });
    expect(d.code).toBe(201);
    const first = await call('GET', `${DEPLOY}/scale/scale`);
    const up = await call('PUT', `${DEPLOY}/scale/scale`, { ...first.body, spec: { replicas: 2 } });
    expect(up.code).toBe(200);
    // Asks for the replicas that are already set, from the version before.
    const r = await call('PUT', `${DEPLOY}/scale/scale`, { ...first.body, spec: { replicas: 2 } });
    expectConflict(r, 'scale');
  });

  it('delete preconditions', async () => {
    const { stale } = await staleAndCurrent('delete');
    const r = await call('DELETE', `${CM}/delete`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      preconditions: { resourceVersion: stale.metadata.resourceVersion },
    });
    expectConflict(r, 'delete');
    expect((await call('GET', `${CM}/delete`)).code).toBe(200);
  });

  it('of two concurrent identical PUTs from the same version, exactly one wins', async () => {
    for (let round = 0; round < 20; round++) {
      const name = `race-${round}`;
      const created = await call('POST', CM, { metadata: { name }, data: { n: '0' } });
      const next = { ...created.body, data: { n: '1' } };
      const answers = await Promise.all([
        call('PUT', `${CM}/${name}`, next),
        call('PUT', `${CM}/${name}`, next),
      ]);
      expect(answers.map((a) => a.code).sort()).toEqual([200, 409]);
    }
  });
});
