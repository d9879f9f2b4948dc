import type { KubeObject, OwnerReference } from '@kubeling/api';
import { nodeKind, replicaSetKind } from '@kubeling/api';
import type { DeletedFinalStateUnknown, EventHandler } from '../informer/listener';
import { getControllerOf, newControllerRef, refersToKind } from './controllerRef';
import { enqueueObject, enqueueOwner, filteringHandler } from './handlers';

const rs = (name: string, uid = `uid-${name}`): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'ns', uid },
});

function child(name: string, ...refs: OwnerReference[]): KubeObject {
  return { metadata: { name, namespace: 'ns', ownerReferences: refs } };
}

const tombstone = (obj: KubeObject): DeletedFinalStateUnknown<KubeObject> => ({
  kind: 'DeletedFinalStateUnknown',
  key: `ns/${obj.metadata.name}`,
  obj,
});

describe('controller references', () => {
  it('newControllerRef points at the owner as its controller, blocking its deletion', async () => {
    expect(newControllerRef(rs('a'), replicaSetKind)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'a',
      uid: 'uid-a',
      controller: true,
      blockOwnerDeletion: true,
    });
  });

  it('getControllerOf picks the controller: true reference only', async () => {
    const plain = { ...newControllerRef(rs('x'), replicaSetKind), controller: false };
    const ctl = newControllerRef(rs('y'), replicaSetKind);
    expect(getControllerOf(child('p', plain, ctl))?.name).toBe('y');
    expect(getControllerOf(child('p', plain))).toBeUndefined();
    expect(getControllerOf({ metadata: { name: 'p' } })).toBeUndefined();
  });

  it('refersToKind compares group and kind, not version', async () => {
    expect(refersToKind({ apiVersion: 'apps/v1beta2', kind: 'ReplicaSet' }, replicaSetKind)).toBe(
      true,
    );
    expect(refersToKind({ apiVersion: 'extensions/v1', kind: 'ReplicaSet' }, replicaSetKind)).toBe(
      false,
    );
    expect(refersToKind({ apiVersion: 'v1', kind: 'Node' }, nodeKind)).toBe(true);
  });
});

describe('enqueueObject', () => {
  it('enqueues the object key on add, update and delete (tombstones too)', async () => {
    const keys: string[] = [];
    const h = enqueueObject<KubeObject>((k) => keys.push(k));
    await h.onAdd?.(rs('a'), false);
    await h.onUpdate?.(rs('a'), rs('b'));
    await h.onDelete?.(tombstone(rs('c')));
    expect(keys).toEqual(['ns/a', 'ns/b', 'ns/c']);
  });
});

describe('enqueueOwner', () => {
  const setup = (getOwner?: (ns: string | undefined, name: string) => KubeObject | undefined) => {
    const keys: string[] = [];
    const h = enqueueOwner<KubeObject>({
      ownerKind: replicaSetKind,
      enqueue: (k) => keys.push(k),
      ...(getOwner ? { getOwner } : {}),
    });
    return { keys, h };
  };
  const ref = (name: string) => newControllerRef(rs(name), replicaSetKind);

  it('enqueues the controller owner of the kind, ignoring other kinds and plain owners', async () => {
    const { keys, h } = setup();
    await h.onAdd?.(child('p1', ref('a')), false);
    await h.onAdd?.(child('p2', { ...ref('b'), controller: false }), false);
    await h.onAdd?.(child('p3', { ...ref('c'), kind: 'Deployment' }), false);
    await h.onAdd?.(child('p4'), false);
    await h.onDelete?.(tombstone(child('p5', ref('d'))));
    expect(keys).toEqual(['ns/a', 'ns/d']);
  });

  it('on a changed controllerRef enqueues both the old and the new owner', async () => {
    const { keys, h } = setup();
    await h.onUpdate?.(child('p', ref('old')), child('p', ref('new')));
    expect(keys).toEqual(['ns/old', 'ns/new']);
    keys.length = 0;
    await h.onUpdate?.(child('p', ref('a')), child('p')); // released: the old owner only
    await h.onUpdate?.(child('p'), child('p', ref('b'))); // adopted: the new one
    await h.onUpdate?.(child('p', ref('c')), child('p', ref('c'))); // unchanged: once
    expect(keys).toEqual(['ns/a', 'ns/b', 'ns/c']);
  });

  it('with getOwner, ignores references to an owner that is not cached or has another uid', async () => {
    const cached = new Map([['ns/a', rs('a')]]);
    const { keys, h } = setup((ns, name) => cached.get(`${ns}/${name}`));
    await h.onAdd?.(child('p1', ref('a')), false);
    await h.onAdd?.(child('p2', { ...ref('a'), uid: 'uid-of-a-deleted-earlier' }), false);
    await h.onAdd?.(child('p3', ref('missing')), false);
    expect(keys).toEqual(['ns/a']);
  });

  it('a cluster-scoped owner is keyed by name alone', async () => {
    const keys: string[] = [];
    const h = enqueueOwner<KubeObject>({ ownerKind: nodeKind, enqueue: (k) => keys.push(k) });
    const node: KubeObject = { metadata: { name: 'node-1', uid: 'n1' } };
    await h.onAdd?.(child('cm', newControllerRef(node, nodeKind)), false);
    expect(keys).toEqual(['node-1']);
  });
});

describe('filteringHandler', () => {
  type O = { name: string; on: boolean };
  const calls: string[] = [];
  const inner: EventHandler<O> = {
    onAdd: (o, initial) => void calls.push(`add ${o.name} ${initial}`),
    onUpdate: (a, b) => void calls.push(`update ${a.name}->${b.name}`),
    onDelete: (o) => void calls.push(`delete ${'obj' in o ? `tombstone ${o.obj.name}` : o.name}`),
  };
  const h = filteringHandler<O>((o) => o.on, inner);
  beforeEach(() => (calls.length = 0));

  it('passes what matches, drops what does not', async () => {
    await h.onAdd?.({ name: 'a', on: true }, true);
    await h.onAdd?.({ name: 'b', on: false }, true);
    await h.onDelete?.({ name: 'c', on: false });
    await h.onDelete?.({ name: 'd', on: true });
    await h.onDelete?.({
      kind: 'DeletedFinalStateUnknown',
      key: 'e',
      obj: { name: 'e', on: true },
    });
    expect(calls).toEqual(['add a true', 'delete d', 'delete tombstone e']);
  });

  it('turns an update into an add or a delete when the filter result changes', async () => {
    await h.onUpdate?.({ name: 'x1', on: true }, { name: 'x2', on: true });
    await h.onUpdate?.({ name: 'y1', on: false }, { name: 'y2', on: true });
    await h.onUpdate?.({ name: 'z1', on: true }, { name: 'z2', on: false });
    await h.onUpdate?.({ name: 'w1', on: false }, { name: 'w2', on: false });
    expect(calls).toEqual(['update x1->x2', 'add y2 false', 'delete z1']);
  });
});
