/**
 * kube-controller-manager end to end: the real `kubeling up` (api-server and two
 * controller-manager replicas), the real kubectl, and podReadinessDriver standing in for the
 * scheduler and kubelets (it binds pods and marks them Running and Ready); the lead replaces it
 * with `kubeling up --nodes 3` once kubelets land.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PodReadinessDriver } from './podReadinessDriver';
import { useCluster } from './support';

const c = useCluster({ nodes: 0, controllerManagers: 2 });
let driver: PodReadinessDriver;

beforeAll(async () => {
  driver = await PodReadinessDriver.start({ server: c.cluster.server, readyAfterMs: 300 });
}, 30_000);
afterAll(async () => {
  await driver?.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

async function getJson(args: string[]): Promise<Obj> {
  return JSON.parse(await c.ok([...args, '-o', 'json'])) as Obj;
}

async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Pods of a selector as a watch sees them, with a check after every event. */
class PodWatch {
  readonly pods = new Map<string, Obj>();
  private readonly ac = new AbortController();
  private done: Promise<void> = Promise.resolve();
  readonly violations: string[] = [];

  constructor(
    private readonly selector: string,
    private readonly check: (pods: Obj[], now: number) => string | undefined,
  ) {}

  /**
   * Lists, then watches from the list's resourceVersion: the check sees the whole set from the
   * start (a watch without one would announce the existing pods one ADDED at a time).
   */
  async start(): Promise<this> {
    const base = `${c.cluster.server}/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(this.selector)}`;
    const list = (await (await fetch(base)).json()) as {
      metadata: { resourceVersion: string };
      items: Obj[];
    };
    for (const p of list.items) this.pods.set(p.metadata.name as string, p);
    const r = await fetch(`${base}&watch=true&resourceVersion=${list.metadata.resourceVersion}`, {
      signal: this.ac.signal,
    });
    this.done = (async () => {
      const reader = r.body!.getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += Buffer.from(value).toString();
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buf.slice(0, i)) as { type: string; object: Obj };
          buf = buf.slice(i + 1);
          const name = ev.object?.metadata?.name as string;
          if (ev.type === 'DELETED') this.pods.delete(name);
          else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.pods.set(name, ev.object);
          else continue;
          const v = this.check([...this.pods.values()], Date.now());
          if (v) this.violations.push(`${v} (after ${ev.type} ${name})`);
        }
      }
    })().catch((e: unknown) => {
      if (!this.ac.signal.aborted) throw e;
    });
    return this;
  }

  async stop(): Promise<void> {
    this.ac.abort();
    await this.done;
  }
}

const active = (p: Obj) =>
  !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase);
const imageOf = (p: Obj) => p.spec.containers[0].image as string;
/** isPodAvailable: Ready for longer than minReadySeconds. */
const available = (p: Obj, minReadySeconds: number, now: number) => {
  const ready = (p.status?.conditions ?? []).find((x: Obj) => x.type === 'Ready');
  return (
    ready?.status === 'True' && Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 < now
  );
};

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
      const rs = await getJson(['get', 'rs', 'front']);
      if (rs.status.readyReplicas !== 3) return undefined;
      return (await c.ok(['get', 'pods', '-l', 'tier in (front,edge)', '-o', 'name']))
        .trim()
        .split('\n');
    });
    expect(names).toHaveLength(3);
    // An orphan with a matching label is adopted: the ReplicaSet then deletes one to stay at 3.
    await c.ok(['run', 'stray', '--image=nginx', '--labels=tier=edge']);
    await eventually('3 pods again, one deleted', async () => {
      const pods = await getJson(['get', 'pods', '-l', 'tier in (front,edge)']);
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
      const rs = await getJson(['get', 'rs', 'front']);
      const pods = (await getJson(['get', 'pods', '-l', 'tier in (front,edge)'])).items.filter(
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
    const watch = await new PodWatch('app=rolling', (pods, now) => {
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
    const pods = (await getJson(['get', 'pods', '-l', 'app=rolling'])).items.filter(active);
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
    const d = await getJson(['get', 'deployment', 'rolling']);
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
      const d = await getJson(['get', 'deployment', 'rolling']);
      return d.status.replicas === 2 && d.status.availableReplicas === 2;
    });
    const before = (await getJson(['get', 'rs', '-l', 'app=rolling'])).items.length;
    await c.ok(['rollout', 'pause', 'deployment', 'rolling']);
    await c.ok(['set', 'env', 'deployment', 'rolling', 'MODE=paused']);
    await eventually('paused condition', async () => {
      const d = await getJson(['get', 'deployment', 'rolling']);
      return (
        d.status.conditions.find((x: Obj) => x.type === 'Progressing')?.reason ===
        'DeploymentPaused'
      );
    });
    expect((await getJson(['get', 'rs', '-l', 'app=rolling'])).items.length).toBe(before);
    await c.ok(['rollout', 'resume', 'deployment', 'rolling']);
    await c.ok(['rollout', 'status', 'deployment', 'rolling', '--timeout=60s'], {
      timeoutMs: 70_000,
    });
    await c.ok(['rollout', 'restart', 'deployment', 'rolling']);
    await c.ok(['rollout', 'status', 'deployment', 'rolling', '--timeout=60s'], {
      timeoutMs: 70_000,
    });
    const pods = (await getJson(['get', 'pods', '-l', 'app=rolling'])).items.filter(active);
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'paused' }]);
      expect(p.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeDefined();
    }
    await c.ok(['delete', 'deployment', 'rolling']);
  }, 180_000);
});

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
    const watch = await new PodWatch('app=recreate', (pods) => {
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
    const pods = (await getJson(['get', 'pods', '-l', 'app=recreate'])).items.filter(active);
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
    const d = await getJson(['get', 'deployment', 'stuck']);
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
      const lease = await getJson(['get', 'lease', '-n', 'kube-system', 'kube-controller-manager']);
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
      const pods = (await getJson(['get', 'pods', '-l', 'app=ha'])).items;
      return pods.some((p: Obj) => imageOf(p) === 'nginx:1.25');
    });
    process.kill(pid!, 'SIGKILL');
    const status = await c.ok(['rollout', 'status', 'deployment', 'ha', '--timeout=100s'], {
      timeoutMs: 110_000,
    });
    expect(status).toContain('successfully rolled out');
    expect(await holder()).not.toBe(leader);
    const pods = (await getJson(['get', 'pods', '-l', 'app=ha'])).items.filter(active);
    expect(pods.map(imageOf)).toEqual(Array(4).fill('nginx:1.25'));
  }, 180_000);
});
