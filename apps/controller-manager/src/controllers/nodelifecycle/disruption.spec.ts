import type { Node } from '@kubeling/api';
import { noExecutePolicy, zoneState } from './disruption';

const node = (name: string, ready: boolean, zone?: string): Node =>
  ({
    metadata: { name, ...(zone ? { labels: { 'topology.kubernetes.io/zone': zone } } : {}) },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] },
  }) as unknown as Node;

const opts = { unhealthyZoneThreshold: 0.55, largeClusterSizeThreshold: 50 };

describe('zone disruption (ComputeZoneState)', () => {
  it.each([
    [[true, true, true], 'Normal'],
    [[false, true, true], 'Normal'],
    [[false, false, true], 'Normal'], // only 2 not ready: never partial
    [[false, false, false, true], 'PartialDisruption'], // 3 of 4
    [[false, false, false, true, true, true], 'Normal'], // 3 of 6 < 0.55
    [[false], 'FullDisruption'],
    [[false, false], 'FullDisruption'],
  ])('%j → %s', (ready, state) => {
    expect(
      zoneState(
        ready.map((r, i) => node(`n${i}`, r)),
        0.55,
      ),
    ).toBe(state);
  });
});

describe('noExecutePolicy', () => {
  it('taints in a normal zone', () => {
    const nodes = [node('a', false), node('b', true)];
    expect(noExecutePolicy(nodes[0]!, nodes, opts)).toBe('taint');
  });
  it('removes NoExecute taints when every zone is fully disrupted', () => {
    const nodes = [node('a', false, 'z1'), node('b', false, 'z2')];
    expect(noExecutePolicy(nodes[0]!, nodes, opts)).toBe('none');
  });
  it('taints in a fully disrupted zone while another zone is healthy', () => {
    const nodes = [node('a', false, 'z1'), node('b', true, 'z2')];
    expect(noExecutePolicy(nodes[0]!, nodes, opts)).toBe('taint');
  });
  it('adds no taint in a partially disrupted small zone, but does in a large one', () => {
    const small = [node('a', false), node('b', false), node('c', false), node('d', true)];
    expect(noExecutePolicy(small[0]!, small, opts)).toBe('keep');
    expect(noExecutePolicy(small[0]!, small, { ...opts, largeClusterSizeThreshold: 3 })).toBe(
      'taint',
    );
  });
});
