/** The pod garbage collector on the FakeApiServer and a FakeClock. */
import type { Node, Pod } from '@kubeling/api';
import { Client } from '@kubeling/client';
import type { ApiRequest } from '@kubeling/client';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import { pod } from '../../testing/fixtures';
import type { RunningControllers } from '../../testing/runControllers';
import { runControllers } from '../../testing/runControllers';
import { podGCControllerDescriptor } from './index';

const node = (name: string, extra: Partial<Node> = {}): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, ...extra }) as unknown as Node;

const finished = (name: string, created: string, phase = 'Succeeded'): Pod => {
  const p = pod(name, '10.0.0.1');
  p.metadata.creationTimestamp = created;
  p.status = { phase };
  return p;
};

describe('podgc', () => {
  let server: FakeApiServer;
  let clock: FakeClock;
  let running: RunningControllers | undefined;
  const names = () =>
    server
      .stored<Pod>('pods')
      .map((p) => p.metadata.name)
      .sort();
  const start = async (argv: string[] = []) => {
    running = await runControllers({
      client: new Client({ transport: server, qps: -1 }),
      descriptors: [podGCControllerDescriptor],
      argv,
      clock,
    });
    await settle(20);
  };

  beforeEach(() => {
    clock = new FakeClock();
    server = new FakeApiServer({ now: () => clock.now() });
    server.put('nodes', node('node-1'));
  });
  afterEach(async () => {
    await running?.stop();
  });

  it('deletes the oldest finished pods beyond --terminated-pod-gc-threshold', async () => {
    server.put('pods', finished('old', '2026-01-01T00:00:00Z'));
    server.put('pods', finished('older', '2025-12-01T00:00:00Z', 'Failed'));
    server.put('pods', finished('new', '2026-02-01T00:00:00Z'));
    server.put('pods', pod('running', '10.0.0.9'));
    await start(['--terminated-pod-gc-threshold=1']);
    expect(names()).toEqual(['new', 'running']);
    // Later passes, every 20 s, keep it there.
    server.put('pods', finished('newer', '2026-03-01T00:00:00Z'));
    await clock.advance(20_000);
    await settle(20);
    expect(names()).toEqual(['newer', 'running']);
  });

  it('leaves finished pods alone with the threshold at 0', async () => {
    server.put('pods', finished('old', '2026-01-01T00:00:00Z'));
    await start(['--terminated-pod-gc-threshold=0']);
    expect(names()).toEqual(['old']);
  });

  it('force-deletes pods of a node that is gone, after the quarantine and a live check', async () => {
    server.put('pods', pod('orphan', '10.0.0.1', { node: 'gone' }));
    server.put('pods', pod('lagging', '10.0.0.2', { node: 'late' }));
    server.put('pods', pod('fine', '10.0.0.3'));
    await start();
    // The node "late" exists, but the collector's cache never saw it (added behind its back).
    const late = node('late');
    const nodesInformer = running!.ctx.informers.informerFor<Node>('nodes');
    server.put('nodes', late);
    await settle(10);
    nodesInformer.store.deleteKey('late');
    await clock.advance(39_000);
    await settle(10);
    expect(names()).toEqual(['fine', 'lagging', 'orphan']);
    await clock.advance(1_000);
    await settle(20);
    expect(names()).toEqual(['fine', 'lagging']);
    const status = server.requests.find(
      (r): r is ApiRequest => r.verb === 'update' && r.subresource === 'status',
    );
    expect(status?.body).toMatchObject({
      status: {
        phase: 'Failed',
        conditions: expect.arrayContaining([
          expect.objectContaining({
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'DeletionByPodGC',
            message: 'PodGC: node no longer exists',
          }),
        ]),
      },
    });
    const del = server.requests.find(
      (r): r is ApiRequest => r.verb === 'delete' && r.name === 'orphan',
    );
    expect(del?.body).toMatchObject({ gracePeriodSeconds: 0 });
  });

  it('force-deletes terminating pods never scheduled, and on out-of-service nodes', async () => {
    const unscheduled = pod('unscheduled', '');
    delete unscheduled.spec.nodeName;
    unscheduled.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    unscheduled.metadata.finalizers = ['example.com/x'];
    server.put('pods', unscheduled);
    server.put(
      'nodes',
      node('broken', {
        spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] },
        status: { conditions: [{ type: 'Ready', status: 'False' }] },
      } as Partial<Node>),
    );
    const stuck = pod('stuck', '10.0.0.5', { node: 'broken' });
    stuck.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    server.put('pods', stuck);
    await start();
    expect(
      server.requests
        .filter((r) => r.verb === 'delete')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['stuck', 'unscheduled']);
  });
});
