import { CycleState } from '../../framework/interface';
import { infos, makeNode, makePod } from '../../testing/fixtures';
import { NodeResourcesFit } from '.';

describe('NodeResourcesFit filter', () => {
  it.each<[string, object, string[]]>([
    ['fits', { cpu: '1', memory: '1Gi' }, []],
    ['cpu', { cpu: '3' }, ['Insufficient cpu']],
    ['cpu and memory', { cpu: '3', memory: '10Gi' }, ['Insufficient cpu', 'Insufficient memory']],
    ['exactly the rest', { cpu: '2' }, []],
  ])('%s', (_n, req, reasons) => {
    // 4 cpu, 8Gi; 2 cpu already requested by a bound pod.
    const [node] = infos([makeNode('n')], [makePod('bound', { cpu: '2', nodeName: 'n' })]);
    const s = new NodeResourcesFit().filter(new CycleState(), makePod('p', req), node!);
    expect(s.reasons).toEqual(reasons);
    expect(s.code).toBe(reasons.length ? 'Unschedulable' : 'Success');
  });

  it('Too many pods', () => {
    const [node] = infos([makeNode('n', { pods: '1' })], [makePod('bound', { nodeName: 'n' })]);
    expect(new NodeResourcesFit().filter(new CycleState(), makePod('p'), node!).reasons).toEqual([
      'Too many pods',
    ]);
  });

  it('ephemeral-storage, extended resources, init containers and overhead count', () => {
    const [node] = infos([
      makeNode('n', { extra: { 'ephemeral-storage': '1Gi', 'example.com/gpu': '1' } }),
    ]);
    const pod = makePod('p');
    pod.spec.containers[0]!.resources = {
      requests: { 'ephemeral-storage': '2Gi', 'example.com/gpu': '2' },
    };
    pod.spec.initContainers = [{ name: 'i', image: 'x', resources: { requests: { cpu: '5' } } }];
    expect(new NodeResourcesFit().filter(new CycleState(), pod, node!).reasons).toEqual([
      'Insufficient cpu',
      'Insufficient ephemeral-storage',
      'Insufficient example.com/gpu',
    ]);
    const small = makePod('q', { cpu: '3', spec: { overhead: { cpu: '2' } } });
    expect(new NodeResourcesFit().filter(new CycleState(), small, node!).reasons).toEqual([
      'Insufficient cpu',
    ]);
    expect(
      new NodeResourcesFit({ ignoredResources: ['example.com/gpu'] }).filter(
        new CycleState(),
        makePod('r'),
        node!,
      ).code,
    ).toBe('Success');
  });
});

describe('NodeResourcesFit score', () => {
  // node a: 4 cpu / 8Gi, 3 cpu used; node b: empty. Pod asks 1 cpu, 1Gi.
  const nodes = () =>
    infos(
      [makeNode('a'), makeNode('b')],
      [makePod('x', { cpu: '3', memory: '1Gi', nodeName: 'a' })],
    );
  const pod = makePod('p', { cpu: '1', memory: '1Gi' });
  it.each<[string, object, number[]]>([
    // a: cpu (4-4)/4=0, mem (8-2)/8=75 → 37; b: cpu 75, mem 87 → 81
    ['LeastAllocated (default)', {}, [37, 81]],
    ['MostAllocated', { scoringStrategy: { type: 'MostAllocated' } }, [62, 18]],
    [
      'RequestedToCapacityRatio (bin packing shape)',
      {
        scoringStrategy: {
          type: 'RequestedToCapacityRatio',
          requestedToCapacityRatio: {
            shape: [
              { utilization: 0, score: 0 },
              { utilization: 100, score: 10 },
            ],
          },
        },
      },
      [62, 18],
    ],
  ])('%s', (_n, args, want) => {
    const pl = new NodeResourcesFit(args);
    const s = new CycleState();
    expect(nodes().map((n) => pl.score(s, pod, n))).toEqual(want);
  });
});
