/**
 * The namespace controller on the FakeApiServer (which models Terminating namespaces, the
 * finalize subresource and finalizers) and a FakeClock.
 */
import type { KubeObject, Namespace } from '@kubeling/api';
import { namespaceKind } from '@kubeling/api';
import { Client, SharedInformerFactory } from '@kubeling/client';
import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
import { NamespaceController, RemainingContentPollMs } from './namespaceController';
import { namespaceControllerDescriptor } from './index';
import { runControllers } from '../../testing/runControllers';
import type { RunningControllers } from '../../testing/runControllers';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

const obj = (kind: string, name: string, extra: Partial<KubeObject['metadata']> = {}) =>
  ({
    apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
    kind,
    metadata: { name, namespace: 'team', uid: `uid-${name}`, ...extra },
  }) as KubeObject;

describe('namespace controller', () => {
  let server: FakeApiServer;
  let clock: FakeClock;
  let client: Client;
  let running: RunningControllers | undefined;

  const ns = () => server.stored<Namespace>('namespaces').find((n) => n.metadata.name === 'team');
  const condition = (type: string) => ns()?.status?.conditions?.find((c) => c.type === type);

  beforeEach(() => {
    clock = new FakeClock();
    server = new FakeApiServer({ now: () => clock.now() });
    client = new Client({ transport: server, qps: -1 });
    server.put('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team', uid: 'uid-team' },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    } as Namespace);
    server.put('configmaps', obj('ConfigMap', 'a'));
    server.put('configmaps', obj('ConfigMap', 'b'));
    server.put('deployments.apps', obj('Deployment', 'web'));
    server.put('configmaps', {
      ...obj('ConfigMap', 'elsewhere'),
      metadata: { name: 'x', namespace: 'other' },
    });
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  const start = async () => {
    running = await runControllers({ client, descriptors: [namespaceControllerDescriptor], clock });
  };

  it('leaves an active namespace alone', async () => {
    await start();
    await settle(30);
    expect(ns()?.status?.conditions).toBeUndefined();
    expect(server.stored('configmaps')).toHaveLength(3);
  });

  it('deletes every namespaced resource in it, then finalizes it away', async () => {
    await start();
    await client.resource(namespaceKind).delete('team');
    await until(() => ns() === undefined, 'namespace gone');
    expect(server.stored('configmaps').map((c) => c.metadata.namespace)).toEqual(['other']);
    expect(server.stored('deployments.apps')).toEqual([]);
    const finalize = server.requests.find(
      (r) => r.verb === 'update' && r.subresource === 'finalize',
    );
    expect(finalize).toMatchObject({ name: 'team', body: { spec: { finalizers: [] } } });
  });

  it('says what remains (content, finalizers) and waits for it', async () => {
    server.put('configmaps', obj('ConfigMap', 'held', { finalizers: ['example.com/hold'] }));
    await start();
    await client.resource(namespaceKind).delete('team');
    await until(() => condition('NamespaceContentRemaining')?.status === 'True', 'conditions');
    expect(ns()?.status?.phase).toBe('Terminating');
    expect(condition('NamespaceContentRemaining')).toMatchObject({
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: configmaps. has 1 resource instances',
    });
    expect(condition('NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message:
        'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });
    expect(condition('NamespaceDeletionDiscoveryFailure')).toMatchObject({
      status: 'False',
      reason: 'ResourcesDiscovered',
      message: 'All resources successfully discovered',
    });
    expect(condition('NamespaceDeletionGroupVersionParsingFailure')).toMatchObject({
      status: 'False',
      reason: 'ParsedGroupVersions',
    });
    expect(condition('NamespaceDeletionContentFailure')).toMatchObject({
      status: 'False',
      reason: 'ContentDeleted',
    });

    // The finalizer's owner finishes; the next poll finds the namespace empty.
    await client
      .resource('configmaps')
      .namespace('team')
      .patch('held', 'merge', {
        metadata: { finalizers: null },
      });
    await clock.advance(RemainingContentPollMs);
    await until(() => ns() === undefined, 'namespace gone');
  });

  it('reports a discovery failure and a failed deletion as conditions, and retries', async () => {
    const factory = new SharedInformerFactory({ client, clock });
    let discoveryFails = true;
    const controller = new NamespaceController({
      client,
      factory,
      clock,
      discovery: () =>
        discoveryFails
          ? Promise.reject(new Error('unable to retrieve the complete list of server APIs'))
          : Promise.resolve(client.scheme.all()),
    });
    factory.start();
    const stop = new AbortController();
    const run = controller.run(stop.signal);
    await client.resource(namespaceKind).delete('team');
    await until(
      () => condition('NamespaceDeletionDiscoveryFailure')?.status === 'True',
      'discovery condition',
    );
    expect(condition('NamespaceDeletionDiscoveryFailure')).toMatchObject({
      reason: 'DiscoveryFailed',
      message:
        'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs',
    });

    discoveryFails = false;
    const undo = server.failWhen(
      (r) => r.verb === 'deletecollection' && r.resource === 'configmaps',
      () => new Error('boom'),
    );
    await clock.advance(10);
    await until(
      () => condition('NamespaceDeletionContentFailure')?.status === 'True',
      'content condition',
    );
    expect(condition('NamespaceDeletionContentFailure')?.message).toBe(
      'Failed to delete all resource types, 1 remaining: configmaps.: boom',
    );
    undo();
    await clock.advance(100);
    await until(() => ns() === undefined, 'namespace gone');
    stop.abort();
    await run;
    await factory.shutdown();
  });
});
