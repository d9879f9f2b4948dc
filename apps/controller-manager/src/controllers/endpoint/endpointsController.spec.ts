/**
 * The endpoints controller on the FakeApiServer and a FakeClock.
 */
import type { Endpoints, Pod } from '@kubeling/api';
import { Client } from '@kubeling/client';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import type { RunningControllers } from '../../testing/runControllers';
import { runControllers } from '../../testing/runControllers';
import { pod, service } from '../../testing/fixtures';
import { endpointControllerDescriptor } from './index';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

describe('endpoint controller', () => {
  let server: FakeApiServer;
  let clock: FakeClock;
  let running: RunningControllers | undefined;
  const endpoints = (name = 'web') =>
    server.stored<Endpoints>('endpoints').find((e) => e.metadata.name === name);

  beforeEach(async () => {
    clock = new FakeClock();
    server = new FakeApiServer({ now: () => clock.now() });
    const client = new Client({ transport: server, qps: -1 });
    running = await runControllers({ client, descriptors: [endpointControllerDescriptor], clock });
  });
  afterEach(async () => {
    await running?.stop();
  });

  it('lists ready and not-ready pods, resolving the named targetPort per pod', async () => {
    server.put('services', service('web'));
    server.put('pods', pod('a', '10.0.0.2'));
    server.put('pods', pod('b', '10.0.0.1', { ready: false }));
    server.put('pods', pod('c', '10.0.0.3', { port: 9090, node: 'node-2' }));
    server.put('pods', pod('other', '10.0.0.9', { labels: { app: 'db' } }));
    server.put('pods', { ...pod('noip', ''), status: { phase: 'Pending' } } as Pod);
    await until(() => endpoints()?.subsets?.length === 2, 'two subsets');
    const ref = (n: string) => ({ kind: 'Pod', namespace: 'default', name: n, uid: `uid-${n}` });
    expect(endpoints()).toMatchObject({
      metadata: {
        labels: { team: 'a' },
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-02T00:00:00Z' },
      },
      subsets: [
        {
          addresses: [{ ip: '10.0.0.2', nodeName: 'node-1', targetRef: ref('a') }],
          notReadyAddresses: [{ ip: '10.0.0.1', nodeName: 'node-1', targetRef: ref('b') }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
        {
          addresses: [{ ip: '10.0.0.3', nodeName: 'node-2', targetRef: ref('c') }],
          ports: [{ name: 'http', port: 9090, protocol: 'TCP' }],
        },
      ],
    });

    // A pod becomes ready: it moves to addresses.
    server.put('pods', pod('b', '10.0.0.1'));
    await until(() => !endpoints()?.subsets?.[0]?.notReadyAddresses, 'b ready');
    expect(endpoints()?.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual([
      '10.0.0.1',
      '10.0.0.2',
    ]);
  });

  it('publishNotReadyAddresses lists every pod as ready; hostname when the subdomain is the service', async () => {
    server.put('services', service('web', { publishNotReadyAddresses: true, clusterIP: 'None' }));
    const p = pod('a', '10.0.0.1', { ready: false });
    p.spec.hostname = 'a';
    p.spec.subdomain = 'web';
    server.put('pods', p);
    await until(() => !!endpoints()?.subsets?.[0]?.addresses, 'address');
    expect(endpoints()?.subsets?.[0]?.addresses?.[0]).toMatchObject({
      ip: '10.0.0.1',
      hostname: 'a',
    });
    expect(endpoints()?.metadata.labels).toEqual({
      team: 'a',
      'service.kubernetes.io/headless': '',
    });
  });

  it('truncates above 1000 addresses, ready ones first, and says so', async () => {
    server.put('services', service('web'));
    for (let i = 0; i < 1002; i++)
      server.put('pods', pod(`p${i}`, `10.1.${Math.floor(i / 250)}.${i % 250}`, { ready: i >= 2 }));
    await until(
      () => !!endpoints()?.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'],
      'truncated',
    );
    expect(endpoints()?.metadata.annotations?.['endpoints.kubernetes.io/over-capacity']).toBe(
      'truncated',
    );
    expect(endpoints()?.subsets?.[0]?.addresses).toHaveLength(1000);
    expect(endpoints()?.subsets?.[0]?.notReadyAddresses).toBeUndefined();
    server.remove('pods', 'default', 'p5');
    server.remove('pods', 'default', 'p6');
    server.remove('pods', 'default', 'p7');
    await until(
      () => !endpoints()?.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'],
      'under capacity',
    );
    expect(endpoints()?.subsets?.[0]?.notReadyAddresses).toHaveLength(2);
  });

  it('leaves selectorless services alone and deletes the Endpoints of a deleted service', async () => {
    server.put('services', service('manual', { selector: undefined }));
    server.put('endpoints', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'manual', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '192.168.0.1' }], ports: [{ port: 5432 }] }],
    } as Endpoints);
    server.put('services', service('web'));
    await until(() => !!endpoints('web'), 'web endpoints');
    expect(endpoints('manual')?.subsets?.[0]?.addresses?.[0]?.ip).toBe('192.168.0.1');
    server.remove('services', 'default', 'web');
    await until(() => !endpoints('web'), 'web endpoints deleted');
  });
});
