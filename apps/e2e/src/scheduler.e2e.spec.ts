/**
 * The scheduler through `kubeling up` and kubectl, on the seeds' scheduling cases: nodeSelector,
 * taints and tolerations, a pod too big for every node (Pending with upstream's event text),
 * required anti-affinity spreading replicas (a 4th waits for a new node), preferred affinity,
 * preemption, and the decision explanation. Nodes are Node objects (createNodes) until the
 * kubelet exists.
 */
import { createNodes } from './nodes-support';
import { useCluster } from './support';

const c = useCluster({ nodes: 0 });
const ok = (...args: string[]) => c.ok(args);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

function pod(
  name: string,
  spec: Doc = {},
  labels: Record<string, string> = {},
  ns = 'default',
): Doc {
  const { cpu, ...rest } = spec as { cpu?: string };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: {
      containers: [
        { name: 'c', image: 'nginx', ...(cpu ? { resources: { requests: { cpu } } } : {}) },
      ],
      ...rest,
    },
  };
}

async function apply(...docs: Doc[]): Promise<void> {
  await c.ok(['apply', '--validate=false', '-f', '-'], {
    stdin: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }),
  });
}

async function getPod(name: string, ns = 'default'): Promise<Doc> {
  return JSON.parse(await ok('get', 'pod', name, '-n', ns, '-o', 'json')) as Doc;
}

async function eventually<T>(
  what: string,
  f: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const nodeOf = (name: string, ns = 'default') =>
  eventually(
    `${ns}/${name} to be bound`,
    async () => (await getPod(name, ns)).spec.nodeName as string | undefined,
  );

async function namespace(ns: string): Promise<void> {
  await ok('create', 'namespace', ns);
}

beforeAll(async () => {
  await createNodes(c, [
    { name: 'node1', cpu: '2', labels: { hostname: 'node1', zone: 'a' } },
    { name: 'node2', cpu: '2', labels: { hostname: 'node2', zone: 'a' } },
    {
      name: 'node3',
      cpu: '2',
      labels: { hostname: 'node3', zone: 'b' },
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    },
  ]);
}, 60_000);

describe('scheduler (e2e)', () => {
  it('nodeSelector hostname: node1 lands on node1, with the Scheduled event', async () => {
    await namespace('sel');
    await apply(pod('web', { nodeSelector: { hostname: 'node1' } }, {}, 'sel'));
    expect(await nodeOf('web', 'sel')).toBe('node1');
    const events = await eventually('the Scheduled event', async () => {
      const out = await ok('get', 'events', '-n', 'sel', '-o', 'json');
      return (JSON.parse(out) as Doc).items.find((e: Doc) => e.reason === 'Scheduled') as
        Doc | undefined;
    });
    expect(events.message).toBe('Successfully assigned sel/web to node1');
    expect(events.source.component).toBe('default-scheduler');
  });

  it('a NoSchedule taint repels a pod without toleration and admits one with it', async () => {
    await namespace('taints');
    await apply(
      pod('no-tol', { nodeSelector: { hostname: 'node3' } }, {}, 'taints'),
      pod(
        'tol',
        {
          nodeSelector: { hostname: 'node3' },
          tolerations: [
            { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
          ],
        },
        {},
        'taints',
      ),
    );
    expect(await nodeOf('tol', 'taints')).toBe('node3');
    const msg = await eventually('FailedScheduling of no-tol', async () => {
      const p = await getPod('no-tol', 'taints');
      return p.status?.conditions?.find((x: Doc) => x.type === 'PodScheduled')?.message as
        string | undefined;
    });
    expect(msg).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect((await getPod('no-tol', 'taints')).spec.nodeName).toBeUndefined();
  });

  it('a pod asking more cpu than any node stays Pending with the upstream event text', async () => {
    await namespace('big');
    await apply(pod('huge', { cpu: '64' }, {}, 'big'));
    const describe = await eventually('FailedScheduling in describe', async () => {
      const out = await ok('describe', 'pod', 'huge', '-n', 'big');
      return out.includes('FailedScheduling') ? out : undefined;
    });
    expect(describe).toMatch(/Status:\s+Pending/);
    expect(describe).toContain(
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    expect(describe).toMatch(/PodScheduled\s+False/);
  });

  it('required anti-affinity puts 3 replicas on 3 nodes; a 4th waits for a new node', async () => {
    await namespace('anti');
    const replica = (name: string) =>
      pod(
        name,
        {
          tolerations: [{ key: 'dedicated', operator: 'Exists' }],
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                {
                  labelSelector: { matchLabels: { app: 'store' } },
                  topologyKey: 'kubernetes.io/hostname',
                },
              ],
            },
          },
        },
        { app: 'store' },
        'anti',
      );
    await apply(replica('store-1'), replica('store-2'), replica('store-3'));
    const placed = await Promise.all(
      ['store-1', 'store-2', 'store-3'].map((n) => nodeOf(n, 'anti')),
    );
    expect(new Set(placed).size).toBe(3);
    await apply(replica('store-4'));
    const msg = await eventually('store-4 unschedulable', async () => {
      const p = await getPod('store-4', 'anti');
      return p.status?.conditions?.find((x: Doc) => x.type === 'PodScheduled')?.message as
        string | undefined;
    });
    expect(msg).toContain("3 node(s) didn't match pod anti-affinity rules");
    await createNodes(c, [{ name: 'node4', cpu: '2', labels: { hostname: 'node4', zone: 'b' } }]);
    expect(await nodeOf('store-4', 'anti')).toBe('node4');
  });

  it('preferred node affinity steers placement', async () => {
    await namespace('pref');
    const prefer = (name: string) =>
      pod(
        name,
        {
          affinity: {
            nodeAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  preference: {
                    matchExpressions: [{ key: 'hostname', operator: 'In', values: ['node2'] }],
                  },
                },
              ],
            },
          },
        },
        {},
        'pref',
      );
    await apply(prefer('p1'), prefer('p2'));
    expect(await nodeOf('p1', 'pref')).toBe('node2');
    expect(await nodeOf('p2', 'pref')).toBe('node2');
  });
});
