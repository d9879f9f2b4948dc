import type { Toleration } from './affinity';
import type { Taint } from './node';
import { findMatchingUntoleratedTaint, toleratesTaint, tolerationsTolerateTaint } from './taints';

const taint: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  it.each<[string, Toleration, boolean]>([
    [
      'equal key, value and effect',
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      true,
    ],
    [
      'Equal is the default operator',
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      true,
    ],
    ['another value', { key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }, false],
    ['another effect', { key: 'dedicated', value: 'gpu', effect: 'NoExecute' }, false],
    ['no effect matches every effect', { key: 'dedicated', value: 'gpu' }, true],
    [
      'Exists ignores the value',
      { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' },
      true,
    ],
    ['Exists with another key', { key: 'other', operator: 'Exists' }, false],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, true],
  ])('%s', (_name, toleration, want) => {
    expect(toleratesTaint(toleration, taint)).toBe(want);
  });
});

describe('findMatchingUntoleratedTaint', () => {
  const taints: Taint[] = [
    { key: 'a', effect: 'PreferNoSchedule' },
    { key: 'b', effect: 'NoSchedule' },
    { key: 'c', effect: 'NoExecute' },
  ];
  it('returns the first selected taint no toleration tolerates', () => {
    const hard = (t: Taint) => t.effect === 'NoSchedule' || t.effect === 'NoExecute';
    expect(findMatchingUntoleratedTaint(taints, [], hard)).toEqual(taints[1]);
    expect(findMatchingUntoleratedTaint(taints, [{ key: 'b', operator: 'Exists' }], hard)).toEqual(
      taints[2],
    );
    expect(findMatchingUntoleratedTaint(taints, [{ operator: 'Exists' }], hard)).toBeUndefined();
    expect(tolerationsTolerateTaint(undefined, taints[0]!)).toBe(false);
  });
});
