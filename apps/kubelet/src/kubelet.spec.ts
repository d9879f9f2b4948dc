/**
 * The Kubelet against FakeApiServer on a fake clock, hosting three hollow nodes on the sim
 * runtime: registration, Leases renewed every 10 s, node status, and a pod on one node run
 * to Running while the other nodes never touch it.
 */
import type { Lease, Node, Pod } from '@kubeling/api';
import { Client, SharedInformerFactory } from '@kubeling/client';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import { silentLogger } from '@kubeling/runtime';
import { Kubelet } from './kubelet';
import { nodeConfigs } from './node/config';
import { SimRuntime } from './runtime/sim/simRuntime';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

it('registers hollow nodes, renews their Leases and runs only its own pods', async () => {
  const clock = new FakeClock(Date.now());
  const server = new FakeApiServer({ now: () => clock.now() });
  const client = new Client({ transport: server, qps: -1, clock });
  const factory = new SharedInformerFactory({ client, clock });
  const nodes = nodeConfigs({
    nodeName: 'hollow-{n}',
    nodes: 3,
    nodeIndex: 0,
    nodeLabels: 'zone=a',
    registerWithTaints: 'spot=true:NoSchedule',
    maxPods: 110,
    nodeCpu: '4',
    nodeMemory: '8Gi',
    nodeEphemeralStorage: '100Gi',
    port: 10250,
  });
  const sim = new SimRuntime({ clock });
  const kubelet = new Kubelet({
    client,
    factory,
    log: silentLogger,
    recorder: { event: () => undefined, eventf: () => undefined },
    nodes,
    clock,
    runtimeFor: () => sim,
  });
  const stop = new AbortController();
  const running = kubelet.run(stop.signal);
  await until(
    () => server.stored<Lease>('leases.coordination.k8s.io').length === 3,
    'three Leases',
  );
  const stored = server.stored<Node>('nodes');
  expect(stored.map((n) => n.metadata.name).sort()).toEqual(['hollow-1', 'hollow-2', 'hollow-3']);
  const n2 = stored.find((n) => n.metadata.name === 'hollow-2')!;
  expect(n2.metadata.labels).toMatchObject({
    zone: 'a',
    'kubernetes.io/hostname': 'hollow-2',
    'kubernetes.io/os': 'linux',
  });
  expect(n2.spec.taints).toEqual([{ key: 'spot', value: 'true', effect: 'NoSchedule' }]);
  expect(n2.spec.podCIDR).toBe('127.244.1.0/24');
  expect(n2.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
    status: 'True',
    reason: 'KubeletReady',
  });
  expect(n2.status.daemonEndpoints?.kubeletEndpoint?.Port).toBe(10250);
  const lease = server
    .stored<Lease>('leases.coordination.k8s.io')
    .find((l) => l.metadata.name === 'hollow-2')!;
  expect(lease.metadata.namespace).toBe('kube-node-lease');
  expect(lease.spec).toMatchObject({ holderIdentity: 'hollow-2', leaseDurationSeconds: 40 });
  expect(lease.metadata.ownerReferences?.[0]).toMatchObject({
    kind: 'Node',
    name: 'hollow-2',
    uid: n2.metadata.uid,
  });
  const first = new Map(
    server
      .stored<Lease>('leases.coordination.k8s.io')
      .map((l) => [l.metadata.name, l.spec.renewTime]),
  );

  await client
    .resource<Pod>('pods')
    .namespace('default')
    .create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { nodeName: 'hollow-3', containers: [{ name: 'c', image: 'nginx' }] },
    } as Pod);
  await until(() => server.stored<Pod>('pods')[0]?.status?.podIP !== undefined, 'a pod IP');
  await clock.advance(100);
  await until(() => server.stored<Pod>('pods')[0]?.status?.phase === 'Running', 'Running');
  expect(server.stored<Pod>('pods')[0]?.status?.podIP).toBe('127.244.2.2');

  await clock.advance(10_000);
  await until(
    () =>
      server
        .stored<Lease>('leases.coordination.k8s.io')
        .every(
          (l) => Date.parse(l.spec.renewTime ?? '') > Date.parse(first.get(l.metadata.name) ?? ''),
        ),
    'renewed Leases',
  );
  stop.abort();
  await running;
  await factory.shutdown();
});
