/**
 * managedFields on every write and server-side apply, through the transport-neutral Api against
 * the real Redis (isolated by a key prefix): who is recorded, how ownership moves, how apply
 * merges, prunes and conflicts. kubectl-driven checks are in apps/e2e/src/apply.e2e.spec.ts.
 */
import type { KubeObject } from '@kubeling/api';
import { isStatusError, scheme } from '@kubeling/api';
import { FakeClock } from '@kubeling/api/testing';
import { Store } from '@kubeling/store';
import { testServices, uniquePrefix } from '@kubeling/testing';
import type { ApiRequest, ApiResponse } from './api';
import { Api } from './api';
import { managerFromUserAgent } from './managedFields';
import type { PatchType } from './patchTypes';
import { supportedPatchTypes, unsupportedPatch } from './patchTypes';
import { parseCidr } from './services';

const { redisUrl } = testServices();
const store = new Store({ redisUrl, prefix: uniquePrefix('apply') });
const clock = new FakeClock(Date.parse('2024-05-01T10:00:00Z'));
const api = new Api({
  store,
  scheme,
  clock,
  serviceCidr: parseCidr('127.96.0.0/12'),
  nodePortRange: { min: 30000, max: 32767 },
  minRequestTimeoutSeconds: 1800,
});

beforeAll(async () => {
  await api.bootstrap(6443);
});

afterAll(async () => {
  await store.deleteAll();
  await store.close();
});

type Req = Partial<ApiRequest> & Pick<ApiRequest, 'verb'>;

async function call(r: Req): Promise<ApiResponse> {
  try {
    return await api.handle({
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
      namespace: 'default',
      query: {},
      ...r,
    });
  } catch (e) {
    if (isStatusError(e)) return { code: e.code, body: e.status };
    throw e;
  }
}

const patch = (
  name: string,
  patchType: PatchType,
  body: unknown,
  query: ApiRequest['query'] = {},
  extra: Partial<Req> = {},
) => call({ verb: 'patch', name, patchType, body, query, ...extra });

function deployment(name: string, replicas = 2, image = 'nginx:1.25'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

type Obj = KubeObject & {
  spec: { replicas?: number; template: { spec: { containers: Array<Record<string, unknown>> } } };
};

const managers = (o: unknown) =>
  ((o as KubeObject).metadata.managedFields ?? []).map((e) => [
    e.manager,
    e.operation,
    e.subresource ?? '',
  ]);
const fieldsOf = (o: unknown, manager: string, operation = 'Update') =>
  JSON.stringify(
    (o as KubeObject).metadata.managedFields?.find(
      (e) => e.manager === manager && e.operation === operation,
    )?.fieldsV1 ?? null,
  );

describe('the field manager of a write', () => {
  it('is the fieldManager parameter, else the first token of the User-Agent', async () => {
    expect(managerFromUserAgent('kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07')).toBe(
      'kubectl',
    );
    expect(managerFromUserAgent('node-fetch/1.0 (+https://github.com/bitinn/node-fetch)')).toBe(
      'node-fetch',
    );
    expect(managerFromUserAgent(undefined)).toBe('');
    expect(managerFromUserAgent('a\u0000b/1')).toBe('ab');
    expect(managerFromUserAgent('x'.repeat(200))).toHaveLength(128);

    const created = await call({
      verb: 'create',
      body: deployment('mgr'),
      query: { fieldManager: 'kubectl-create' },
    });
    expect(created.code).toBe(201);
    const entry = (created.body as KubeObject).metadata.managedFields?.[0];
    expect(entry).toMatchObject({
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
    });
    expect(entry?.fieldsV1).toMatchObject({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:progressDeadlineSeconds': {} },
    });

    await clock.advance(60_000);
    const labelled = await patch(
      'mgr',
      'merge',
      { metadata: { labels: { tier: 'web' } } },
      {},
      { userAgent: 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)' },
    );
    expect(managers(labelled.body)).toEqual([
      ['kubectl-create', 'Update', ''],
      ['node-fetch', 'Update', ''],
    ]);
    expect(fieldsOf(labelled.body, 'node-fetch')).toBe('{"f:metadata":{"f:labels":{"f:tier":{}}}}');
  });

  it('moves a changed field to the writer (kubectl set image is a strategic merge patch)', async () => {
    const r = await patch(
      'mgr',
      'strategic',
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'nginx' }],
              containers: [{ image: 'nginx:1.27', name: 'nginx' }],
            },
          },
        },
      },
      { fieldManager: 'kubectl-set' },
    );
    expect(r.code).toBe(200);
    const obj = r.body as Obj;
    expect(obj.spec.template.spec.containers[0]?.image).toBe('nginx:1.27');
    expect(obj.spec.template.spec.containers[0]?.ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
    ]);
    expect(obj.metadata.generation).toBe(2);
    expect(fieldsOf(obj, 'kubectl-set')).toBe(
      '{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{"f:image":{}}}}}}}',
    );
    expect(fieldsOf(obj, 'kubectl-create')).not.toMatch(/"f:image"/);
  });

  it('records status and scale writes under their subresource', async () => {
    const cur = (await call({ verb: 'get', name: 'mgr' })).body as Obj;
    const status = await call({
      verb: 'update',
      name: 'mgr',
      subresource: 'status',
      body: { ...cur, status: { replicas: 2, observedGeneration: 2 } },
      query: { fieldManager: 'kube-controller-manager' },
    });
    expect(status.code).toBe(200);
    expect(managers(status.body)).toContainEqual(['kube-controller-manager', 'Update', 'status']);
    expect(fieldsOf(status.body, 'kube-controller-manager')).toBe(
      '{"f:status":{"f:observedGeneration":{},"f:replicas":{}}}',
    );
    const scaled = await patch(
      'mgr',
      'merge',
      { spec: { replicas: 4 } },
      {},
      {
        subresource: 'scale',
        userAgent: 'kubectl/v1.32.4',
      },
    );
    expect(scaled.code).toBe(200);
    const after = (await call({ verb: 'get', name: 'mgr' })).body;
    expect(managers(after)).toContainEqual(['kubectl', 'Update', 'scale']);
    const scaleEntry = (after as KubeObject).metadata.managedFields?.find(
      (e) => e.subresource === 'scale',
    );
    expect(scaleEntry?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(fieldsOf(after, 'kubectl-create')).not.toContain('f:replicas');
  });

  it('does not store a write that changes nothing', async () => {
    const before = (await call({ verb: 'get', name: 'mgr' })).body as KubeObject;
    await clock.advance(60_000);
    const same = await patch(
      'mgr',
      'strategic',
      { metadata: { labels: { tier: 'web' } } },
      {
        fieldManager: 'kubectl-label',
      },
    );
    expect((same.body as KubeObject).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
    expect(managers(same.body)).not.toContainEqual(['kubectl-label', 'Update', '']);
  });

  it('lets a client reset managedFields, which leaves the object untracked', async () => {
    const r = await patch(
      'mgr',
      'merge',
      { metadata: { managedFields: [{}] } },
      { fieldManager: 'x' },
    );
    expect((r.body as KubeObject).metadata.managedFields).toBeUndefined();
    const next = await patch(
      'mgr',
      'merge',
      { metadata: { labels: { more: 'y' } } },
      { fieldManager: 'x' },
    );
    expect((next.body as KubeObject).metadata.managedFields).toBeUndefined();
  });

  it('keeps refusing a patch with a stale resourceVersion', async () => {
    const r = await patch('mgr', 'strategic', {
      metadata: { resourceVersion: '1', labels: { z: 'z' } },
    });
    expect(r.code).toBe(409);
    expect((r.body as { reason: string }).reason).toBe('Conflict');
  });

  it('names all four patch types when refusing a media type', () => {
    expect(supportedPatchTypes).toEqual([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    expect(unsupportedPatch('application/x').status.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
  });
});

describe('server-side apply', () => {
  const apply = (
    name: string,
    body: unknown,
    query: ApiRequest['query'] = { fieldManager: 'kubectl' },
  ) => patch(name, 'apply', body, query);

  it('requires a field manager', async () => {
    const r = await apply('ssa', deployment('ssa'), {});
    expect(r.code).toBe(422);
    expect((r.body as { message: string }).message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    const forced = await patch('mgr', 'merge', {}, { force: 'true' });
    expect((forced.body as { message: string }).message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
  });

  it('refuses configurations that are not of the kind, carry managedFields or undeclared fields', async () => {
    const wrongKind = await apply('ssa', { ...deployment('ssa'), kind: 'ReplicaSet' });
    expect([wrongKind.code, (wrongKind.body as { message: string }).message]).toEqual([
      400,
      'invalid object type: apps/v1, Kind=ReplicaSet',
    ]);
    const withMF = deployment('ssa');
    withMF.metadata.managedFields = [];
    expect((await apply('ssa', withMF)).code).toBe(400);
    const typo = deployment('ssa') as Obj;
    typo.spec.template.spec.containers[0]!.images = 'x';
    // Upstream answers the typed-conversion failures with a plain 500; the configuration is to
    // blame, so kubeling answers 400 with the same message. None of them stores anything.
    const r = await apply('ssa', typo);
    expect([r.code, (r.body as { reason: string }).reason]).toEqual([400, 'BadRequest']);
    expect((r.body as { message: string }).message).toBe(
      'failed to create typed patch object (/ssa; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="nginx"].images: field not declared in schema',
    );
    const noKey = deployment('ssa') as Obj;
    delete noKey.spec.template.spec.containers[0]!.name;
    const missing = await apply('ssa', noKey);
    expect([missing.code, (missing.body as { message: string }).message]).toEqual([
      400,
      'failed to create typed patch object (/ssa; apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    ]);
    const wrongType = { ...deployment('ssa'), metadata: 'ssa' };
    const typed = await apply('ssa', wrongType);
    expect([typed.code, (typed.body as { message: string }).message]).toEqual([
      400,
      'failed to create typed patch object (/ssa; apps/v1, Kind=Deployment): .metadata: expected map, got string',
    ]);
    const replicas = deployment('ssa');
    replicas.spec = { ...(replicas.spec as object), replicas: 'three' };
    expect((await apply('ssa', replicas)).body).toMatchObject({
      code: 400,
      message:
        'failed to create typed patch object (/ssa; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string',
    });
    expect((await call({ verb: 'get', name: 'ssa' })).code).toBe(404);
  });

  it('creates the object (201), then merges into it and is idempotent (200, same resourceVersion)', async () => {
    const created = await apply('ssa', deployment('ssa', 3));
    expect(created.code).toBe(201);
    expect(managers(created.body)).toEqual([['kubectl', 'Apply', '']]);
    // Something else adds a label the configuration does not mention: apply must keep it.
    await patch(
      'ssa',
      'merge',
      { metadata: { labels: { extra: 'yes' } } },
      { fieldManager: 'other' },
    );
    const again = await apply('ssa', deployment('ssa', 3));
    expect(again.code).toBe(200);
    const obj = again.body as Obj;
    expect(obj.metadata.labels).toEqual({ app: 'ssa', extra: 'yes' });
    const third = await apply('ssa', deployment('ssa', 3));
    expect((third.body as KubeObject).metadata.resourceVersion).toBe(obj.metadata.resourceVersion);
  });

  it('removes what the manager no longer applies (a container port), and defaults come back', async () => {
    const two = deployment('ports') as Obj;
    two.spec.template.spec.containers[0]!.ports = [
      { containerPort: 80, name: 'http' },
      { containerPort: 9090, name: 'metrics' },
    ];
    two.spec.template.spec.containers[0]!.imagePullPolicy = 'Always';
    await apply('ports', two);
    const one = await apply('ports', deployment('ports'));
    const c = (one.body as Obj).spec.template.spec.containers[0]!;
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
  });

  it('conflicts with another manager’s field, names it as upstream does, and moves it when forced', async () => {
    await call({
      verb: 'create',
      body: deployment('conf', 1),
      query: { fieldManager: 'kubectl-client-side-apply' },
    });
    const r = await apply('conf', deployment('conf', 5), { fieldManager: 'other' });
    expect(r.code).toBe(409);
    expect(r.body).toMatchObject({
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
    });
    const two = deployment('conf', 5, 'nginx:2');
    const multi = await apply('conf', two, { fieldManager: 'other' });
    expect((multi.body as { message: string }).message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
    const forced = await apply('conf', deployment('conf', 5), {
      fieldManager: 'other',
      force: 'true',
    });
    expect(forced.code).toBe(200);
    expect((forced.body as Obj).spec.replicas).toBe(5);
    expect(fieldsOf(forced.body, 'other', 'Apply')).toContain('f:replicas');
    expect(fieldsOf(forced.body, 'kubectl-client-side-apply')).not.toContain('f:replicas');
  });

  it('lets kubectl take over from client-side apply where the live values match last-applied', async () => {
    const csa = deployment('upgrade', 2);
    csa.metadata.annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(deployment('upgrade', 2))}\n`,
    };
    await call({ verb: 'create', body: csa, query: { fieldManager: 'kubectl-client-side-apply' } });
    const r = await apply('upgrade', deployment('upgrade', 4));
    expect(r.code).toBe(200);
    const obj = r.body as Obj;
    expect(obj.spec.replicas).toBe(4);
    // kubectl keeps the annotation in step with what it applies.
    const lastApplied = JSON.parse(
      obj.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}',
    ) as Obj;
    expect(lastApplied.spec.replicas).toBe(4);
    // Another manager gets no such allowance.
    const other = await apply('upgrade', deployment('upgrade', 6), { fieldManager: 'someone' });
    expect(other.code).toBe(409);
  });

  it('merges a second apply that only carries the last-applied annotation (kubectl-last-applied)', async () => {
    const r = await apply(
      'upgrade',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'upgrade',
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'x' },
        },
      },
      { fieldManager: 'kubectl-last-applied', force: 'true' },
    );
    expect(r.code).toBe(200);
    const obj = r.body as Obj;
    expect(obj.spec.replicas).toBe(4);
    expect(obj.spec.template.spec.containers).toHaveLength(1);
    expect(managers(obj)).toContainEqual(['kubectl-last-applied', 'Apply', '']);
  });

  it('refuses a stale resourceVersion in the configuration and honours dryRun', async () => {
    const stale = deployment('ssa', 3);
    stale.metadata.resourceVersion = '1';
    expect((await apply('ssa', stale)).code).toBe(409);
    const dry = await apply('dry', deployment('dry'), { fieldManager: 'kubectl', dryRun: 'All' });
    expect(dry.code).toBe(201);
    expect((await call({ verb: 'get', name: 'dry' })).code).toBe(404);
  });
});
