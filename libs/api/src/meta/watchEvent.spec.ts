import type { KubeObject } from './objectMeta';
import { watchEventFor } from './watchEvent';

function pod(node: string, rv: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', resourceVersion: rv },
    spec: { nodeName: node },
  } as KubeObject;
}
const onNodeA = (o: KubeObject) => (o as { spec?: { nodeName?: string } }).spec?.nodeName === 'a';

describe('watchEventFor (the cacher rule)', () => {
  it('ADDED when the new state enters the selection, nothing when it does not', () => {
    expect(watchEventFor({ type: 'ADDED', object: pod('a', '2') }, onNodeA)?.type).toBe('ADDED');
    expect(watchEventFor({ type: 'ADDED', object: pod('b', '2') }, onNodeA)).toBeUndefined();
    // bound to the watched node: enters the selection
    const bound = { type: 'MODIFIED' as const, object: pod('a', '3'), prevObject: pod('', '2') };
    expect(watchEventFor(bound, onNodeA)).toEqual({ type: 'ADDED', object: bound.object });
  });

  it('MODIFIED while inside, nothing while outside', () => {
    const inside = { type: 'MODIFIED' as const, object: pod('a', '3'), prevObject: pod('a', '2') };
    expect(watchEventFor(inside, onNodeA)?.type).toBe('MODIFIED');
    const outside = { type: 'MODIFIED' as const, object: pod('b', '3'), prevObject: pod('c', '2') };
    expect(watchEventFor(outside, onNodeA)).toBeUndefined();
  });

  it('DELETED with the previous content at the new resourceVersion when it leaves', () => {
    const prev = pod('a', '2');
    const ev = watchEventFor(
      { type: 'MODIFIED', object: pod('b', '3'), prevObject: prev },
      onNodeA,
    );
    expect(ev?.type).toBe('DELETED');
    expect(ev?.object).toMatchObject({
      spec: { nodeName: 'a' },
      metadata: { resourceVersion: '3' },
    });
    expect(prev.metadata.resourceVersion).toBe('2'); // shared state untouched
  });

  it('DELETED only to watchers that had the object, with or without a separate previous state', () => {
    const gone = pod('a', '4');
    expect(watchEventFor({ type: 'DELETED', object: gone }, onNodeA)).toEqual({
      type: 'DELETED',
      object: gone,
    });
    expect(watchEventFor({ type: 'DELETED', object: pod('b', '4') }, onNodeA)).toBeUndefined();
    expect(
      watchEventFor({ type: 'DELETED', object: gone, prevObject: pod('a', '3') }, onNodeA)?.type,
    ).toBe('DELETED');
  });
});
