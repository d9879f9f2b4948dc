import type { PodSpec } from '@kubeling/api';
import { CycleState } from '../../framework/interface';
import { infos, makeNode, makePod } from '../../testing/fixtures';
import { NodeAffinity } from '.';

const required = (expr: object): Partial<PodSpec> =>
  ({
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [expr] }],
        },
      },
    },
  }) as Partial<PodSpec>;

describe('NodeAffinity filter', () => {
  const node = infos([
    makeNode('node1', { labels: { hostname: 'node1', cores: '8', zone: 'a' } }),
  ])[0]!;
  it.each<[string, Partial<PodSpec>, string]>([
    ['no constraints', {}, 'Success'],
    ['nodeSelector hostname: node1', { nodeSelector: { hostname: 'node1' } }, 'Success'],
    [
      'nodeSelector hostname: node2',
      { nodeSelector: { hostname: 'node2' } },
      'UnschedulableAndUnresolvable',
    ],
    ['In', required({ key: 'zone', operator: 'In', values: ['a', 'b'] }), 'Success'],
    [
      'NotIn',
      required({ key: 'zone', operator: 'NotIn', values: ['a'] }),
      'UnschedulableAndUnresolvable',
    ],
    ['Exists', required({ key: 'zone', operator: 'Exists' }), 'Success'],
    [
      'DoesNotExist',
      required({ key: 'zone', operator: 'DoesNotExist' }),
      'UnschedulableAndUnresolvable',
    ],
    ['Gt', required({ key: 'cores', operator: 'Gt', values: ['4'] }), 'Success'],
    [
      'Lt',
      required({ key: 'cores', operator: 'Lt', values: ['4'] }),
      'UnschedulableAndUnresolvable',
    ],
  ])('%s', (_n, spec, code) => {
    const s = new NodeAffinity().filter(new CycleState(), makePod('p', { spec }), node);
    expect(s.code).toBe(code);
    if (code !== 'Success')
      expect(s.reasons).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
  });

  it('addedAffinity (args) applies to every pod', () => {
    const pl = new NodeAffinity({
      addedAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
          ],
        },
      },
    });
    expect(pl.filter(new CycleState(), makePod('p'), node).reasons).toEqual([
      "node(s) didn't match scheduler-enforced node affinity",
    ]);
  });

  it('PreFilter narrows to the names of matchFields metadata.name In', () => {
    const pod = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] },
              ],
            },
          },
        },
      },
    });
    expect(new NodeAffinity().preFilter(new CycleState(), pod)).toEqual({
      nodeNames: new Set(['a', 'b']),
    });
  });
});

describe('NodeAffinity score', () => {
  it('sums the weights of matching preferred terms, normalized to 100', () => {
    const nodes = infos([
      makeNode('a', { labels: { zone: 'a', disk: 'ssd' } }),
      makeNode('b', { labels: { zone: 'b' } }),
      makeNode('c'),
    ]);
    const pod = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 20,
                preference: {
                  matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }],
                },
              },
              {
                weight: 60,
                preference: {
                  matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }],
                },
              },
            ],
          },
        },
      },
    });
    const pl = new NodeAffinity();
    const scores = nodes.map((n) => ({ name: n.name, score: pl.score(new CycleState(), pod, n) }));
    expect(scores.map((s) => s.score)).toEqual([80, 20, 0]);
    pl.normalizeScore(new CycleState(), pod, scores);
    expect(scores.map((s) => s.score)).toEqual([100, 25, 0]);
  });
});
