import { makeNode, makePod } from '../testing/fixtures';
import { SchedulerCache } from './cache';

describe('SchedulerCache', () => {
  it('assumed pods count on their node until forgotten', () => {
    const c = new SchedulerCache();
    c.addNode(makeNode('n1', { cpu: '2' }));
    const p = makePod('a', { cpu: '500m', nodeName: 'n1' });
    c.assumePod(p);
    expect(c.get('n1')!.requested.cpu).toBe(500);
    expect(c.isAssumed(p)).toBe(true);
    expect(() => c.assumePod(p)).toThrow(/can't be assumed/);
    c.forgetPod(p);
    expect(c.get('n1')!.requested.cpu).toBe(0);
    expect(c.get('n1')!.pods.size).toBe(0);
  });

  it('the informer add confirms an assumed pod without counting it twice', () => {
    const c = new SchedulerCache();
    c.addNode(makeNode('n1'));
    const p = makePod('a', { cpu: '1', nodeName: 'n1' });
    c.assumePod(p);
    c.addPod(p);
    expect(c.isAssumed(p)).toBe(false);
    expect(c.get('n1')!.requested.cpu).toBe(1000);
    c.forgetPod(p); // a confirmed pod is not forgotten
    expect(c.get('n1')!.pods.size).toBe(1);
    c.removePod(p);
    expect(c.get('n1')!.requested.cpu).toBe(0);
  });

  it('pods seen before their node are kept; removing a node with pods hides it', () => {
    const c = new SchedulerCache();
    c.addPod(makePod('a', { cpu: '1', nodeName: 'n1' }));
    expect(c.nodes).toHaveLength(0);
    c.addNode(makeNode('n1'));
    expect(c.nodes.map((n) => n.name)).toEqual(['n1']);
    expect(c.get('n1')!.requested.cpu).toBe(1000);
    c.removeNode(makeNode('n1'));
    expect(c.nodes).toHaveLength(0);
    expect(c.get('n1')).toBeUndefined();
  });
});
