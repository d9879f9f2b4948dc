/**
 * kube-controller-manager end to end, ReplicaSet and the seed's rolling Deployment: the real
 * `kubeling up` (api-server, two controller-manager replicas), the real kubectl, and
 * podReadinessDriver standing in for the scheduler and kubelets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Obj } from './controllerManagerSupport';
import {
  active,
  available,
  eventually,
  getJson,
  imageOf,
  PodWatch,
  useControllerManagerCluster,
} from './controllerManagerSupport';

const c = useControllerManagerCluster();

describe('ReplicaSet', () => {
  it('heals a deleted pod, and selects with a set-based selector', async () => {
    await c.ok(['apply', '-f', '-'], {
      stdin: `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: front}
spec:
  replicas: 3
  selector:
    matchExpressions:
    - {key: tier, operator: In, values: [front, edge]}
  template:
    metadata: {labels: {tier: front}}
    spec:
      containers: [{name: nginx, image: nginxdemos/hello:plain-text}]
`,
    });
    const names = await eventually('3 ready pods', async () => {
      const rs = await getJson(c, ['get', 'rs', 'front']);
      if (rs.status.readyReplicas !== 3) return undefined;
      return (await c.ok(['get', 'pods', '-l', 'tier in (front,edge)', '-o', 'name']))
        .trim()
        .split('\n');
    });
    expect(names).toHaveLength(3);
    // An orphan with a matching label is adopted: the ReplicaSet then deletes one to stay at 3.
    await c.ok(['run', 'stray', '--image=nginx', '--labels=tier=edge']);
    await eventually('3 pods again, one deleted', async () => {
      const pods = await getJson(c, ['get', 'pods', '-l', 'tier in (front,edge)']);
      const live = pods.items.filter(active);
      return (
        live.length === 3 &&
        live.every((p: Obj) => p.metadata.ownerReferences?.[0]?.name === 'front')
      );
    });
    const victim = (await c.ok(['get', 'pods', '-l', 'tier=front', '-o', 'name']))
      .trim()
      .split('\n')[0]!;
    await c.ok(['delete', victim, '--wait=false']);
    await eventually('healed', async () => {
      const rs = await getJson(c, ['get', 'rs', 'front']);
      const pods = (await getJson(c, ['get', 'pods', '-l', 'tier in (front,edge)'])).items.filter(
        active,
      );
      return (
        rs.status.readyReplicas === 3 &&
        pods.length === 3 &&
        !pods.some((p: Obj) => `pod/${p.metadata.name}` === victim)
      );
    });
    const described = await c.ok(['describe', 'rs', 'front']);
    expect(described).toMatch(/SuccessfulCreate\s+.*Created pod: front-/);
    await c.ok(['delete', 'rs', 'front']);
  });
});

const seed = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: rolling
spec:
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  minReadySeconds: 5
  revisionHistoryLimit: 5
  replicas: 5
  selector:
    matchLabels:
      app: rolling
  template:
    metadata:
      name: rolling
      labels:
        app: rolling
    spec:
      containers:
      - name: nginx
        image: nginxdemos/hello:plain-text
        ports:
        - name: http
          containerPort: 80
          protocol: TCP
`;

describe('the seed rolling Deployment', () => {
  it('rolls to a new image with never fewer than 5 available and never more than 6 pods', async () => {
    const file = path.join(c.cluster.home, 'rolling.yaml');
    fs.writeFileSync(file, seed);
    await c.ok(['apply', '-f', file, '--record']);
    await c.ok(['rollout', 'status', 'deployment', 'rolling', '--timeout=90s'], {
      timeoutMs: 100_000,
    });
    const watch = await new PodWatch(c, 'app=rolling', (pods, now) => {
      const live = pods.filter(active);
      const avail = live.filter((p) => available(p, 5, now)).length;
      if (live.length > 6) return `${live.length} pods`;
      if (avail < 5) return `${avail} available`;
      return undefined;
    }).start();
    await c.ok([
      'set',
      'image',
      'deployment',
      'rolling',
      'nginx=nginxdemos/hello:latest',
      '--record',
    ]);
    const status = await c.ok(['rollout', 'status', 'deployment', 'rolling', '--timeout=100s'], {
      timeoutMs: 110_000,
    });
    expect(status).toContain('deployment "rolling" successfully rolled out');
    await watch.stop();
    expect(watch.violations).toEqual([]);
    const pods = (await getJson(c, ['get', 'pods', '-l', 'app=rolling'])).items.filter(active);
    expect(pods.map(imageOf)).toEqual(Array(5).fill('nginxdemos/hello:latest'));
  }, 240_000);

  it('rollout history shows both revisions with their change-cause', async () => {
    const history = await c.ok(['rollout', 'history', 'deployment', 'rolling']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(history).toMatch(/1\s+kubectl apply --filename=.*rolling\.yaml --record=true/);
    expect(history).toMatch(
      /2\s+kubectl set image deployment rolling nginx=nginxdemos\/hello:latest --record=true/,
    );
    const rev1 = await c.ok(['rollout', 'history', 'deployment', 'rolling', '--revision=1']);
    expect(rev1).toContain('Image:\tnginxdemos/hello:plain-text');
  });

  it('rollout undo restores the old image as revision 3', async () => {
    await c.ok(['rollout', 'undo', 'deployment', 'rolling']);
    await c.ok(['rollout', 'status', 'deployment', 'rolling', '--timeout=100s'], {
      timeoutMs: 110_000,
    });
    const d = await getJson(c, ['get', 'deployment', 'rolling']);
    expect(d.spec.template.spec.containers[0].image).toBe('nginxdemos/hello:plain-text');
    const history = await c.ok(['rollout', 'history', 'deployment', 'rolling']);
    expect(history).toMatch(/2\s+kubectl set image/);
    expect(history).toMatch(/3\s+kubectl apply/);
    expect(history).not.toMatch(/^1\s/m);
    const unknown = await c.kubectl([
      'rollout',
      'undo',
      'deployment',
      'rolling',
      '--to-revision=9',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unable to find specified revision 9 in history');
  }, 150_000);

  it('scale, pause / resume and restart behave as on a real cluster', async () => {
    await c.ok(['scale', 'deployment', 'rolling', '--replicas=2']);
    await eventually('scaled to 2', async () => {
      const d = await getJson(c, ['get', 'deployment', 'rolling']);
      return d.status.replicas === 2 && d.status.availableReplicas === 2;
    });
    const before = (await getJson(c, ['get', 'rs', '-l', 'app=rolling'])).items.length;
    await c.ok(['rollout', 'pause', 'deployment', 'rolling']);
    await c.ok(['set', 'env', 'deployment', 'rolling', 'MODE=paused']);
    await eventually('paused condition', async () => {
      const d = await getJson(c, ['get', 'deployment', 'rolling']);
      return (
        d.status.conditions.find((x: Obj) => x.type === 'Progressing')?.reason ===
        'DeploymentPaused'
      );
    });
    expect((await getJson(c, ['get', 'rs', '-l', 'app=rolling'])).items.length).toBe(before);
    await c.ok(['rollout', 'resume', 'deployment', 'rolling']);
    await c.ok(['rollout', 'status', 'deployment', 'rolling', '--timeout=60s'], {
      timeoutMs: 70_000,
    });
    await c.ok(['rollout', 'restart', 'deployment', 'rolling']);
    await c.ok(['rollout', 'status', 'deployment', 'rolling', '--timeout=60s'], {
      timeoutMs: 70_000,
    });
    const pods = (await getJson(c, ['get', 'pods', '-l', 'app=rolling'])).items.filter(active);
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'paused' }]);
      expect(p.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeDefined();
    }
    await c.ok(['delete', 'deployment', 'rolling']);
  }, 180_000);
});
