import type { Event, Node, Pod } from '@kubeling/api';
import { nodeKind, podKind } from '@kubeling/api';
import { FakeClock, settle } from '@kubeling/api/testing';
import { Client, EventBroadcaster, SharedInformerFactory } from '@kubeling/client';
import { FakeApiServer } from '@kubeling/client/testing';
import { resolveConfig } from './config/config';
import { DecisionLog } from './decisions';
import { inTreeRegistry } from './plugins/registry';
import { numFeasibleNodesToFind, Scheduler } from './scheduler';
import { makeNode, makePod } from './testing/fixtures';

async function setup(nodes: Node[]) {
  const clock = new FakeClock();
  const server = new FakeApiServer({ now: () => clock.now() });
  for (const n of nodes) server.put('nodes', n);
  const client = new Client({ transport: server, qps: 0 });
  const factory = new SharedInformerFactory({ client, clock });
  const events = new EventBroadcaster({ client, clock });
  const decisions = new DecisionLog(10);
  const scheduler = new Scheduler({
    client,
    config: resolveConfig(undefined, inTreeRegistry),
    recorder: events.newRecorder({ component: 'default-scheduler' }),
    clock,
    decisions,
    random: () => 0.5,
  });
  scheduler.watch(factory);
  factory.start();
  await factory.waitForCacheSync();
  const stop = new AbortController();
  const running = scheduler.run(stop.signal);
  const pods = client.resource(podKind).namespace('default');
  const until = async (cond: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await cond()) return;
      await settle();
    }
    throw new Error('condition never held');
  };
  const podOf = async (name: string) => (await pods.get(name)) as Pod;
  const eventsOf = () => server.stored<Event>('events');
  return {
    clock,
    server,
    client,
    scheduler,
    decisions,
    pods,
    until,
    podOf,
    eventsOf,
    async stop() {
      stop.abort();
      await running;
      await events.shutdown();
      await factory.shutdown();
    },
  };
}

describe('numFeasibleNodesToFind', () => {
  it.each([
    [0, 50, 50],
    [0, 99, 99],
    [0, 100, 100], // 50 - 0 = 50% of 100 = 50 -> at least 100
    [0, 1000, 420], // 50 - 8 = 42%
    [0, 5000, 500], // 50 - 40 = 10%
    [0, 6000, 300], // 50 - 48 = 2% -> 5%
    [30, 1000, 300],
    [100, 1000, 1000],
  ])('percentage %d of %d nodes: %d', (p, n, want) =>
    expect(numFeasibleNodesToFind(p, n)).toBe(want),
  );
});

describe('Scheduler', () => {
  it('binds a pod through pods/binding and records the Scheduled event', async () => {
    const t = await setup([makeNode('node-1', { cpu: '1' }), makeNode('node-2', { cpu: '4' })]);
    try {
      await t.pods.create(makePod('web-1', { cpu: '2' }));
      await t.until(async () => !!(await t.podOf('web-1')).spec.nodeName);
      expect((await t.podOf('web-1')).spec.nodeName).toBe('node-2');
      expect(
        t.server.requests.some(
          (r) => r.verb === 'create' && 'subresource' in r && r.subresource === 'binding',
        ),
      ).toBe(true);
      await t.until(() => t.eventsOf().some((e) => e.reason === 'Scheduled'));
      const ev = t.eventsOf().find((e) => e.reason === 'Scheduled')!;
      expect(ev.message).toBe('Successfully assigned default/web-1 to node-2');
      expect(ev.type).toBe('Normal');
      expect(ev.source?.component).toBe('default-scheduler');
      expect(t.decisions.get('default/web-1')?.selected).toBe('node-2');
    } finally {
      await t.stop();
    }
  });

  it('a burst never overcommits a node (assumed pods count)', async () => {
    const t = await setup([makeNode('node-1', { cpu: '2' }), makeNode('node-2', { cpu: '2' })]);
    try {
      for (let i = 0; i < 6; i++) await t.pods.create(makePod(`p${i}`, { cpu: '1' }));
      await t.until(async () => {
        const all = (await t.pods.list()).items as Pod[];
        return all.filter((p) => p.spec.nodeName).length === 4;
      });
      await settle(50);
      const all = (await t.pods.list()).items as Pod[];
      const per = new Map<string, number>();
      for (const p of all)
        if (p.spec.nodeName) per.set(p.spec.nodeName, (per.get(p.spec.nodeName) ?? 0) + 1);
      expect(per).toEqual(
        new Map([
          ['node-1', 2],
          ['node-2', 2],
        ]),
      );
      // The two left over are Unschedulable with upstream's message.
      const pending = all.filter((p) => !p.spec.nodeName);
      expect(pending).toHaveLength(2);
      await t.until(
        async () => (await t.podOf(pending[0]!.metadata.name!)).status?.conditions !== undefined,
      );
      const cond = (await t.podOf(pending[0]!.metadata.name!)).status!.conditions!.find(
        (c) => c.type === 'PodScheduled',
      )!;
      expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
      expect(cond.message).toBe(
        '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
      );
    } finally {
      await t.stop();
    }
  });

  it('FailedScheduling event in upstream form; a node added later takes the pod', async () => {
    const t = await setup([
      makeNode('node-1', { cpu: '1' }),
      makeNode('node-2', { cpu: '8', labels: { disk: 'hdd' } }),
      makeNode('node-3', { cpu: '8', labels: { disk: 'hdd' } }),
    ]);
    try {
      await t.pods.create(makePod('web-1', { cpu: '2', spec: { nodeSelector: { disk: 'ssd' } } }));
      await t.until(() => t.eventsOf().some((e) => e.reason === 'FailedScheduling'));
      const ev = t.eventsOf().find((e) => e.reason === 'FailedScheduling')!;
      expect(ev.type).toBe('Warning');
      expect(ev.message).toBe(
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
      );
      await t.client
        .resource(nodeKind)
        .create(makeNode('node-4', { cpu: '8', labels: { disk: 'ssd' } }));
      // Moved back by the node's arrival, it waits out its 1 s backoff first.
      await settle(20);
      expect((await t.podOf('web-1')).spec.nodeName).toBeUndefined();
      await t.clock.advance(1000);
      await t.until(async () => (await t.podOf('web-1')).spec.nodeName === 'node-4');
    } finally {
      await t.stop();
    }
  });

  it('mixed reasons are counted and sorted as upstream', async () => {
    const t = await setup([
      makeNode('node-1', { cpu: '1', labels: { disk: 'ssd' } }),
      makeNode('node-2', { cpu: '8' }),
      makeNode('node-3', { cpu: '8' }),
    ]);
    try {
      await t.pods.create(makePod('web-1', { cpu: '2', spec: { nodeSelector: { disk: 'ssd' } } }));
      await t.until(() => t.eventsOf().some((e) => e.reason === 'FailedScheduling'));
      expect(t.eventsOf().find((e) => e.reason === 'FailedScheduling')!.message).toBe(
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
      );
    } finally {
      await t.stop();
    }
  });

  it('preemption: a high-priority pod evicts the lowest-priority victim and is nominated', async () => {
    const t = await setup([makeNode('node-1', { cpu: '2' }), makeNode('node-2', { cpu: '2' })]);
    try {
      await t.pods.create(makePod('low-1', { cpu: '2', priority: 1, nodeName: 'node-1' }));
      await t.pods.create(makePod('low-2', { cpu: '2', priority: 5, nodeName: 'node-2' }));
      await settle(20);
      await t.pods.create(makePod('high', { cpu: '2', priority: 100 }));
      await t.until(async () => (await t.podOf('high')).status?.nominatedNodeName === 'node-1');
      await expect(t.pods.get('low-1')).rejects.toMatchObject({ code: 404 });
      await t.pods.get('low-2');
      // The victim gone, the pod is tried again and lands where it was nominated.
      await t.clock.advance(2000);
      await t.until(async () => (await t.podOf('high')).spec.nodeName === 'node-1');
    } finally {
      await t.stop();
    }
  });
});
