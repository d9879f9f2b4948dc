/**
 * The ReplicaSet (and ReplicationController) controller against FakeApiServer on a FakeClock.
 */
import type { Pod, ReplicaSet, ReplicationController } from '@kubeling/api';
import { forbidden, replicaSetKind, rfc3339 } from '@kubeling/api';
import { FakeApiServer, FakeClock, LaggingTransport, settle } from '@kubeling/client/testing';
import { eventsOf, named, startController, until } from '../../testing/harness';
import { replicationControllerAdapter } from '../replicationcontroller/conversion';
import { ReplicaSetController, replicaSetAdapter } from './controller';

const template = (labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

const replicaSet = (replicas: number, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet =>
  ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default', uid: 'rs-uid', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: template({ app: 'web' }),
      ...extra,
    },
    status: {},
  }) as ReplicaSet;

const pod = (name: string, labels: Record<string, string>, extra: Partial<Pod> = {}): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Pending' },
    ...extra,
  }) as Pod;

const ownedBy = (uid = 'rs-uid', kind = 'ReplicaSet', apiVersion = 'apps/v1') => [
  { apiVersion, kind, name: 'web', uid, controller: true, blockOwnerDeletion: true },
];

describe('ReplicaSetController', () => {
  let clock: FakeClock;
  let server: FakeApiServer;
  let stop: () => Promise<void>;
  const pods = () => server.stored<Pod>('pods');
  const rs = () => named(server.stored<ReplicaSet>('replicasets.apps'), 'web');
  const creates = () =>
    server.requests.filter((r) => r.verb === 'create' && r.resource === 'pods').length;
  const run = (transport?: LaggingTransport) =>
    (stop = startController(
      server,
      clock,
      ({ client, factory, recorder }) =>
        new ReplicaSetController({
          client,
          factory,
          recorder: recorder('replicaset-controller'),
          adapter: replicaSetAdapter(replicaSetKind),
          clock,
        }),
      transport,
    ).stop);

  beforeEach(() => {
    clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    server = new FakeApiServer({ now: () => clock.now() });
  });
  afterEach(() => stop());

  it('creates the missing pods from the template, owned by the ReplicaSet, with events and status', async () => {
    server.put('replicasets.apps', replicaSet(3));
    run();
    await until(() => rs()?.status?.replicas === 3, 'status of 3 pods');
    expect(pods()).toHaveLength(3);
    for (const p of pods()) {
      expect(p.metadata.generateName).toBe('web-');
      expect(p.metadata.labels).toEqual({ app: 'web' });
      expect(p.metadata.ownerReferences).toEqual(ownedBy());
    }
    expect(rs()?.status).toMatchObject({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 0,
      availableReplicas: 0,
      observedGeneration: 1,
    });
    await until(() => eventsOf(server).length === 3, 'three events');
    expect(eventsOf(server).map(([r, m]) => [r, m?.replace(/web-\w+$/, 'web-X')])).toEqual([
      ['SuccessfulCreate', 'Created pod: web-X'],
      ['SuccessfulCreate', 'Created pod: web-X'],
      ['SuccessfulCreate', 'Created pod: web-X'],
    ]);
  });

  it('expectations: a sync before the informer saw its creates does not create again', async () => {
    const transport = new LaggingTransport(server);
    transport.hold('pods');
    server.put('replicasets.apps', replicaSet(10));
    run(transport);
    await until(() => creates() === 10, '10 creates');
    // Wake the ReplicaSet again and again while none of its pods is in the cache.
    for (let i = 0; i < 3; i++) {
      server.put('replicasets.apps', {
        ...rs()!,
        metadata: { ...rs()!.metadata, labels: { n: String(i) } },
      });
      await settle(10);
    }
    expect(creates()).toBe(10);
    transport.release('pods');
    await until(() => rs()?.status?.replicas === 10, 'status once seen');
    expect(creates()).toBe(10);
  });

  it('deletes the surplus, unscheduled and not-ready pods first', async () => {
    const running = (name: string) =>
      pod(name, { app: 'web' }, {
        metadata: {
          name,
          namespace: 'default',
          uid: `uid-${name}`,
          labels: { app: 'web' },
          ownerReferences: ownedBy(),
        },
        spec: { containers: [{ name: 'c', image: 'nginx' }], nodeName: 'n1' },
        status: {
          phase: 'Running',
          conditions: [
            { type: 'Ready', status: 'True', lastTransitionTime: rfc3339(clock.now() - 60_000) },
          ],
        },
      } as Partial<Pod>);
    server.put('pods', running('a'));
    server.put('pods', running('b'));
    server.put('pods', {
      ...pod('pending', { app: 'web' }),
      metadata: { ...pod('pending', { app: 'web' }).metadata, ownerReferences: ownedBy() },
    });
    server.put('replicasets.apps', replicaSet(2));
    run();
    await until(() => pods().length === 2, 'one deleted');
    expect(
      pods()
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(['a', 'b']);
    await until(() => eventsOf(server).some(([r]) => r === 'SuccessfulDelete'), 'event');
    expect(eventsOf(server)).toContainEqual(['SuccessfulDelete', 'Deleted pod: pending']);
    await until(() => rs()?.status?.readyReplicas === 2, 'status');
    expect(creates()).toBe(0);
  });

  it('adopts matching orphans (set-based selector) and releases pods that stop matching', async () => {
    server.put('pods', pod('orphan', { tier: 'front', env: 'prod' }));
    server.put('pods', pod('other', { tier: 'back' }));
    server.put(
      'replicasets.apps',
      replicaSet(1, {
        selector: {
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }],
        },
        template: template({ tier: 'front' }),
      }),
    );
    run();
    await until(() => named(pods(), 'orphan')?.metadata.ownerReferences?.length === 1, 'adopted');
    expect(named(pods(), 'orphan')?.metadata.ownerReferences).toEqual(ownedBy());
    expect(named(pods(), 'other')?.metadata.ownerReferences).toBeUndefined();
    await until(() => rs()?.status?.replicas === 1, 'counted');
    expect(creates()).toBe(0);
    // Relabelled: released, and a replacement is created.
    server.put('pods', {
      ...named(pods(), 'orphan')!,
      metadata: { ...named(pods(), 'orphan')!.metadata, labels: { tier: 'back' } },
    });
    await until(() => named(pods(), 'orphan')?.metadata.ownerReferences?.length === 0, 'released');
    await until(() => creates() === 1, 'replacement');
  });

  it('counts a pod available minReadySeconds after it became ready, woken by the clock alone', async () => {
    const readyAt = clock.now();
    server.put('pods', {
      ...pod('a', { app: 'web' }),
      metadata: {
        name: 'a',
        namespace: 'default',
        uid: 'uid-a',
        labels: { app: 'web' },
        ownerReferences: ownedBy(),
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(readyAt) }],
      },
    } as Pod);
    server.put('replicasets.apps', replicaSet(1, { minReadySeconds: 10 }));
    run();
    await until(() => rs()?.status?.readyReplicas === 1, 'ready');
    expect(rs()?.status?.availableReplicas).toBe(0);
    await clock.advance(9_000);
    await settle(20);
    expect(rs()?.status?.availableReplicas).toBe(0);
    await clock.advance(1_001);
    await until(() => rs()?.status?.availableReplicas === 1, 'available after 10 s');
  });

  it('sets ReplicaFailure while creates fail (a quota) and clears it once they succeed', async () => {
    const quota = forbidden(
      { group: '', resource: 'pods' },
      'web-x',
      'exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    );
    const undo = server.failWhen(
      (r) => r.verb === 'create' && r.resource === 'pods',
      () => quota,
    );
    server.put('replicasets.apps', replicaSet(3));
    run();
    await until(() => !!rs()?.status?.conditions?.length, 'condition');
    expect(rs()?.status?.conditions).toEqual([
      expect.objectContaining({
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: quota.message,
      }),
    ]);
    // Slow start: each sync stops at its first batch, of one failed create (the status write
    // wakes the ReplicaSet once more before the backoff): never the 3 a sync without it sends.
    expect(creates()).toBeLessThanOrEqual(2);
    await until(() => eventsOf(server).some(([r]) => r === 'FailedCreate'), 'event');
    expect(eventsOf(server)).toContainEqual(['FailedCreate', `Error creating: ${quota.message}`]);
    undo();
    await clock.advance(1000); // past the first backoff steps
    await until(() => rs()?.status?.replicas === 3 && !rs()?.status?.conditions, 'recovered');
  });

  it('forgets a deleted ReplicaSet (NotFound)', async () => {
    server.put('replicasets.apps', replicaSet(1));
    run();
    await until(() => pods().length === 1, 'created');
    server.remove('replicasets.apps', 'default', 'web');
    await settle(20);
    expect(creates()).toBe(1);
  });
});

describe('ReplicationController (the ReplicaSet controller over a conversion)', () => {
  it('keeps the pods of an equality selector, owned by the RC', async () => {
    const clock = new FakeClock();
    const server = new FakeApiServer({ now: () => clock.now() });
    server.put('replicationcontrollers', {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'web', namespace: 'default', uid: 'rc-uid', generation: 2 },
      spec: { replicas: 2, selector: { app: 'web' }, template: template({ app: 'web', v: '1' }) },
      status: {},
    } as ReplicationController);
    server.put('pods', pod('orphan', { app: 'web' }));
    server.put('pods', pod('partial', { v: '1' }));
    const { stop } = startController(
      server,
      clock,
      ({ client, factory, recorder }) =>
        new ReplicaSetController({
          client,
          factory,
          recorder: recorder('replication-controller'),
          adapter: replicationControllerAdapter,
          clock,
        }),
    );
    try {
      const rc = () => server.stored<ReplicationController>('replicationcontrollers')[0];
      await until(() => rc()?.status?.replicas === 2, 'two pods');
      const owned = server.stored<Pod>('pods').filter((p) => p.metadata.ownerReferences?.length);
      expect(owned).toHaveLength(2);
      for (const p of owned)
        expect(p.metadata.ownerReferences).toEqual(
          ownedBy('rc-uid', 'ReplicationController', 'v1'),
        );
      // The adopted orphan lacks the template's v=1 label: not fully labeled.
      expect(rc()?.status).toMatchObject({
        replicas: 2,
        fullyLabeledReplicas: 1,
        observedGeneration: 2,
      });
      expect(
        named(server.stored<Pod>('pods'), 'partial')?.metadata.ownerReferences,
      ).toBeUndefined();
    } finally {
      await stop();
    }
  });
});
