import type { Taint, Toleration } from '@kubeling/api';
import { CycleState } from '../../framework/interface';
import { infos, makeNode, makePod } from '../../testing/fixtures';
import { TaintToleration } from '.';

const gpu: Taint = { key: 'gpu', value: 'true', effect: 'NoSchedule' };

describe('TaintToleration filter', () => {
  it.each<[string, Taint[], Toleration[], string | undefined]>([
    ['no taints', [], [], undefined],
    ['NoSchedule untolerated', [gpu], [], 'node(s) had untolerated taint {gpu: true}'],
    [
      'NoSchedule tolerated (Equal)',
      [gpu],
      [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
      undefined,
    ],
    ['NoSchedule tolerated (Exists)', [gpu], [{ key: 'gpu', operator: 'Exists' }], undefined],
    [
      'wrong value',
      [gpu],
      [{ key: 'gpu', value: 'false' }],
      'node(s) had untolerated taint {gpu: true}',
    ],
    [
      'NoExecute untolerated',
      [{ key: 'k', effect: 'NoExecute' }],
      [],
      'node(s) had untolerated taint {k: }',
    ],
    ['PreferNoSchedule does not filter', [{ key: 'k', effect: 'PreferNoSchedule' }], [], undefined],
  ])('%s', (_n, taints, tolerations, reason) => {
    const [node] = infos([makeNode('n', { taints })]);
    const s = new TaintToleration().filter(
      new CycleState(),
      makePod('p', { spec: { tolerations } }),
      node!,
    );
    if (reason) expect(s).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [reason] });
    else expect(s.code).toBe('Success');
  });
});

describe('TaintToleration score', () => {
  it('fewer untolerated PreferNoSchedule taints score higher', () => {
    const pref = (key: string): Taint => ({ key, effect: 'PreferNoSchedule' });
    const nodes = infos([
      makeNode('a'),
      makeNode('b', { taints: [pref('x')] }),
      makeNode('c', { taints: [pref('x'), pref('y')] }),
    ]);
    const pod = makePod('p', { spec: { tolerations: [{ key: 'y', operator: 'Exists' }] } });
    const pl = new TaintToleration();
    const scores = nodes.map((n) => ({ name: n.name, score: pl.score(new CycleState(), pod, n) }));
    expect(scores.map((s) => s.score)).toEqual([0, 1, 1]);
    pl.normalizeScore(new CycleState(), pod, scores);
    expect(scores.map((s) => s.score)).toEqual([100, 0, 0]);
  });
});
