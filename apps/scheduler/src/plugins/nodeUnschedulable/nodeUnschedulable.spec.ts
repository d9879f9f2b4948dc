import { CycleState } from '../../framework/interface';
import { infos, makeNode, makePod } from '../../testing/fixtures';
import { NodeUnschedulable } from '.';

describe('NodeUnschedulable', () => {
  it.each([
    ['schedulable node', false, [], 'Success'],
    ['cordoned node', true, [], 'UnschedulableAndUnresolvable'],
    [
      'cordoned, pod tolerates',
      true,
      [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      'Success',
    ],
  ])('%s', (_n, unschedulable, tolerations, code) => {
    const [node] = infos([makeNode('n', { unschedulable })]);
    const s = new NodeUnschedulable().filter(
      new CycleState(),
      makePod('p', { spec: { tolerations } }),
      node!,
    );
    expect(s.code).toBe(code);
    if (code !== 'Success') expect(s.reasons).toEqual(['node(s) were unschedulable']);
  });
});
