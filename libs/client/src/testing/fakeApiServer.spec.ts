/** FakeApiServer's deletion rules, which the garbage collector and namespace specs rely on. */
import type { ConfigMap, Namespace } from '@kubeling/api';
import { configMapKind, hasReason, namespaceKind } from '@kubeling/api';
import { Client } from '../client';
import { FakeApiServer } from './fakeApiServer';

describe('FakeApiServer deletion', () => {
  let server: FakeApiServer;
  let client: Client;
  const cms = () => client.resource(configMapKind).namespace('default');
  const stored = (name: string) =>
    server.stored<ConfigMap>('configmaps').find((c) => c.metadata.name === name);

  beforeEach(() => {
    server = new FakeApiServer({ now: () => Date.parse('2026-01-01T00:00:00Z') });
    client = new Client({ transport: server, qps: -1 });
  });

  it('deletes at once without finalizers or a policy that adds one', async () => {
    await cms().create({ metadata: { name: 'a' } } as ConfigMap);
    await cms().delete('a', { propagationPolicy: 'Background' });
    expect(stored('a')).toBeUndefined();
  });

  it.each([
    ['Foreground', 'foregroundDeletion'],
    ['Orphan', 'orphan'],
  ] as const)(
    '%s adds the %s finalizer and marks the object deleted',
    async (policy, finalizer) => {
      await cms().create({ metadata: { name: 'a' } } as ConfigMap);
      await cms().delete('a', { propagationPolicy: policy });
      expect(stored('a')?.metadata).toMatchObject({
        finalizers: [finalizer],
        deletionTimestamp: '2026-01-01T00:00:00Z',
      });
      // The last finalizer removed (patch or update): gone.
      await cms().patch('a', 'merge', { metadata: { finalizers: null } });
      expect(stored('a')).toBeUndefined();
    },
  );

  it('keeps an object with finalizers until an update removes them; deletecollection too', async () => {
    await cms().create({ metadata: { name: 'a', finalizers: ['x/y'] } } as ConfigMap);
    await cms().create({ metadata: { name: 'b' } } as ConfigMap);
    await cms().deleteCollection();
    expect(stored('b')).toBeUndefined();
    const a = stored('a')!;
    expect(a.metadata.deletionTimestamp).toBeDefined();
    // An update cannot clear deletionTimestamp; removing the finalizer deletes it.
    await cms().update({
      ...a,
      metadata: { ...a.metadata, deletionTimestamp: undefined, finalizers: [] },
    });
    expect(stored('a')).toBeUndefined();
  });

  it('checks a uid precondition', async () => {
    await cms().create({ metadata: { name: 'a' } } as ConfigMap);
    const err = await cms()
      .delete('a', { preconditions: { uid: 'other' } })
      .catch((e: unknown) => e);
    expect(hasReason(err, 'Conflict')).toBe(true);
    expect(stored('a')).toBeDefined();
  });

  it('a namespace with spec.finalizers is Terminating until finalize empties them', async () => {
    server.put('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team' },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    } as Namespace);
    await client.resource(namespaceKind).delete('team');
    const ns = server.stored<Namespace>('namespaces')[0]!;
    expect(ns.status?.phase).toBe('Terminating');
    expect(ns.metadata.deletionTimestamp).toBeDefined();
    await client.finalizeNamespace({ ...ns, spec: { finalizers: [] } });
    expect(server.stored('namespaces')).toEqual([]);
  });
});
