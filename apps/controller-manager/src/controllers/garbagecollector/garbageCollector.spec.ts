/**
 * The garbage collector on the in-memory FakeApiServer (which follows the api-server's
 * finalizer rules for deletes) and a FakeClock: no cluster, no sleeps.
 */
import type { ConfigMap, KubeObject, OwnerReference } from '@kubeling/api';
import { configMapKind } from '@kubeling/api';
import { Client } from '@kubeling/client';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import type { RunningControllers } from '../../testing/runControllers';
import { runControllers } from '../../testing/runControllers';
import { garbageCollectorControllerDescriptor } from './index';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

const ref = (owner: KubeObject, block = false): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name: owner.metadata.name ?? '',
  uid: owner.metadata.uid ?? '',
  ...(block ? { blockOwnerDeletion: true } : {}),
});

const cm = (name: string, owners: OwnerReference[] = []): ConfigMap =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ...(owners.length ? { ownerReferences: owners } : {}),
    },
  }) as ConfigMap;

describe('garbagecollector', () => {
  let server: FakeApiServer;
  let clock: FakeClock;
  let client: Client;
  let running: RunningControllers | undefined;

  const names = () =>
    server
      .stored<ConfigMap>('configmaps')
      .map((c) => c.metadata.name)
      .sort();
  const stored = (name: string) =>
    server.stored<ConfigMap>('configmaps').find((c) => c.metadata.name === name);
  const configMaps = () => client.resource(configMapKind).namespace('default');
  const start = async () => {
    running = await runControllers({
      client,
      descriptors: [garbageCollectorControllerDescriptor],
      argv: ['--concurrent-gc-syncs=2'],
      clock,
    });
  };

  beforeEach(() => {
    clock = new FakeClock();
    server = new FakeApiServer({ now: () => clock.now() });
    client = new Client({ transport: server, qps: -1 });
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('Background: deletes the dependents of a deleted owner, keeps those with another owner', async () => {
    const owner = cm('owner');
    const other = cm('other');
    server.put('configmaps', owner);
    server.put('configmaps', other);
    server.put('configmaps', cm('dep-1', [ref(owner)]));
    server.put('configmaps', cm('dep-2', [ref(owner)]));
    server.put('configmaps', cm('shared', [ref(owner), ref(other)]));
    await start();
    await settle(20);
    expect(names()).toEqual(['dep-1', 'dep-2', 'other', 'owner', 'shared']);

    await configMaps().delete('owner');
    await until(() => names().join() === 'other,shared', 'dependents deleted');
    await until(
      () => stored('shared')?.metadata.ownerReferences?.length === 1,
      'the dangling reference removed',
    );
    expect(stored('shared')?.metadata.ownerReferences).toEqual([ref(other)]);
  });

  it('Foreground: the owner waits for its blocking dependents, then goes', async () => {
    const owner = cm('owner');
    server.put('configmaps', owner);
    server.put('configmaps', cm('dep-1', [ref(owner, true)]));
    server.put('configmaps', cm('dep-2', [ref(owner)]));
    // A dependent the collector may not delete yet (a finalizer of its own) keeps the owner.
    server.put('configmaps', {
      ...cm('held', [ref(owner, true)]),
      metadata: { ...cm('held', [ref(owner, true)]).metadata, finalizers: ['example.com/hold'] },
    } as ConfigMap);
    await start();
    await settle(20);

    await configMaps().delete('owner', { propagationPolicy: 'Foreground' });
    await until(() => !stored('dep-1') && !stored('dep-2'), 'dependents deleted');
    expect(stored('owner')?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(stored('owner')?.metadata.deletionTimestamp).toBeDefined();
    expect(stored('held')?.metadata.deletionTimestamp).toBeDefined();

    // The blocking dependent finishes: the owner loses its finalizer and is gone.
    await configMaps().patch('held', 'merge', { metadata: { finalizers: null } });
    await until(() => names().length === 0, 'owner deleted');
  });

  it('Orphan: dependents lose the reference and stay; the owner goes', async () => {
    const owner = cm('owner');
    const other = cm('other');
    server.put('configmaps', owner);
    server.put('configmaps', other);
    server.put('configmaps', cm('dep-1', [ref(owner, true)]));
    server.put('configmaps', cm('dep-2', [ref(owner), ref(other)]));
    await start();
    await settle(20);

    await configMaps().delete('owner', { propagationPolicy: 'Orphan' });
    await until(() => !stored('owner'), 'owner deleted');
    expect(names()).toEqual(['dep-1', 'dep-2', 'other']);
    expect(stored('dep-1')?.metadata.ownerReferences).toBeUndefined();
    expect(stored('dep-2')?.metadata.ownerReferences).toEqual([ref(other)]);
  });

  it('after a restart: dependents of owners that never existed or were replaced are deleted', async () => {
    const ghost = cm('ghost'); // never stored
    const replaced = cm('replaced');
    server.put('configmaps', { ...replaced, metadata: { ...replaced.metadata, uid: 'uid-new' } });
    const alive = cm('alive');
    server.put('configmaps', alive);
    server.put('configmaps', cm('orphan-of-ghost', [ref(ghost)]));
    server.put('configmaps', cm('child-of-old', [ref(replaced)]));
    server.put('configmaps', cm('child-of-alive', [ref(alive)]));
    await start();
    await until(
      () => names().join() === 'alive,child-of-alive,replaced',
      'dangling dependents deleted',
    );
  });

  it('verifies an owner missing from its cache with a live GET before deleting', async () => {
    const owner = cm('owner');
    server.put('configmaps', owner);
    server.put('configmaps', cm('dep', [ref(owner)]));
    // The collector's cache does not hold the owner (as if its informer lagged): only the GET
    // by name and uid can tell it exists.
    await start();
    await settle(20);
    const graph = (running as RunningControllers).ctx.informers.informerFor(configMapKind);
    graph.store.deleteKey('default/owner');
    server.put('configmaps', { ...cm('dep', [ref(owner)]), data: { touch: '1' } } as ConfigMap);
    server.put('configmaps', cm('dep', [ref(owner), ref(cm('gone'))]));
    await until(() => stored('dep')?.metadata.ownerReferences?.length === 1, 'gone ref removed');
    expect(names()).toEqual(['dep', 'owner']);
    expect(
      server.requests.some(
        (r) => r.verb === 'get' && r.resource === 'configmaps' && r.name === 'owner',
      ),
    ).toBe(true);
  });
});
