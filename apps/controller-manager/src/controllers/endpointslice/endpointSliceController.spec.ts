/**
 * The EndpointSlice controller on the FakeApiServer and a FakeClock.
 */
import type { EndpointSlice, Node } from '@kubeling/api';
import { Client } from '@kubeling/client';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import type { RunningControllers } from '../../testing/runControllers';
import { runControllers } from '../../testing/runControllers';
import { pod, service } from '../../testing/fixtures';
import { endpointSliceControllerDescriptor } from './index';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

describe('endpointslice controller', () => {
  let server: FakeApiServer;
  let clock: FakeClock;
  let running: RunningControllers | undefined;
  const slices = () =>
    server
      .stored<EndpointSlice>('endpointslices.discovery.k8s.io')
      .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const start = async (argv: string[] = []) => {
    const client = new Client({ transport: server, qps: -1 });
    running = await runControllers({
      client,
      descriptors: [endpointSliceControllerDescriptor],
      argv,
      clock,
    });
  };

  beforeEach(() => {
    clock = new FakeClock();
    server = new FakeApiServer({ now: () => clock.now() });
    server.put('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } },
    } as unknown as Node);
  });
  afterEach(async () => {
    await running?.stop();
  });

  it('writes one labelled, owned slice with conditions, zone and targetRef', async () => {
    server.put('services', service('web'));
    server.put('pods', pod('a', '10.0.0.1'));
    server.put('pods', pod('b', '10.0.0.2', { ready: false }));
    const terminating = pod('c', '10.0.0.3');
    terminating.metadata.deletionTimestamp = '2026-01-03T00:00:00Z';
    server.put('pods', terminating);
    await start();
    await until(() => slices()[0]?.endpoints?.length === 3, 'slice');
    expect(slices()).toHaveLength(1);
    expect(slices()[0]).toMatchObject({
      metadata: {
        generateName: 'web-',
        labels: {
          team: 'a',
          'kubernetes.io/service-name': 'web',
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        },
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-02T00:00:00Z' },
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            name: 'web',
            uid: 'uid-web',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [
        {
          addresses: ['10.0.0.1'],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'node-1',
          zone: 'zone-a',
          targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
        },
        {
          addresses: ['10.0.0.2'],
          conditions: { ready: false, serving: false, terminating: false },
        },
        { addresses: ['10.0.0.3'], conditions: { ready: false, serving: true, terminating: true } },
      ],
    });
    // Steady: nothing is rewritten.
    const writes = server.requests.filter((r) => r.verb !== 'list' && r.verb !== 'watch').length;
    await settle(30);
    expect(server.requests.filter((r) => r.verb !== 'list' && r.verb !== 'watch').length).toBe(
      writes,
    );
  });

  it('keeps an empty placeholder slice for a service without pods, and follows pods', async () => {
    server.put('services', service('web'));
    await start();
    await until(() => slices().length === 1, 'placeholder');
    expect(slices()[0]).toMatchObject({ endpoints: [], ports: [] });
    server.put('pods', pod('a', '10.0.0.1'));
    await until(() => slices()[0]?.endpoints?.length === 1, 'pod added');
    expect(slices()).toHaveLength(1);
    server.remove('pods', 'default', 'a');
    await until(() => slices()[0]?.endpoints?.length === 0, 'pod removed');
    expect(slices()).toHaveLength(1);
  });

  it('splits at --max-endpoints-per-slice and by resolved port', async () => {
    server.put('services', service('web'));
    for (let i = 1; i <= 5; i++) server.put('pods', pod(`p${i}`, `10.0.0.${i}`));
    server.put('pods', pod('other-port', '10.0.1.1', { port: 9090 }));
    await start(['--max-endpoints-per-slice=2']);
    await until(() => slices().length === 4, 'four slices');
    await settle(20);
    const shape = slices()
      .map(
        (s) => `${s.ports?.[0]?.port}:${(s.endpoints ?? []).map((e) => e.addresses[0]).join(',')}`,
      )
      .sort();
    expect(shape).toEqual([
      '8080:10.0.0.1,10.0.0.2',
      '8080:10.0.0.3,10.0.0.4',
      '8080:10.0.0.5',
      '9090:10.0.1.1',
    ]);
    // Created once each, despite the informer seeing them only later.
    expect(server.requests.filter((r) => r.verb === 'create').length).toBe(4);
  });

  it('publishNotReadyAddresses: every endpoint is ready', async () => {
    server.put('services', service('web', { publishNotReadyAddresses: true }));
    server.put('pods', pod('a', '10.0.0.1', { ready: false }));
    await start();
    await until(() => slices()[0]?.endpoints?.length === 1, 'slice');
    expect(slices()[0]?.endpoints?.[0]?.conditions).toEqual({
      ready: true,
      serving: false,
      terminating: false,
    });
  });
});
