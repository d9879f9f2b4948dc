import type { Deployment, ReplicaSet } from '@kubeling/api';
import {
  lastRevision,
  maxRevision,
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  setNewReplicaSetAnnotations,
} from './annotations';

const d = (annotations: Record<string, string>): Deployment =>
  ({ metadata: { name: 'web', annotations }, spec: { replicas: 3 } }) as unknown as Deployment;
const rs = (revision?: string, extra: Record<string, string> = {}): ReplicaSet =>
  ({
    metadata: {
      annotations: { ...(revision ? { [RevisionAnnotation]: revision } : {}), ...extra },
    },
    spec: {},
  }) as unknown as ReplicaSet;

describe('Deployment annotations', () => {
  it('copies change-cause and the like, never revision or last-applied', () => {
    const target = rs();
    setNewReplicaSetAnnotations(
      d({
        'kubernetes.io/change-cause': 'kubectl set image',
        [RevisionAnnotation]: '9',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      }),
      target,
      1,
      false,
      1,
    );
    expect(target.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'kubectl set image',
      [RevisionAnnotation]: '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  it('a ReplicaSet that becomes new again keeps its old revisions in revision-history', () => {
    const target = rs('1');
    expect(setNewReplicaSetAnnotations(d({}), target, 3, true, 0)).toBe(true);
    expect(target.metadata.annotations?.[RevisionAnnotation]).toBe('3');
    expect(target.metadata.annotations?.[RevisionHistoryAnnotation]).toBe('1');
    setNewReplicaSetAnnotations(d({}), target, 5, true, 0);
    expect(target.metadata.annotations?.[RevisionHistoryAnnotation]).toBe('1,3');
    // A lower revision never replaces a higher one.
    expect(setNewReplicaSetAnnotations(d({}), target, 4, true, 0)).toBe(false);
  });

  it('max and last revision', () => {
    const all = [rs('1'), rs('4'), rs('x'), rs(), rs('3')];
    expect(maxRevision(all)).toBe(4);
    expect(lastRevision(all)).toBe(3);
  });
});
