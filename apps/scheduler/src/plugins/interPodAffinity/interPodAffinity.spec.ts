import type { Pod, PodAffinityTerm } from '@kubeling/api';
import { CycleState } from '../../framework/interface';
import { infos, makeNode, makePod, testHandle } from '../../testing/fixtures';
import { InterPodAffinity } from '.';

const host = 'kubernetes.io/hostname';
const term = (
  labels: Record<string, string>,
  topologyKey = host,
  extra: Partial<PodAffinityTerm> = {},
): PodAffinityTerm => ({
  labelSelector: { matchLabels: labels },
  topologyKey,
  ...extra,
});
const antiPod = (name: string, t: PodAffinityTerm, nodeName?: string, labels = { app: 'web' }) =>
  makePod(name, {
    labels,
    ...(nodeName ? { nodeName } : {}),
    spec: {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } },
    },
  });
const affPod = (name: string, t: PodAffinityTerm, labels?: Record<string, string>) =>
  makePod(name, {
    ...(labels ? { labels } : {}),
    spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } } },
  });

function run(pod: Pod, existing: Pod[], namespaces: Record<string, Record<string, string>> = {}) {
  const nodes = infos(
    [
      makeNode('n1', { labels: { zone: 'a' } }),
      makeNode('n2', { labels: { zone: 'a' } }),
      makeNode('n3', { labels: { zone: 'b' } }),
    ],
    existing,
  );
  const pl = new InterPodAffinity(testHandle(nodes, namespaces));
  const s = new CycleState();
  pl.preFilter(s, pod, nodes);
  return Object.fromEntries(
    nodes.map((n) => [
      n.name,
      s.skipFilter.has('InterPodAffinity')
        ? 'Success'
        : pl.filter(s, pod, n).reasons.join() || 'Success',
    ]),
  );
}

const web = (name: string, nodeName: string, ns = 'default') =>
  makePod(name, { labels: { app: 'web' }, nodeName, namespace: ns });
const anti = "node(s) didn't match pod anti-affinity rules";
const aff = "node(s) didn't match pod affinity rules";
const existingAnti = "node(s) didn't satisfy existing pods anti-affinity rules";

describe('InterPodAffinity filter', () => {
  it('required anti-affinity on hostname avoids nodes with a matching pod', () => {
    expect(run(antiPod('p', term({ app: 'web' })), [web('w1', 'n1')])).toEqual({
      n1: anti,
      n2: 'Success',
      n3: 'Success',
    });
  });
  it('anti-affinity on zone avoids the whole zone', () => {
    expect(run(antiPod('p', term({ app: 'web' }, 'zone')), [web('w1', 'n1')])).toEqual({
      n1: anti,
      n2: anti,
      n3: 'Success',
    });
  });
  it('an existing pod anti-affinity repels the incoming pod', () => {
    const existing = antiPod('e', term({ app: 'web' }), 'n2', { app: 'db' });
    expect(run(makePod('p', { labels: { app: 'web' } }), [existing])).toEqual({
      n1: 'Success',
      n2: existingAnti,
      n3: 'Success',
    });
  });
  it('required affinity needs a matching pod in the domain', () => {
    expect(run(affPod('p', term({ app: 'web' }, 'zone')), [web('w1', 'n3')])).toEqual({
      n1: aff,
      n2: aff,
      n3: 'Success',
    });
  });
  it('the first pod of a group may match its own affinity', () => {
    expect(run(affPod('p', term({ app: 'web' }), { app: 'web' }), [])).toEqual({
      n1: 'Success',
      n2: 'Success',
      n3: 'Success',
    });
    expect(run(affPod('p', term({ app: 'web' }), { app: 'other' }), [])).toEqual({
      n1: aff,
      n2: aff,
      n3: aff,
    });
  });
  it('namespaces: the pod own namespace by default, a list, or a namespaceSelector', () => {
    const other = [web('w1', 'n1', 'prod')];
    expect(run(antiPod('p', term({ app: 'web' })), other).n1).toBe('Success');
    expect(run(antiPod('p', term({ app: 'web' }, host, { namespaces: ['prod'] })), other).n1).toBe(
      anti,
    );
    expect(
      run(
        antiPod(
          'p',
          term({ app: 'web' }, host, { namespaceSelector: { matchLabels: { env: 'prod' } } }),
        ),
        other,
        { prod: { env: 'prod' } },
      ).n1,
    ).toBe(anti);
    expect(run(antiPod('p', term({ app: 'web' }, host, { namespaceSelector: {} })), other).n1).toBe(
      anti,
    );
  });
});

describe('InterPodAffinity score', () => {
  it('preferred affinity pulls toward the domain of matching pods', () => {
    const nodes = infos(
      [makeNode('n1', { labels: { zone: 'a' } }), makeNode('n3', { labels: { zone: 'b' } })],
      [web('w1', 'n3')],
    );
    const pl = new InterPodAffinity(testHandle(nodes));
    const pod = makePod('p', {
      spec: {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 50, podAffinityTerm: term({ app: 'web' }, 'zone') },
            ],
          },
        },
      },
    });
    const s = new CycleState();
    pl.preScore(s, pod);
    const scores = nodes.map((n) => ({ name: n.name, score: pl.score(s, pod, n) }));
    pl.normalizeScore(s, pod, scores);
    expect(scores).toEqual([
      { name: 'n1', score: 0 },
      { name: 'n3', score: 100 },
    ]);
  });
});
