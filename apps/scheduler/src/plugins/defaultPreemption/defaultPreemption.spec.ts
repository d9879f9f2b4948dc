import { CycleState } from '../../framework/interface';
import type { Status } from '../../framework/status';
import { infos, makeNode, makePod, testHandle } from '../../testing/fixtures';
import { DefaultPreemption } from '.';

describe('DefaultPreemption victim choice', () => {
  const setup = () => {
    const nodes = infos(
      [makeNode('n1', { cpu: '4' }), makeNode('n2', { cpu: '4' })],
      [
        makePod('n1-low', { cpu: '2', priority: 1, nodeName: 'n1' }),
        makePod('n1-mid', { cpu: '2', priority: 50, nodeName: 'n1' }),
        makePod('n2-a', { cpu: '1', priority: 10, nodeName: 'n2' }),
        makePod('n2-b', { cpu: '1', priority: 10, nodeName: 'n2' }),
        makePod('n2-c', { cpu: '2', priority: 10, nodeName: 'n2' }),
      ],
    );
    return { nodes, pl: new DefaultPreemption(testHandle(nodes)) };
  };
  const insufficient = (): Map<string, Status> =>
    new Map([
      ['n1', { code: 'Unschedulable', reasons: ['Insufficient cpu'] }],
      ['n2', { code: 'Unschedulable', reasons: ['Insufficient cpu'] }],
    ]);

  it('keeps the most important pods and evicts only what makes room', () => {
    const { nodes, pl } = setup();
    const r = pl.selectVictimsOnNode(
      makePod('hi', { cpu: '2', priority: 100 }),
      nodes[0]!,
      testHandle(nodes).snapshot(),
    );
    expect('victims' in r && r.victims.map((v) => v.metadata.name)).toEqual(['n1-low']);
  });

  it('picks the node whose most important victim is least important', async () => {
    const { pl } = setup();
    // n1 needs n1-low (priority 1); n2 needs n2-c (10) or two of a/b: n1 wins.
    const r = await pl.postFilter(
      new CycleState(),
      makePod('hi', { cpu: '2', priority: 100 }),
      insufficient(),
    );
    expect(r).toEqual({ status: { code: 'Success', reasons: [] }, nominatedNodeName: 'n1' });
  });

  it('fewest victims among equal priorities', () => {
    const { nodes, pl } = setup();
    const r = pl.selectVictimsOnNode(
      makePod('hi', { cpu: '2', priority: 20 }),
      nodes[1]!,
      testHandle(nodes).snapshot(),
    );
    expect('victims' in r && r.victims.map((v) => v.metadata.name)).toHaveLength(1);
  });

  it('no lower-priority pods: no victims; unresolvable nodes: not helpful', async () => {
    const { pl } = setup();
    const filtered = insufficient();
    filtered.set('n2', { code: 'UnschedulableAndUnresolvable', reasons: ['x'] });
    const r = await pl.postFilter(
      new CycleState(),
      makePod('p', { cpu: '2', priority: 0 }),
      filtered,
    );
    expect(r.status.reasons).toEqual([
      'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    ]);
  });

  it('preemptionPolicy Never', async () => {
    const { pl } = setup();
    const r = await pl.postFilter(
      new CycleState(),
      makePod('p', { priority: 100, spec: { preemptionPolicy: 'Never' } }),
      insufficient(),
    );
    expect(r.status.reasons).toEqual(['preemption: not eligible due to preemptionPolicy=Never.']);
  });
});
