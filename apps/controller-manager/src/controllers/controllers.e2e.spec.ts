/**
 * The real path for garbagecollector, namespace, endpoint, endpointslice, nodelifecycle and
 * podgc: a real api-server (`kubeling up`, Redis and NATS), the controllers in this process on
 * a real Client over NATS (../testing/runControllers.ts, as kube-controller-manager runs them),
 * and the real kubectl doing what a user does.
 */
import type { ConfigMap, KubeObject } from '@kubeling/api';
import { configMapKind, leaseKind, nodeKind, podKind } from '@kubeling/api';
import type { Lease, Node, Pod } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import { NatsTransport, Client as KubeClient } from '@kubeling/client';
import type { TestCluster } from '@kubeling/testing';
import { kubectl, startCluster, testServices } from '@kubeling/testing';
import type { RunningControllers } from '../testing/runControllers';
import { runControllers } from '../testing/runControllers';
import { garbageCollectorControllerDescriptor } from './garbagecollector';
import { namespaceControllerDescriptor } from './namespace';
import { endpointControllerDescriptor } from './endpoint';
import { endpointSliceControllerDescriptor } from './endpointslice';
import { endpointSliceMirroringControllerDescriptor } from './endpointslicemirroring';
import { nodeLifecycleControllerDescriptor } from './nodelifecycle';
import { podGCDescriptor } from './podgc';
import { taintEvictionControllerDescriptor } from './tainteviction';

jest.setTimeout(90_000);

let cluster: TestCluster;
let client: Client;
let running: RunningControllers;

beforeAll(async () => {
  // Its own controllers run in this process: the cluster runs no controller-manager of its own.
  cluster = await startCluster({ nodes: 0, controllerManagers: 0 });
  const transport = await NatsTransport.connect({
    cluster: cluster.name,
    natsUrl: testServices().natsUrl,
  });
  client = new KubeClient({ transport, qps: -1 });
  running = await runControllers({
    client,
    descriptors: [
      garbageCollectorControllerDescriptor,
      namespaceControllerDescriptor,
      endpointControllerDescriptor,
      endpointSliceControllerDescriptor,
      endpointSliceMirroringControllerDescriptor,
      nodeLifecycleControllerDescriptor,
      taintEvictionControllerDescriptor,
      // podgc's pass period and quarantine are not flags upstream: shortened here only.
      podGCDescriptor({ gcCheckPeriodMs: 1000, quarantineMs: 2000 }),
    ],
    argv: [
      '--node-monitor-period=500ms',
      '--node-monitor-grace-period=3s',
      '--node-startup-grace-period=3s',
    ],
  });
}, 120_000);

/** Lease renewals to stop when the file ends. */
const afterAllStops: Array<() => void> = [];

afterAll(async () => {
  for (const stop of afterAllStops) stop();
  await running?.stop();
  await client?.close();
  await cluster?.down();
}, 60_000);

const k = async (...args: string[]) => {
  const r = await kubectl(args, { kubeconfig: cluster.kubeconfig, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
};

async function eventually(check: () => Promise<void> | void, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** An owner ConfigMap and `n` ConfigMaps it owns (blockOwnerDeletion, as controllers set it). */
async function family(ns: string, owner: string, n: number): Promise<ConfigMap> {
  const cms = client.resource(configMapKind).namespace(ns);
  const o = await cms.create({ metadata: { name: owner } } as ConfigMap);
  for (let i = 0; i < n; i++)
    await cms.create({
      metadata: {
        name: `${owner}-dep-${i}`,
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: owner,
            uid: o.metadata.uid ?? '',
            blockOwnerDeletion: true,
          },
        ],
      },
    } as ConfigMap);
  return o;
}

const names = async (ns: string) =>
  (await client.resource(configMapKind).namespace(ns).list()).items
    .map((c: KubeObject) => c.metadata.name)
    .filter((n) => n !== 'kube-root-ca.crt')
    .sort();

describe('garbagecollector', () => {
  it('kubectl delete --cascade=background: the dependents follow the owner', async () => {
    await family('default', 'bg', 2);
    await k('delete', 'configmap', 'bg', '--cascade=background');
    await eventually(async () => expect(await names('default')).not.toContain('bg-dep-0'));
    expect((await names('default')).filter((n) => n?.startsWith('bg'))).toEqual([]);
  });

  it('kubectl delete --cascade=foreground: the owner goes after its dependents', async () => {
    await family('default', 'fg', 2);
    const out = await k('delete', 'configmap', 'fg', '--cascade=foreground');
    expect(out).toContain('configmap "fg" deleted');
    // kubectl waited for the owner to be gone, which the finalizer held until the dependents went.
    expect((await names('default')).filter((n) => n?.startsWith('fg'))).toEqual([]);
  });

  it('kubectl delete --cascade=orphan: the dependents stay, without the owner reference', async () => {
    await family('default', 'or', 2);
    await k('delete', 'configmap', 'or', '--cascade=orphan');
    expect((await names('default')).filter((n) => n?.startsWith('or'))).toEqual([
      'or-dep-0',
      'or-dep-1',
    ]);
    const refs = await k(
      'get',
      'configmap',
      'or-dep-0',
      '-o',
      'jsonpath={.metadata.ownerReferences}',
    );
    expect(refs).toBe('');
  });
});

describe('garbagecollector with a ReplicaSet owning pods', () => {
  it('kubectl delete rs --cascade=foreground deletes its pods first; --cascade=orphan keeps them', async () => {
    for (const [rs, cascade] of [
      ['rs-fg', 'foreground'],
      ['rs-or', 'orphan'],
    ] as const) {
      await kubectl(['apply', '-f', '-'], {
        kubeconfig: cluster.kubeconfig,
        stdin: `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${rs}}
spec:
  replicas: 0
  selector: {matchLabels: {rs: ${rs}}}
  template:
    metadata: {labels: {rs: ${rs}}}
    spec: {containers: [{name: c, image: nginx}]}
`,
      });
      const owner = await k('get', 'rs', rs, '-o', 'jsonpath={.metadata.uid}');
      for (const i of [0, 1])
        await client
          .resource(podKind)
          .namespace('default')
          .create({
            metadata: {
              name: `${rs}-${i}`,
              labels: { rs },
              ownerReferences: [
                {
                  apiVersion: 'apps/v1',
                  kind: 'ReplicaSet',
                  name: rs,
                  uid: owner,
                  controller: true,
                  blockOwnerDeletion: true,
                },
              ],
            },
            spec: { containers: [{ name: 'c', image: 'nginx' }] },
          } as unknown as Pod);
      await k('delete', 'rs', rs, `--cascade=${cascade}`);
      const left = await k(
        'get',
        'pods',
        '-l',
        `rs=${rs}`,
        '-o',
        'jsonpath={range .items[*]}{.metadata.name}:{.metadata.ownerReferences} {end}',
      );
      if (cascade === 'foreground') expect(left).toBe('');
      else expect(left).toBe(`${rs}-0: ${rs}-1: `);
    }
  });
});

describe('namespace', () => {
  it('kubectl delete ns empties the namespace and waits until it is gone', async () => {
    await k('create', 'namespace', 'doomed');
    await family('doomed', 'x', 3);
    await k('create', 'deployment', 'web', '--image=nginx', '-n', 'doomed');
    const out = await k('delete', 'namespace', 'doomed');
    expect(out).toContain('namespace "doomed" deleted');
    const r = await kubectl(['get', 'namespace', 'doomed'], { kubeconfig: cluster.kubeconfig });
    expect(r.stderr).toContain('namespaces "doomed" not found');
    expect(await names('doomed')).toEqual([]);
  });

  it('a namespace held by a finalizer says so in its conditions (kubectl describe ns)', async () => {
    await k('create', 'namespace', 'held');
    await client
      .resource(configMapKind)
      .namespace('held')
      .create({
        metadata: { name: 'keep', finalizers: ['example.com/hold'] },
      } as ConfigMap);
    await k('delete', 'namespace', 'held', '--wait=false');
    await eventually(async () => {
      const d = await k('describe', 'namespace', 'held');
      expect(d).toContain('Terminating');
      expect(d).toContain(
        'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
      );
      expect(d).toMatch(/NamespaceContentRemaining\s+True/);
    });
    await k(
      'patch',
      'configmap',
      'keep',
      '-n',
      'held',
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    );
    await k('wait', '--for=delete', 'namespace/held', '--timeout=30s');
  });
});

/**
 * A Node with a Ready status and a Lease renewed every 500 ms, as a live kubelet keeps them
 * (nodelifecycle and podgc run in this process too); the returned function stops renewing.
 */
async function liveNode(name: string): Promise<() => void> {
  const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.resource(nodeKind).create({ metadata: { name } } as Node);
  const node = await client.resource(nodeKind).get(name);
  await client.resource(nodeKind).updateStatus({
    ...node,
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: stamp(),
          lastTransitionTime: stamp(),
        },
      ],
    },
  } as Node);
  const leases = client.resource(leaseKind).namespace('kube-node-lease');
  await leases.create({
    metadata: { name },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date().toISOString() },
  } as Lease);
  const renewing = setInterval(() => {
    void leases
      .patch(name, 'merge', { spec: { renewTime: new Date().toISOString() } })
      .catch(() => undefined);
  }, 500);
  return () => clearInterval(renewing);
}

/** What a kubelet would report: the pod running on `node` with an IP, Ready or not. */
async function reportPod(ns: string, name: string, ip: string, ready: boolean, node = 'node-1') {
  const pods = client.resource(podKind).namespace(ns);
  const cur = await pods.get(name);
  if (!cur.spec.nodeName)
    await client.bind({ metadata: { name, namespace: ns }, target: { name: node } });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await pods.patchStatus(name, 'merge', {
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
    },
  });
}

describe('endpoint and endpointslice', () => {
  it('Endpoints and EndpointSlices follow pods becoming ready and not ready', async () => {
    const stopRenewing = await liveNode('node-1');
    afterAllStops.push(stopRenewing);
    await k('create', 'namespace', 'svc');
    const manifest = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: svc, labels: {app: web}}
spec:
  containers:
  - {name: c, image: nginx, ports: [{name: http, containerPort: 8080}]}
`;
    await kubectl(['apply', '-f', '-'], {
      kubeconfig: cluster.kubeconfig,
      stdin: manifest('web-1'),
    });
    await kubectl(['apply', '-f', '-'], {
      kubeconfig: cluster.kubeconfig,
      stdin: manifest('web-2'),
    });
    await k('create', 'service', 'clusterip', 'web', '--tcp=80:http', '-n', 'svc');
    await reportPod('svc', 'web-1', '10.1.0.1', true);
    await reportPod('svc', 'web-2', '10.1.0.2', false);

    await eventually(async () => {
      const ep = await k(
        'get',
        'endpoints',
        'web',
        '-n',
        'svc',
        '-o',
        'jsonpath={.subsets[0].addresses[*].ip}|{.subsets[0].notReadyAddresses[*].ip}|{.subsets[0].ports[0].port}',
      );
      expect(ep).toBe('10.1.0.1|10.1.0.2|8080');
    });
    await eventually(async () => {
      const out = await k(
        'get',
        'endpointslices',
        '-n',
        'svc',
        '-l',
        'kubernetes.io/service-name=web',
        '-o',
        'jsonpath={range .items[*].endpoints[*]}{.addresses[0]}={.conditions.ready} {end}',
      );
      expect(out.trim().split(' ').sort()).toEqual(['10.1.0.1=true', '10.1.0.2=false']);
    });
    const table = await k('get', 'endpoints,endpointslices', '-n', 'svc');
    expect(table).toMatch(/endpoints\/web\s+10\.1\.0\.1:8080/);
    expect(table).toMatch(
      /endpointslice\.discovery\.k8s\.io\/web-\S+\s+IPv4\s+8080\s+10\.1\.0\.1,10\.1\.0\.2/,
    );
    const described = await k('describe', 'service', 'web', '-n', 'svc');
    expect(described).toMatch(/Endpoints:\s+10\.1\.0\.1:8080/);

    // web-2 becomes ready, web-1 not: both follow.
    await reportPod('svc', 'web-2', '10.1.0.2', true);
    await reportPod('svc', 'web-1', '10.1.0.1', false);
    await eventually(async () => {
      const ep = await k(
        'get',
        'endpoints',
        'web',
        '-n',
        'svc',
        '-o',
        'jsonpath={.subsets[0].addresses[*].ip}|{.subsets[0].notReadyAddresses[*].ip}',
      );
      expect(ep).toBe('10.1.0.2|10.1.0.1');
    });
    await eventually(async () => {
      const out = await k(
        'get',
        'endpointslices',
        '-n',
        'svc',
        '-l',
        'kubernetes.io/service-name=web',
        '-o',
        'jsonpath={range .items[*].endpoints[*]}{.addresses[0]}={.conditions.ready} {end}',
      );
      expect(out.trim().split(' ').sort()).toEqual(['10.1.0.1=false', '10.1.0.2=true']);
    });

    // Deleting the Service: its Endpoints go, and its slices with it (owner reference, GC).
    await k('delete', 'service', 'web', '-n', 'svc');
    await eventually(async () => {
      expect(await k('get', 'endpoints,endpointslices', '-n', 'svc', '-o', 'name')).toBe('');
    });
  });
});

describe('endpointslicemirroring', () => {
  it('mirrors the Endpoints of a selectorless Service into an EndpointSlice', async () => {
    await kubectl(['apply', '-f', '-'], {
      kubeconfig: cluster.kubeconfig,
      stdin: `apiVersion: v1
kind: Service
metadata: {name: external-db}
spec:
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: external-db}
subsets:
- addresses: [{ip: 192.168.10.5}]
  ports: [{name: pg, port: 5432}]
`,
    });
    await eventually(async () => {
      const out = await k(
        'get',
        'endpointslices',
        '-l',
        'kubernetes.io/service-name=external-db',
        '-o',
        'jsonpath={range .items[*]}{.metadata.labels.endpointslice\\.kubernetes\\.io/managed-by} {.addressType} {.endpoints[0].addresses[0]} {.ports[0].port}{end}',
      );
      expect(out).toBe('endpointslicemirroring-controller.k8s.io IPv4 192.168.10.5 5432');
    });
    await k('delete', 'endpoints', 'external-db');
    await eventually(async () => {
      expect(
        await k(
          'get',
          'endpointslices',
          '-l',
          'kubernetes.io/service-name=external-db',
          '-o',
          'name',
        ),
      ).toBe('');
    });
  });
});

describe('nodelifecycle, taint-eviction-controller and podgc', () => {
  it('a node whose Lease stops being renewed goes Unknown, is tainted, its pods evicted; podgc clears the rest', async () => {
    // A healthy node beside it: with every node down the controller would enter master
    // disruption mode and taint nothing, as upstream's does.
    afterAllStops.push(await liveNode('steady'));
    const stopRenewing = await liveNode('lost');

    await k('create', 'namespace', 'nodes');
    const manifest = (name: string, tolerations = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: nodes}
spec:
  nodeName: lost
  containers: [{name: c, image: nginx}]
${tolerations}`;
    await kubectl(['apply', '-f', '-'], {
      kubeconfig: cluster.kubeconfig,
      stdin: manifest(
        'quick',
        '  tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 3}]',
      ),
    });
    await kubectl(['apply', '-f', '-'], {
      kubeconfig: cluster.kubeconfig,
      stdin: manifest('patient'),
    });
    // DefaultTolerationSeconds gave the pod without tolerations the two 300 s ones.
    expect(
      await k(
        'get',
        'pod',
        'patient',
        '-n',
        'nodes',
        '-o',
        'jsonpath={range .spec.tolerations[*]}{.key}:{.effect}:{.tolerationSeconds} {end}',
      ),
    ).toBe(
      'node.kubernetes.io/not-ready:NoExecute:300 node.kubernetes.io/unreachable:NoExecute:300 ',
    );
    await reportPod('nodes', 'quick', '10.2.0.1', true, 'lost');
    await reportPod('nodes', 'patient', '10.2.0.2', true, 'lost');

    await new Promise((r) => setTimeout(r, 4000));
    const readyOf = () =>
      k('get', 'node', 'lost', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}');
    expect(await readyOf()).toBe('True'); // renewed: healthy past the grace period

    stopRenewing();
    const lostAt = Date.now();
    await eventually(async () => expect(await readyOf()).toBe('Unknown'), 15_000);
    // The grace period (3 s) runs from the last renewal, at most 500 ms before lostAt.
    expect(Date.now() - lostAt).toBeGreaterThanOrEqual(2400);
    const described = await k('describe', 'node', 'lost');
    expect(described).toContain('node.kubernetes.io/unreachable:NoExecute');
    expect(described).toContain('node.kubernetes.io/unreachable:NoSchedule');
    expect(described).toMatch(
      /Ready\s+Unknown.*NodeStatusUnknown\s+Kubelet stopped posting node status\./,
    );
    await eventually(async () => {
      const ready = await k(
        'get',
        'pod',
        'patient',
        '-n',
        'nodes',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      );
      expect(ready).toBe('False');
    });
    // quick tolerates the taint for 3 s, then it is evicted; patient (300 s) stays. With its
    // kubelet unreachable the evicted pod stays Terminating, as upstream's does.
    const terminating = () =>
      k(
        'get',
        'pods',
        '-n',
        'nodes',
        '-o',
        'jsonpath={range .items[*]}{.metadata.name}={.metadata.deletionTimestamp} {end}',
      );
    await eventually(async () => {
      expect(await terminating()).toMatch(/^patient= quick=\S+ $/);
    }, 15_000);
    const events = await k(
      'get',
      'events',
      '-n',
      'nodes',
      '--field-selector',
      'involvedObject.name=quick',
    );
    expect(events).toContain('Marking for deletion Pod nodes/quick');

    // The node is deleted: podgc removes its remaining pods after the quarantine.
    await k('delete', 'node', 'lost');
    await eventually(async () => {
      expect(await k('get', 'pods', '-n', 'nodes', '-o', 'name')).toBe('');
    }, 15_000);
  });
});
