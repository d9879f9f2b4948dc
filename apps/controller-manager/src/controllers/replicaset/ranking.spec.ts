import type { Pod } from '@kubeling/api';
import { rfc3339 } from '@kubeling/api';
import { podsToDelete } from './ranking';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => rfc3339(NOW - s * 1000);

interface P {
  name: string;
  node?: string;
  phase?: string;
  readySince?: number; // seconds ago; undefined = not ready
  restarts?: number;
  created?: number; // seconds ago
  cost?: string;
}
const pod = (p: P): Pod =>
  ({
    metadata: {
      name: p.name,
      uid: p.name,
      creationTimestamp: ago(p.created ?? 1000),
      ...(p.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': p.cost } } : {}),
    },
    spec: { containers: [], ...(p.node ? { nodeName: p.node } : {}) },
    status: {
      phase: p.phase ?? 'Running',
      conditions:
        p.readySince === undefined
          ? []
          : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(p.readySince) }],
      containerStatuses: [{ name: 'c', restartCount: p.restarts ?? 0 }],
    },
  }) as unknown as Pod;

const firstOf = (pods: P[]) => {
  const all = pods.map(pod);
  return podsToDelete(all, all, 1, NOW)[0]?.metadata.name;
};

describe('which pod a ReplicaSet deletes first', () => {
  it.each<[string, P[], string]>([
    [
      'unscheduled before scheduled',
      [
        { name: 'a', node: 'n', readySince: 100 },
        { name: 'b', phase: 'Pending' },
      ],
      'b',
    ],
    [
      'Pending before Unknown before Running',
      [
        { name: 'r', node: 'n', phase: 'Running' },
        { name: 'u', node: 'n', phase: 'Unknown' },
        { name: 'p', node: 'n', phase: 'Pending' },
      ],
      'p',
    ],
    [
      'Unknown before Running',
      [
        { name: 'r', node: 'n', phase: 'Running' },
        { name: 'u', node: 'n', phase: 'Unknown' },
      ],
      'u',
    ],
    [
      'not ready before ready',
      [
        { name: 'ready', node: 'n', readySince: 10 },
        { name: 'notready', node: 'n' },
      ],
      'notready',
    ],
    [
      'lower deletion cost first',
      [
        { name: 'cheap', node: 'n', readySince: 5, cost: '-10' },
        { name: 'dear', node: 'n', readySince: 5 },
      ],
      'cheap',
    ],
    [
      'doubled up on a node first',
      [
        { name: 'alone', node: 'n1', readySince: 5 },
        { name: 'x', node: 'n2', readySince: 5 },
        { name: 'y', node: 'n2', readySince: 10_000 },
      ],
      'x',
    ],
    // Ready 10 s vs 10,000 s ago: different log2 buckets → the more recently ready goes first.
    [
      'ready for less time first',
      [
        { name: 'old', node: 'n', readySince: 10_000 },
        { name: 'new', node: 'n', readySince: 10 },
      ],
      'new',
    ],
    [
      'more restarts first',
      [
        { name: 'calm', node: 'n', readySince: 100 },
        { name: 'crashy', node: 'n', readySince: 100, restarts: 5 },
      ],
      'crashy',
    ],
    [
      'newer first',
      [
        { name: 'older', node: 'n', readySince: 100, created: 20_000 },
        { name: 'newer', node: 'n', readySince: 100, created: 20 },
      ],
      'newer',
    ],
  ])('%s', (_what, pods, want) => {
    expect(firstOf(pods)).toBe(want);
    expect(firstOf([...pods].reverse())).toBe(want);
  });

  it('takes all when asked for all, and `diff` of them otherwise', () => {
    const all = [
      pod({ name: 'a', node: 'n', readySince: 1 }),
      pod({ name: 'b' }),
      pod({ name: 'c', node: 'n' }),
    ];
    expect(podsToDelete(all, all, 3, NOW)).toHaveLength(3);
    expect(podsToDelete(all, all, 2, NOW).map((p) => p.metadata.name)).toEqual(['b', 'c']);
  });
});
