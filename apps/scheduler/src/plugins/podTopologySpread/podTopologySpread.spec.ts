import type { Pod, TopologySpreadConstraint } from '@kubeling/api';
import { CycleState } from '../../framework/interface';
import { infos, makeNode, makePod, testHandle } from '../../testing/fixtures';
import { PodTopologySpread } from '.';

const constraint = (c: Partial<TopologySpreadConstraint>): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: 'zone',
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app: 'web' } },
  ...c,
});
const web = (name: string, nodeName: string) => makePod(name, { labels: { app: 'web' }, nodeName });

function run(c: TopologySpreadConstraint, existing: Pod[]) {
  const nodes = infos(
    [
      makeNode('a1', { labels: { zone: 'a' } }),
      makeNode('a2', { labels: { zone: 'a' } }),
      makeNode('b1', { labels: { zone: 'b' } }),
      makeNode('x'),
    ],
    existing,
  );
  const pl = new PodTopologySpread(testHandle(nodes));
  const s = new CycleState();
  const pod = makePod('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [c] } });
  pl.preFilter(s, pod);
  return Object.fromEntries(
    nodes.map((n) => [n.name, pl.filter(s, pod, n).reasons.join() || 'Success']),
  );
}

const skew = "node(s) didn't match pod topology spread constraints";
const missing = "node(s) didn't match pod topology spread constraints (missing required label)";

describe('PodTopologySpread filter', () => {
  it('maxSkew 1: the pod goes to the emptier zone', () => {
    expect(run(constraint({}), [web('w1', 'a1')])).toEqual({
      a1: skew,
      a2: skew,
      b1: 'Success',
      x: missing,
    });
  });
  it('balanced zones: either', () => {
    expect(run(constraint({}), [web('w1', 'a1'), web('w2', 'b1')])).toEqual({
      a1: 'Success',
      a2: 'Success',
      b1: 'Success',
      x: missing,
    });
  });
  it('maxSkew 2 allows more imbalance', () => {
    expect(run(constraint({ maxSkew: 2 }), [web('w1', 'a1')]).a1).toBe('Success');
  });
  it('minDomains above the number of domains counts the global minimum as 0', () => {
    // Two zones exist, minDomains 3: min is 0, so a zone with 1 pod is at skew 2 > 1.
    expect(run(constraint({ minDomains: 3 }), [web('w1', 'a1'), web('w2', 'b1')])).toEqual({
      a1: skew,
      a2: skew,
      b1: skew,
      x: missing,
    });
  });
  it('ScheduleAnyway does not filter', () => {
    const nodes = infos([makeNode('a1', { labels: { zone: 'a' } })]);
    const pl = new PodTopologySpread(testHandle(nodes));
    const s = new CycleState();
    const pod = makePod('p', {
      labels: { app: 'web' },
      spec: { topologySpreadConstraints: [constraint({ whenUnsatisfiable: 'ScheduleAnyway' })] },
    });
    pl.preFilter(s, pod);
    expect(s.skipFilter.has('PodTopologySpread')).toBe(true);
  });
});

describe('PodTopologySpread score', () => {
  it('ScheduleAnyway prefers the emptier domain', () => {
    const nodes = infos(
      [makeNode('a1', { labels: { zone: 'a' } }), makeNode('b1', { labels: { zone: 'b' } })],
      [web('w1', 'a1'), web('w2', 'a1')],
    );
    const pl = new PodTopologySpread(testHandle(nodes));
    const s = new CycleState();
    const pod = makePod('p', {
      labels: { app: 'web' },
      spec: { topologySpreadConstraints: [constraint({ whenUnsatisfiable: 'ScheduleAnyway' })] },
    });
    pl.preScore(s, pod);
    const scores = nodes.map((n) => ({ name: n.name, score: pl.score(s, pod, n) }));
    pl.normalizeScore(s, pod, scores);
    expect(scores[1]!.score).toBe(100);
    expect(scores[0]!.score).toBeLessThan(100);
  });
});
