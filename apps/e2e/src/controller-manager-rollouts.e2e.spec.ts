/**
 * kube-controller-manager end to end, the other strategies and failures: Recreate, the progress
 * deadline, and the standby finishing a rollout after the leader is killed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Obj } from './controllerManagerSupport';
import {
  active,
  eventually,
  getJson,
  imageOf,
  PodWatch,
  useControllerManagerCluster,
} from './controllerManagerSupport';

const c = useControllerManagerCluster();

describe('Recreate', () => {
  it('never has old and new pods at once', async () => {
    await c.ok(['create', 'deployment', 'recreate', '--image=nginx:1.24', '--replicas=3']);
    await c.ok([
      'patch',
      'deployment',
      'recreate',
      '--type=merge',
      '-p',
      '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}',
    ]);
    await c.ok(['rollout', 'status', 'deployment', 'recreate', '--timeout=60s'], {
      timeoutMs: 70_000,
    });
    const watch = await new PodWatch(c, 'app=recreate', (pods) => {
      // Terminating pods count too: Recreate waits until they are gone.
      const images = new Set(
        pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase)).map(imageOf),
      );
      return images.size > 1 ? `old and new at once: ${[...images].join(', ')}` : undefined;
    }).start();
    await c.ok(['set', 'image', 'deployment/recreate', 'nginx=nginx:1.25']);
    await c.ok(['rollout', 'status', 'deployment', 'recreate', '--timeout=60s'], {
      timeoutMs: 70_000,
    });
    await watch.stop();
    expect(watch.violations).toEqual([]);
    const pods = (await getJson(c, ['get', 'pods', '-l', 'app=recreate'])).items.filter(active);
    expect(pods.map(imageOf)).toEqual(['nginx:1.25', 'nginx:1.25', 'nginx:1.25']);
    await c.ok(['delete', 'deployment', 'recreate']);
  }, 150_000);
});

describe('progress deadline', () => {
  it('a rollout that never becomes available ends ProgressDeadlineExceeded, and rollout status says so', async () => {
    await c.ok(['create', 'deployment', 'stuck', '--image=nginx:1.24', '--replicas=2']);
    await c.ok(['rollout', 'status', 'deployment', 'stuck', '--timeout=60s'], {
      timeoutMs: 70_000,
    });
    await c.ok([
      'patch',
      'deployment',
      'stuck',
      '--type=merge',
      '-p',
      '{"spec":{"progressDeadlineSeconds":8}}',
    ]);
    await c.ok(['set', 'image', 'deployment/stuck', 'nginx=registry.invalid/does-not-exist:1']);
    const r = await c.kubectl(['rollout', 'status', 'deployment', 'stuck', '--timeout=60s'], {
      timeoutMs: 70_000,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: deployment "stuck" exceeded its progress deadline');
    const d = await getJson(c, ['get', 'deployment', 'stuck']);
    expect(d.status.conditions.find((x: Obj) => x.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
    // maxUnavailable 25% of 2 rounds down to 0: both old pods still serve.
    expect(d.status.availableReplicas).toBe(2);
    await c.ok(['delete', 'deployment', 'stuck']);
  }, 120_000);
});

describe('leader election', () => {
  it('the standby finishes a rollout when the leader is killed mid-way', async () => {
    await c.ok(['create', 'deployment', 'ha', '--image=nginx:1.24', '--replicas=4']);
    await c.ok([
      'patch',
      'deployment',
      'ha',
      '--type=merge',
      '-p',
      '{"spec":{"minReadySeconds":3,"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}',
    ]);
    await c.ok(['rollout', 'status', 'deployment', 'ha', '--timeout=60s'], { timeoutMs: 70_000 });
    const holder = async () => {
      const lease = await getJson(c, [
        'get',
        'lease',
        '-n',
        'kube-system',
        'kube-controller-manager',
      ]);
      return lease.spec.holderIdentity as string;
    };
    const leader = await holder();
    const state = JSON.parse(
      fs.readFileSync(path.join(c.cluster.home, c.cluster.name, 'cluster.json'), 'utf8'),
    ) as { components: { id: string; pid: number }[] };
    const pid = state.components.find((x) => x.id === leader)?.pid;
    expect(pid).toBeDefined();
    await c.ok(['set', 'image', 'deployment/ha', 'nginx=nginx:1.25']);
    // Mid-rollout: the first new pod exists, the rollout is far from done (minReadySeconds 3 x 4).
    await eventually('first new pod', async () => {
      const pods = (await getJson(c, ['get', 'pods', '-l', 'app=ha'])).items;
      return pods.some((p: Obj) => imageOf(p) === 'nginx:1.25');
    });
    process.kill(pid!, 'SIGKILL');
    const status = await c.ok(['rollout', 'status', 'deployment', 'ha', '--timeout=100s'], {
      timeoutMs: 110_000,
    });
    expect(status).toContain('successfully rolled out');
    expect(await holder()).not.toBe(leader);
    const pods = (await getJson(c, ['get', 'pods', '-l', 'app=ha'])).items.filter(active);
    expect(pods.map(imageOf)).toEqual(Array(4).fill('nginx:1.25'));
  }, 180_000);
});
