/** The EndpointSlice mirroring controller on the FakeApiServer and a FakeClock. */
import type { EndpointSlice, Endpoints } from '@kubeling/api';
import { Client } from '@kubeling/client';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import { service } from '../../testing/fixtures';
import type { RunningControllers } from '../../testing/runControllers';
import { runControllers } from '../../testing/runControllers';
import { endpointSliceMirroringControllerDescriptor } from './index';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

const endpoints = (labels: Record<string, string> = {}): Endpoints =>
  ({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'db',
      namespace: 'default',
      uid: 'uid-ep',
      labels: { team: 'a', ...labels },
      annotations: { note: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    subsets: [
      {
        addresses: [{ ip: '192.168.0.1', hostname: 'db-0' }, { ip: 'fd00::1' }],
        notReadyAddresses: [{ ip: '192.168.0.2' }],
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      },
    ],
  }) as Endpoints;

describe('endpointslicemirroring', () => {
  let server: FakeApiServer;
  let clock: FakeClock;
  let running: RunningControllers | undefined;
  const slices = () =>
    server
      .stored<EndpointSlice>('endpointslices.discovery.k8s.io')
      .sort((a, b) => (a.addressType ?? '').localeCompare(b.addressType ?? ''));

  beforeEach(async () => {
    clock = new FakeClock();
    server = new FakeApiServer({ now: () => clock.now() });
    running = await runControllers({
      client: new Client({ transport: server, qps: -1 }),
      descriptors: [endpointSliceMirroringControllerDescriptor],
      clock,
    });
  });
  afterEach(async () => {
    await running?.stop();
  });

  it('mirrors the Endpoints of a selectorless Service, per address type', async () => {
    server.put('services', service('db', { selector: undefined }));
    server.put('endpoints', endpoints());
    await until(() => slices().length === 2, 'two slices');
    expect(slices()[0]).toMatchObject({
      metadata: {
        generateName: 'db-',
        labels: {
          team: 'a',
          'kubernetes.io/service-name': 'db',
          'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
        },
        annotations: { note: 'x' },
        ownerReferences: [{ kind: 'Endpoints', name: 'db', uid: 'uid-ep', controller: true }],
      },
      addressType: 'IPv4',
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['192.168.0.1'], hostname: 'db-0', conditions: { ready: true } },
        { addresses: ['192.168.0.2'], conditions: { ready: false } },
      ],
    });
    expect(slices()[0]?.metadata.annotations).not.toHaveProperty(
      'kubectl.kubernetes.io/last-applied-configuration',
    );
    expect(slices()[1]).toMatchObject({
      addressType: 'IPv6',
      endpoints: [{ addresses: ['fd00::1'] }],
    });
  });

  it('does not mirror for Services with a selector or skip-mirror, and cleans up', async () => {
    server.put('services', service('db'));
    server.put('endpoints', endpoints());
    await settle(30);
    expect(slices()).toEqual([]);
    server.put('services', service('db', { selector: undefined }));
    await until(() => slices().length === 2, 'mirrored');
    server.put('endpoints', endpoints({ 'endpointslice.kubernetes.io/skip-mirror': 'true' }));
    await until(() => slices().length === 0, 'removed');
  });
});
