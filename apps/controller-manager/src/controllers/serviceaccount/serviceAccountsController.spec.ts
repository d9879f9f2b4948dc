/**
 * The serviceaccount controller on FakeApiServer and a FakeClock (no sleeps): `default` appears
 * in every active namespace, comes back when deleted, and is not created in a terminating one.
 */
import type { Namespace, ServiceAccount } from '@kubeling/api';
import { Client } from '@kubeling/client';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import { serviceAccountControllerDescriptor } from '.';
import { runDescriptor } from './runDescriptor';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

const ns = (name: string, terminating = false): Namespace =>
  ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {},
    status: { phase: terminating ? 'Terminating' : 'Active' },
  }) as Namespace;

describe('serviceaccount controller', () => {
  let server: FakeApiServer;
  let stop: () => Promise<void>;
  const accounts = () =>
    server
      .stored<ServiceAccount>('serviceaccounts')
      .map((s) => `${s.metadata.namespace}/${s.metadata.name}`)
      .sort();

  beforeEach(async () => {
    const clock = new FakeClock();
    server = new FakeApiServer({ now: () => clock.now() });
    server.put('namespaces', ns('default'));
    server.put('namespaces', ns('going', true));
    server.put('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'builder', namespace: 'default' },
    });
    const running = await runDescriptor(
      serviceAccountControllerDescriptor,
      new Client({ transport: server, qps: -1 }),
      clock,
    );
    stop = () => running.stop();
  });

  afterEach(() => stop());

  it('creates default in every active namespace, not in a terminating one', async () => {
    await until(() => accounts().includes('default/default'), 'default/default');
    server.put('namespaces', ns('team-a'));
    await until(() => accounts().includes('team-a/default'), 'team-a/default');
    expect(accounts()).toEqual(['default/builder', 'default/default', 'team-a/default']);
  });

  it('recreates default when it is deleted, and leaves other accounts alone', async () => {
    await until(() => accounts().includes('default/default'), 'default/default');
    const client = new Client({ transport: server, qps: -1 });
    const first = server
      .stored<ServiceAccount>('serviceaccounts')
      .find((s) => s.metadata.name === 'default');
    await client.resource<ServiceAccount>('serviceaccounts').namespace('default').delete('default');
    await until(() => {
      const again = server
        .stored<ServiceAccount>('serviceaccounts')
        .find((s) => s.metadata.name === 'default');
      return !!again && again.metadata.uid !== first?.metadata.uid;
    }, 'a new default/default');
    await client.resource<ServiceAccount>('serviceaccounts').namespace('default').delete('builder');
    await settle(20);
    expect(accounts()).toEqual(['default/default']);
  });
});
