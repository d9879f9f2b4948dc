/**
 * Node lifecycle and taint eviction together on the FakeApiServer and a FakeClock: a node
 * whose Lease stops being renewed goes Unknown, is tainted, its pods become NotReady and are
 * evicted by their tolerations — with timings shortened by flags, and no sleeps.
 */
import type { Event, Lease, Node, Pod } from '@kubeling/api';
import { Client } from '@kubeling/client';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import { pod } from '../../testing/fixtures';
import type { RunningControllers } from '../../testing/runControllers';
import { runControllers } from '../../testing/runControllers';
import { taintEvictionControllerDescriptor } from '../tainteviction';
import { nodeLifecycleControllerDescriptor } from './index';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

describe('nodelifecycle + taint-eviction-controller', () => {
  let server: FakeApiServer;
  let clock: FakeClock;
  let running: RunningControllers | undefined;
  const node = (name = 'node-1') =>
    server.stored<Node>('nodes').find((n) => n.metadata.name === name);
  const podNamed = (name: string) =>
    server.stored<Pod>('pods').find((p) => p.metadata.name === name);
  const cond = (type: string) => node()?.status?.conditions?.find((c) => c.type === type);
  const renewLease = (name: string) =>
    server.put('leases.coordination.k8s.io', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, renewTime: new Date(clock.now()).toISOString() },
    } as Lease);
  /** node-2 stays healthy throughout unless `alsoNode2` is false (so the zone is not fully down). */
  let keepNode2 = true;
  const renew = () => {
    renewLease('node-1');
    if (keepNode2) renewLease('node-2');
  };
  /** Moves the clock in monitor-period steps, letting the controllers work at each; node-2's kubelet renews. */
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 1000) {
      if (keepNode2 && t % 2000 === 0) renewLease('node-2');
      await clock.advance(1000);
      await settle(5);
    }
  };

  beforeEach(async () => {
    keepNode2 = true;
    clock = new FakeClock();
    server = new FakeApiServer({ now: () => clock.now() });
    server.put('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-2', creationTimestamp: iso(clock.now()) },
      spec: {},
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            lastHeartbeatTime: iso(clock.now()),
            lastTransitionTime: iso(clock.now()),
          },
        ],
      },
    } as unknown as Node);
    server.put('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', creationTimestamp: iso(clock.now()) },
      spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            lastHeartbeatTime: iso(clock.now()),
            lastTransitionTime: iso(clock.now()),
          },
        ],
      },
    } as unknown as Node);
    renew();
    const tolerating = pod('tolerating', '10.0.0.1');
    tolerating.spec.tolerations = [
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 20,
      },
    ];
    const forever = pod('forever', '10.0.0.2');
    forever.spec.tolerations = [{ operator: 'Exists' }];
    server.put('pods', tolerating);
    server.put('pods', forever);
    server.put('pods', pod('intolerant', '10.0.0.3'));
    server.put('pods', pod('elsewhere', '10.0.0.4', { node: 'node-2' }));
    const client = new Client({ transport: server, qps: -1 });
    running = await runControllers({
      client,
      descriptors: [nodeLifecycleControllerDescriptor, taintEvictionControllerDescriptor],
      argv: ['--node-monitor-period=1s', '--node-monitor-grace-period=10s'],
      clock,
    });
    await settle(20);
  });
  afterEach(async () => {
    await running?.stop();
  });

  it('keeps a node whose Lease is renewed healthy', async () => {
    for (let i = 0; i < 6; i++) {
      await advance(5000);
      renew();
    }
    expect(cond('Ready')?.status).toBe('True');
    expect(node()?.spec.taints).toEqual([{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
    expect(server.stored('pods')).toHaveLength(4);
  });

  it('goes Unknown after the grace period, is tainted, marks and evicts its pods', async () => {
    await advance(9000);
    expect(cond('Ready')?.status).toBe('True');
    await advance(3000);
    await until(() => cond('Ready')?.status === 'Unknown', 'Ready Unknown');
    const unknownAt = clock.now();
    expect(cond('Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(cond('MemoryPressure')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusNeverUpdated',
      message: 'Kubelet never posted node status.',
    });
    await until(() => (node()?.spec.taints?.length ?? 0) === 3, 'taints');
    expect(node()?.spec.taints).toEqual([
      { key: 'dedicated', value: 'x', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: expect.any(String) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    ]);
    // Without a toleration: evicted at once. The others are NotReady meanwhile.
    await until(() => !podNamed('intolerant'), 'intolerant pod evicted');
    expect(
      podNamed('tolerating')?.status?.conditions?.find((c) => c.type === 'Ready')?.status,
    ).toBe('False');
    expect(podNamed('elsewhere')?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe(
      'True',
    );

    await advance(15_000);
    expect(podNamed('tolerating')).toBeDefined();
    await advance(7000);
    await until(() => !podNamed('tolerating'), 'tolerating pod evicted after 20 s');
    expect(clock.now() - unknownAt).toBeGreaterThanOrEqual(20_000);
    expect(podNamed('forever')).toBeDefined();

    const events = server
      .stored<Event>('events')
      .map((e) => `${e.involvedObject.name} ${e.reason} ${e.message}`);
    expect(events).toEqual(
      expect.arrayContaining([
        'node-1 NodeNotReady Node node-1 status is now: NodeNotReady',
        'tolerating NodeNotReady Node is not ready',
        'intolerant TaintManagerEviction Marking for deletion Pod default/intolerant',
        'tolerating TaintManagerEviction Marking for deletion Pod default/tolerating',
      ]),
    );
  });

  it('the kubelet coming back removes the taints and cancels pending evictions', async () => {
    await advance(12_000);
    await until(() => (node()?.spec.taints?.length ?? 0) === 3, 'taints');
    // The kubelet posts Ready again and renews.
    const n = node()!;
    n.status!.conditions = [
      {
        type: 'Ready',
        status: 'True',
        reason: 'KubeletReady',
        lastHeartbeatTime: iso(clock.now()),
        lastTransitionTime: iso(clock.now()),
      },
    ];
    server.put('nodes', n);
    renew();
    await advance(2000);
    await until(() => node()?.spec.taints?.length === 1, 'taints removed');
    for (let i = 0; i < 6; i++) {
      await advance(5000);
      renew();
    }
    expect(podNamed('tolerating')).toBeDefined();
    expect(server.stored<Event>('events').map((e) => e.message)).toContain(
      'Cancelling deletion of Pod default/tolerating',
    );
  });

  it('every node down: master disruption mode, no NoExecute taint, no eviction', async () => {
    keepNode2 = false;
    await advance(14_000);
    await until(() => cond('Ready')?.status === 'Unknown', 'Ready Unknown');
    await advance(2000);
    const n2 = server.stored<Node>('nodes').find((n) => n.metadata.name === 'node-2');
    expect(n2?.status?.conditions?.[0]?.status).toBe('Unknown');
    expect(node()?.spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'dedicated:NoSchedule',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    await advance(30_000);
    expect(podNamed('intolerant')).toBeDefined();
    expect(podNamed('tolerating')).toBeDefined();
    // The pods are NotReady all the same.
    expect(
      podNamed('intolerant')?.status?.conditions?.find((c) => c.type === 'Ready')?.status,
    ).toBe('False');
  });

  it('a Ready=False node gets the not-ready taints', async () => {
    const n = node()!;
    n.status!.conditions![0]!.status = 'False';
    server.put('nodes', n);
    await advance(2000);
    await until(() => (node()?.spec.taints?.length ?? 0) === 3, 'taints');
    expect(node()?.spec.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'dedicated:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/not-ready:NoSchedule',
    ]);
  });
});
