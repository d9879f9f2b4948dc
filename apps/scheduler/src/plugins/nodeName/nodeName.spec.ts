import { CycleState } from '../../framework/interface';
import { infos, makeNode, makePod } from '../../testing/fixtures';
import { NodeName } from '.';

describe('NodeName', () => {
  it.each([
    [undefined, 'Success'],
    ['n', 'Success'],
    ['other', 'UnschedulableAndUnresolvable'],
  ])('spec.nodeName %s', (nodeName, code) => {
    const [node] = infos([makeNode('n')]);
    const pod = makePod('p');
    if (nodeName) pod.spec.nodeName = nodeName;
    const s = new NodeName().filter(new CycleState(), pod, node!);
    expect(s.code).toBe(code);
    if (code !== 'Success')
      expect(s.reasons).toEqual(["node(s) didn't match the requested node name"]);
  });
});
