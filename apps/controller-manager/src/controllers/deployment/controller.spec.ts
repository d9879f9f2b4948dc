/**
 * The Deployment controller with the ReplicaSet controller against FakeApiServer on a
 * FakeClock. `kubelet()` stands in for the kubelets: it marks every pod Running and Ready
 * (since "now" on the fake clock), as a test step, so each rollout step can be checked.
 */
import type { Deployment, Pod, ReplicaSet } from '@kubeling/api';
import { isPodAvailable, isPodActive } from '@kubeling/client';
import { replicaSetKind, rfc3339 } from '@kubeling/api';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import { eventsOf, named, startController, until } from '../../testing/harness';
import { ReplicaSetController, replicaSetAdapter } from '../replicaset/controller';
import { DeploymentController } from './controller';
import { computeHash } from './util/hash';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function deployment(o: {
  replicas?: number;
  image?: string;
  strategy?: Deployment['spec']['strategy'];
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  annotations?: Record<string, string>;
  generation?: number;
}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'd-uid',
      generation: o.generation ?? 1,
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      replicas: o.replicas ?? 5,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1.24' }] },
      },
      strategy: o.strategy ?? {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      },
      minReadySeconds: o.minReadySeconds ?? 0,
      revisionHistoryLimit: o.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: o.progressDeadlineSeconds ?? 600,
      ...(o.paused ? { paused: true } : {}),
    },
    status: {},
  } as Deployment;
}

describe('DeploymentController', () => {
  let clock: FakeClock;
  let server: FakeApiServer;
  let stop: () => Promise<void>;

  const d = () => named(server.stored<Deployment>('deployments.apps'), 'web')!;
  const rss = () => server.stored<ReplicaSet>('replicasets.apps');
  const pods = () => server.stored<Pod>('pods').filter(isPodActive);
  const imageOf = (p: Pod) => p.spec.containers[0]?.image;
  const progressing = () => d().status?.conditions?.find((c) => c.type === 'Progressing');

  /** The kubelets: every bound-or-not pod Running and Ready since now; deleted pods go at once. */
  const kubelet = () => {
    for (const p of server.stored<Pod>('pods')) {
      if (p.status?.conditions?.some((c) => c.type === 'Ready')) continue;
      if (p.spec.containers.some((c) => c.image?.includes('does-not-exist'))) continue;
      server.put('pods', {
        ...p,
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(clock.now()) }],
        },
      } as Pod);
    }
  };

  /** Changes the Deployment's spec as a user would (the api-server bumps the generation). */
  const edit = (change: (dep: Deployment) => void) => {
    const next = d();
    change(next);
    next.metadata.generation = (next.metadata.generation ?? 1) + 1;
    server.put('deployments.apps', next);
  };

  const complete = () => {
    const s = d().status ?? {};
    const r = d().spec.replicas ?? 1;
    return (
      (s.observedGeneration ?? 0) >= (d().metadata.generation ?? 0) &&
      s.updatedReplicas === r &&
      s.replicas === r &&
      s.availableReplicas === r
    );
  };

  /**
   * Runs the rollout to completion one second of fake time at a time, calling `check` after
   * each step; the kubelet marks new pods ready at each step.
   */
  const rollOut = async (check: () => void = () => undefined, maxSeconds = 120) => {
    for (let s = 0; s < maxSeconds; s++) {
      await settle(30);
      kubelet();
      await settle(30);
      check();
      if (complete()) return;
      await clock.advance(1000);
    }
    throw new Error(`rollout did not complete: ${JSON.stringify(d().status)}`);
  };

  beforeEach(() => {
    clock = new FakeClock(T0);
    server = new FakeApiServer({ now: () => clock.now() });
    stop = startController(server, clock, ({ client, factory, recorder }) => {
      const dc = new DeploymentController({
        client,
        factory,
        recorder: recorder('deployment-controller'),
        clock,
      });
      const rc = new ReplicaSetController({
        client,
        factory,
        recorder: recorder('replicaset-controller'),
        adapter: replicaSetAdapter(replicaSetKind),
        clock,
      });
      return {
        run: (signal) => Promise.all([dc.run(signal), rc.run(signal)]).then(() => undefined),
      };
    }).stop;
  });
  afterEach(() => stop());

  it('creates ReplicaSet <name>-<pod-template-hash> with the hash label, revision 1 and its annotations', async () => {
    server.put(
      'deployments.apps',
      deployment({ annotations: { 'kubernetes.io/change-cause': 'first rollout' } }),
    );
    await until(() => rss().length === 1, 'a ReplicaSet');
    const hash = computeHash(d().spec.template);
    const rs = rss()[0]!;
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec.template.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: 'd-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(rs.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '5',
      'deployment.kubernetes.io/max-replicas': '6',
      'kubernetes.io/change-cause': 'first rollout',
    });
    // maxSurge 1 on a fresh Deployment: the whole 5 at once (no old pods to replace).
    expect(rs.spec.replicas).toBe(5);
    await until(
      () => d().metadata.annotations?.['deployment.kubernetes.io/revision'] === '1',
      'revision',
    );
    await rollOut();
    expect(progressing()).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "web-${hash}" has successfully progressed.`,
    });
    expect(d().status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    expect(eventsOf(server)).toContainEqual([
      'ScalingReplicaSet',
      `Scaled up replica set web-${hash} from 0 to 5`,
    ]);
  });

  it('the seed rollout (5 replicas, maxSurge 1, maxUnavailable 0, minReadySeconds 5): never under 5 available, never over 6 pods', async () => {
    server.put('deployments.apps', deployment({ minReadySeconds: 5 }));
    await rollOut();
    const oldName = rss()[0]!.metadata.name;
    edit((x) => {
      x.spec.template.spec.containers[0]!.image = 'nginx:1.25';
    });
    let sawNew = false;
    await rollOut(() => {
      const now = clock.now();
      const active = pods();
      const available = active.filter((p) => isPodAvailable(p, 5, now)).length;
      expect(active.length).toBeLessThanOrEqual(6);
      expect(available).toBeGreaterThanOrEqual(5);
      if (active.some((p) => imageOf(p) === 'nginx:1.25')) sawNew = true;
    });
    expect(sawNew).toBe(true);
    expect(pods().map(imageOf)).toEqual(Array(5).fill('nginx:1.25'));
    expect(named(rss(), oldName ?? '')?.spec.replicas).toBe(0);
    const newRS = rss().find((r) => r.metadata.name !== oldName)!;
    expect(newRS.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(d().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(eventsOf(server)).toContainEqual([
      'ScalingReplicaSet',
      `Scaled down replica set ${oldName} from 5 to 4`,
    ]);
  });

  it('maxSurge 0 / maxUnavailable 2 of 4: replaces two at a time, never more than 4 pods', async () => {
    server.put(
      'deployments.apps',
      deployment({
        replicas: 4,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 2 } },
      }),
    );
    await rollOut();
    edit((x) => {
      x.spec.template.spec.containers[0]!.image = 'nginx:1.25';
    });
    await rollOut(() => {
      expect(pods().length).toBeLessThanOrEqual(4);
      expect(pods().filter((p) => isPodAvailable(p, 0, clock.now())).length).toBeGreaterThanOrEqual(
        2,
      );
    });
  });

  it('Recreate: every old pod is gone before a new one is created', async () => {
    server.put('deployments.apps', deployment({ replicas: 3, strategy: { type: 'Recreate' } }));
    await rollOut();
    edit((x) => {
      x.spec.template.spec.containers[0]!.image = 'nginx:1.25';
    });
    await rollOut(() => {
      const images = new Set(server.stored<Pod>('pods').map(imageOf));
      expect(images.size).toBeLessThanOrEqual(1);
    });
    expect(pods().map(imageOf)).toEqual(Array(3).fill('nginx:1.25'));
  });

  it('a rollout that never becomes available ends ProgressDeadlineExceeded after progressDeadlineSeconds', async () => {
    server.put('deployments.apps', deployment({ replicas: 2, progressDeadlineSeconds: 30 }));
    await rollOut();
    edit((x) => {
      x.spec.template.spec.containers[0]!.image = 'does-not-exist:1';
    });
    await until(() => progressing()?.reason === 'ReplicaSetUpdated', 'progressing');
    const newRS = rss().find(
      (r) => r.spec.template.spec.containers[0]?.image === 'does-not-exist:1',
    )!;
    await clock.advance(29_000);
    await settle(30);
    expect(progressing()?.reason).toBe('ReplicaSetUpdated');
    // No event brings the Deployment back: the controller asked to look again at the deadline.
    await clock.advance(3_000);
    await until(() => progressing()?.reason === 'ProgressDeadlineExceeded', 'timed out');
    expect(progressing()).toMatchObject({
      status: 'False',
      message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`,
    });
    // The old pods were kept: maxUnavailable 0.
    expect(pods().filter((p) => imageOf(p) === 'nginx:1.24')).toHaveLength(2);
  });

  it('paused: a template change makes no ReplicaSet until resumed; the condition says so', async () => {
    server.put('deployments.apps', deployment({ replicas: 2 }));
    await rollOut();
    edit((x) => {
      x.spec.paused = true;
    });
    await until(() => progressing()?.reason === 'DeploymentPaused', 'paused condition');
    expect(progressing()).toMatchObject({ status: 'Unknown', message: 'Deployment is paused' });
    edit((x) => {
      x.spec.template.spec.containers[0]!.image = 'nginx:1.25';
    });
    await settle(50);
    expect(rss()).toHaveLength(1);
    edit((x) => {
      delete x.spec.paused;
    });
    await until(() => rss().length === 2, 'rolled out after resume');
    await rollOut();
  });

  it('scaling during a rollout is proportional across the ReplicaSets', async () => {
    server.put(
      'deployments.apps',
      deployment({
        replicas: 10,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } },
      }),
    );
    await rollOut();
    const oldName = rss()[0]!.metadata.name!;
    // New pods never get ready: the rollout stalls at old 8 + new 5 = 13.
    edit((x) => {
      x.spec.template.spec.containers[0]!.image = 'does-not-exist:2';
    });
    await until(
      () => rss().length === 2 && rss().reduce((n, r) => n + (r.spec.replicas ?? 0), 0) === 13,
      'stalled at 13',
    );
    const newName = rss().find((r) => r.metadata.name !== oldName)!.metadata.name!;
    expect([named(rss(), oldName)?.spec.replicas, named(rss(), newName)?.spec.replicas]).toEqual([
      8, 5,
    ]);
    // Scaled to 20 (maxSurge 3): 23 allowed, 10 to add, shared 8:5 — old round(8*23/13) = 14,
    // new round(5*23/13) = 9; the leftover (none here) would go to the largest.
    edit((x) => {
      x.spec.replicas = 20;
    });
    await until(() => rss().reduce((n, r) => n + (r.spec.replicas ?? 0), 0) === 23, 'scaled to 23');
    expect([named(rss(), oldName)?.spec.replicas, named(rss(), newName)?.spec.replicas]).toEqual([
      14, 9,
    ]);
    expect(
      named(rss(), oldName)?.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'],
    ).toBe('20');
  });

  it('rollback by template (kubectl rollout undo): the old ReplicaSet becomes revision 3, history "1"', async () => {
    server.put('deployments.apps', deployment({ replicas: 2 }));
    await rollOut();
    const first = rss()[0]!.metadata.name!;
    edit((x) => {
      x.spec.template.spec.containers[0]!.image = 'nginx:1.25';
    });
    await rollOut();
    edit((x) => {
      x.spec.template.spec.containers[0]!.image = 'nginx:1.24';
    });
    await rollOut();
    expect(rss()).toHaveLength(2);
    expect(named(rss(), first)?.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/revision-history': '1',
    });
    expect(named(rss(), first)?.spec.replicas).toBe(2);
    expect(d().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('deprecated.deployment.rollback.to: copies that revision back, with the DeploymentRollback event', async () => {
    server.put('deployments.apps', deployment({ replicas: 1 }));
    await rollOut();
    edit((x) => {
      x.spec.template.spec.containers[0]!.image = 'nginx:1.25';
    });
    await rollOut();
    const cur = d();
    server.put('deployments.apps', {
      ...cur,
      metadata: {
        ...cur.metadata,
        annotations: { ...cur.metadata.annotations, 'deprecated.deployment.rollback.to': '0' },
      },
    });
    await until(
      () => d().spec.template.spec.containers[0]?.image === 'nginx:1.24',
      'template restored',
    );
    expect(d().metadata.annotations?.['deprecated.deployment.rollback.to']).toBeUndefined();
    await until(() => eventsOf(server).some(([r]) => r === 'DeploymentRollback'), 'event');
    expect(eventsOf(server)).toContainEqual([
      'DeploymentRollback',
      'Rolled back deployment "web" to revision 1',
    ]);
  });

  it('revisionHistoryLimit: old ReplicaSets beyond it are deleted once scaled down', async () => {
    server.put('deployments.apps', deployment({ replicas: 1, revisionHistoryLimit: 1 }));
    await rollOut();
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      edit((x) => {
        x.spec.template.spec.containers[0]!.image = image;
      });
      await rollOut();
    }
    await until(() => rss().length === 2, 'two left');
    expect(
      rss()
        .map((r) => r.spec.template.spec.containers[0]?.image)
        .sort(),
    ).toEqual(['nginx:3', 'nginx:4']);
  });

  it('a hash collision (a foreign ReplicaSet holds the name) bumps collisionCount', async () => {
    const dep = deployment({ replicas: 1 });
    const hash = computeHash(dep.spec.template);
    server.put('replicasets.apps', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `web-${hash}`,
        namespace: 'default',
        uid: 'foreign',
        labels: { other: 'x' },
      },
      spec: {
        replicas: 0,
        selector: { matchLabels: { other: 'x' } },
        template: {
          metadata: { labels: { other: 'x' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      },
      status: {},
    } as ReplicaSet);
    server.put('deployments.apps', dep);
    await until(() => d().status?.collisionCount === 1, 'collision counted');
    await until(() => rss().length === 2, 'created under another name');
    const mine = rss().find((r) => r.metadata.uid !== 'foreign')!;
    expect(mine.metadata.name).toBe(`web-${computeHash(dep.spec.template, 1)}`);
  });
});
