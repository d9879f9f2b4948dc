/**
 * The controller against the in-memory FakeApiServer on a FakeClock: no cluster, no sleeps.
 * `until` only lets pending promises run; time moves when a test moves the clock.
 */
import type { ConfigMap, Event, KubeObject, Node, Pod } from '@kubeling/api';
import { Client, EventBroadcaster, SharedInformerFactory } from '@kubeling/client';
import type { Transport } from '@kubeling/client';
import { FakeApiServer, FakeClock, LaggingTransport, settle } from '@kubeling/client/testing';
import { CONDITION, configMapName, PodsPerNodeController } from './controller';

const NS = 'kube-system';

const node = (name: string): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, uid: `uid-${name}` } }) as Node;

const pod = (name: string, nodeName?: string, phase = 'Running'): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
    status: { phase },
  }) as Pod;

/** Lets promises and I/O callbacks run until `cond` holds (no timers, no wall-clock waits). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

function start(server: FakeApiServer, clock: FakeClock, transport: Transport = server) {
  const client = new Client({ transport, qps: -1 });
  const factory = new SharedInformerFactory({ client, clock });
  const events = new EventBroadcaster({ client, clock });
  const controller = new PodsPerNodeController({
    client,
    factory,
    namespace: NS,
    recorder: events.newRecorder({ component: 'pods-per-node' }),
    clock,
  });
  factory.start();
  const stop = new AbortController();
  const running = controller.run(stop.signal);
  return {
    async stop() {
      stop.abort();
      await running;
      await events.shutdown();
      await factory.shutdown();
    },
  };
}

describe('PodsPerNodeController', () => {
  let server: FakeApiServer;
  let clock: FakeClock;
  let stopController: () => Promise<void>;

  const configMap = (nodeName: string) =>
    server.stored<ConfigMap>('configmaps').find((c) => c.metadata.name === configMapName(nodeName));
  const count = (nodeName: string) => configMap(nodeName)?.data?.count;
  const condition = (nodeName: string) =>
    server
      .stored<Node>('nodes')
      .find((n) => n.metadata.name === nodeName)
      ?.status?.conditions?.find((c) => c.type === CONDITION);
  const creates = () =>
    server.requests.filter((r) => r.verb === 'create' && r.resource === 'configmaps').length;

  beforeEach(() => {
    clock = new FakeClock();
    server = new FakeApiServer({ now: () => clock.now() });
    server.put('nodes', node('n1'));
    server.put('nodes', node('n2'));
    server.put('pods', pod('a', 'n1'));
    server.put('pods', pod('b', 'n1'));
    server.put('pods', pod('c', 'n2'));
    server.put('pods', pod('pending'));
    server.put('pods', pod('done', 'n1', 'Succeeded'));
    stopController = start(server, clock).stop;
  });

  afterEach(() => stopController());

  it('writes one owned ConfigMap per node, a condition on the node and an event', async () => {
    await until(() => count('n1') === '2' && count('n2') === '1', 'both ConfigMaps');
    expect(configMap('n1')).toMatchObject({
      metadata: {
        namespace: NS,
        labels: { 'app.kubernetes.io/managed-by': 'pods-per-node' },
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'uid-n1', controller: true },
        ],
      },
      data: { node: 'n1', count: '2', pods: 'default/a\ndefault/b' },
    });
    await until(() => condition('n2') !== undefined, 'the condition');
    expect(condition('n1')).toMatchObject({
      status: 'True',
      reason: 'Counted',
      message: '2 active pods',
      lastTransitionTime: new Date(clock.now()).toISOString().replace('.000Z', 'Z'),
    });
    await until(() => server.stored('events').length === 2, 'two events');
    const events = server.stored<Event>('events');
    expect(events.map((e) => [e.involvedObject.name, e.reason, e.message]).sort()).toEqual([
      ['n1', 'SuccessfulCreate', 'Created ConfigMap kube-system/pods-on-n1'],
      ['n2', 'SuccessfulCreate', 'Created ConfigMap kube-system/pods-on-n2'],
    ]);
    // Expectations: however often n1 was reconciled before its ConfigMap reached the cache
    // (the condition write alone wakes it again), it was created once.
    expect(creates()).toBe(2);
  });

  it('follows pods: added, deleted, finished', async () => {
    await until(() => count('n1') === '2', 'initial count');
    server.put('pods', pod('d', 'n2'));
    server.put('pods', pod('pending', 'n2')); // bound by a scheduler
    server.remove('pods', 'default', 'a');
    await until(() => count('n1') === '1' && count('n2') === '3', 'counts after changes');
    server.put('pods', pod('b', 'n1', 'Failed'));
    await until(() => count('n1') === '0', 'a finished pod stops counting');
    expect(configMap('n2')?.data?.pods).toBe('default/c\ndefault/d\ndefault/pending');
    await until(() => condition('n1')?.message === '0 active pods', 'condition follows');
  });

  it('puts back a ConfigMap edited or deleted by hand', async () => {
    await until(() => count('n1') === '2', 'initial count');
    server.put('configmaps', { ...configMap('n1')!, data: { count: '99' } });
    await until(() => count('n1') === '2' && configMap('n1')?.data?.node === 'n1', 'restored');
    server.remove('configmaps', NS, configMapName('n1'));
    await until(() => count('n1') === '2', 'recreated');
    expect(creates()).toBe(3);
  });

  it('NotFound: a deleted node gets its ConfigMap deleted, with an event', async () => {
    await until(() => count('n2') === '1', 'initial count');
    server.remove('nodes', undefined, 'n2');
    await until(() => configMap('n2') === undefined, 'ConfigMap of n2 deleted');
    expect(count('n1')).toBe('2');
    await until(
      () => server.stored<Event>('events').some((e) => e.reason === 'SuccessfulDelete'),
      'delete event',
    );
  });

  it('a failed write is retried after the backoff on the clock, not by sleeping', async () => {
    await until(() => count('n1') === '2', 'initial count');
    server.failWhen(
      (r) => r.verb === 'update' && r.resource === 'configmaps',
      () => new Error('api-server away'),
      1,
    );
    server.put('pods', pod('e', 'n1'));
    await until(() => server.requests.some((r) => r.verb === 'update'), 'the failed update');
    await settle();
    expect(count('n1')).toBe('2');
    await clock.advance(5); // the work queue's first backoff step
    await until(() => count('n1') === '3', 'retried');
  });
});

describe('PodsPerNodeController expectations', () => {
  it('does not create again while its informer has not seen its create', async () => {
    const clock = new FakeClock();
    const server = new FakeApiServer({ now: () => clock.now() });
    server.put('nodes', node('n1'));
    server.put('pods', pod('a', 'n1'));
    const transport = new LaggingTransport(server);
    transport.hold('configmaps');
    const { stop } = start(server, clock, transport);
    try {
      const cm = () => server.stored<ConfigMap>('configmaps')[0];
      await until(() => cm()?.data?.count === '1', 'created');
      // Each pod event reconciles n1 while its ConfigMap is still missing from the cache.
      server.put('pods', pod('b', 'n1'));
      server.put('pods', pod('c', 'n1'));
      await settle(30);
      const creates = () =>
        server.requests.filter((r) => r.verb === 'create' && r.resource === 'configmaps');
      expect(creates()).toHaveLength(1);
      expect(cm()?.data?.count).toBe('1');
      // The create is seen: the owner is woken and catches up.
      transport.release('configmaps');
      await until(() => cm()?.data?.count === '3', 'caught up');
      expect(creates()).toHaveLength(1);
    } finally {
      await stop();
    }
  });
});

describe('PodsPerNodeController at startup', () => {
  it('deletes ConfigMaps left behind by nodes deleted while it was down', async () => {
    const clock = new FakeClock();
    const server = new FakeApiServer({ now: () => clock.now() });
    server.put('nodes', node('n1'));
    const orphan: KubeObject = {
      metadata: {
        name: configMapName('gone'),
        namespace: NS,
        uid: 'uid-cm',
        labels: { 'app.kubernetes.io/managed-by': 'pods-per-node' },
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Node', name: 'gone', uid: 'x', controller: true },
        ],
      },
      data: { count: '4' },
    };
    server.put('configmaps', orphan);
    const { stop } = start(server, clock);
    try {
      const names = () => server.stored('configmaps').map((c) => c.metadata.name);
      await until(
        () => names().length === 1 && names()[0] === configMapName('n1'),
        'orphan deleted, n1 created',
      );
    } finally {
      await stop();
    }
  });
});
