import type { NodeSelectorRequirement } from './affinity';
import {
  nodeSelectorMatches,
  nodeSelectorRequirementMatches,
  podMatchesNodeSelectorAndAffinityTerms,
} from './nodeSelector';

const labels = { zone: 'a', cores: '8', disk: 'ssd' };
const node = { metadata: { name: 'node-1', labels } };

describe('nodeSelectorRequirementMatches', () => {
  it.each<[NodeSelectorRequirement, boolean]>([
    [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, true],
    [{ key: 'zone', operator: 'In', values: ['b'] }, false],
    [{ key: 'zone', operator: 'NotIn', values: ['b'] }, true],
    [{ key: 'missing', operator: 'NotIn', values: ['b'] }, true],
    [{ key: 'zone', operator: 'NotIn', values: ['a'] }, false],
    [{ key: 'zone', operator: 'Exists' }, true],
    [{ key: 'missing', operator: 'Exists' }, false],
    [{ key: 'missing', operator: 'DoesNotExist' }, true],
    [{ key: 'zone', operator: 'DoesNotExist' }, false],
    [{ key: 'cores', operator: 'Gt', values: ['4'] }, true],
    [{ key: 'cores', operator: 'Gt', values: ['8'] }, false],
    [{ key: 'cores', operator: 'Lt', values: ['16'] }, true],
    [{ key: 'cores', operator: 'Lt', values: ['8'] }, false],
    [{ key: 'zone', operator: 'Gt', values: ['1'] }, false], // not an integer
    [{ key: 'missing', operator: 'Lt', values: ['1'] }, false],
    [{ key: 'zone', operator: 'Bogus', values: ['a'] }, false],
  ])('%j → %s', (req, want) => expect(nodeSelectorRequirementMatches(req, labels)).toBe(want));
});

describe('nodeSelectorMatches', () => {
  it.each([
    ['no terms', { nodeSelectorTerms: [] }, false],
    ['empty term', { nodeSelectorTerms: [{}] }, false],
    [
      'terms ORed',
      {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
          { matchExpressions: [{ key: 'disk', operator: 'Exists' }] },
        ],
      },
      true,
    ],
    [
      'expressions ANDed',
      {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: 'zone', operator: 'In', values: ['a'] },
              { key: 'disk', operator: 'DoesNotExist' },
            ],
          },
        ],
      },
      false,
    ],
    [
      'matchFields metadata.name In',
      {
        nodeSelectorTerms: [
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
        ],
      },
      true,
    ],
    [
      'matchFields metadata.name NotIn',
      {
        nodeSelectorTerms: [
          { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-1'] }] },
        ],
      },
      false,
    ],
    [
      'matchFields other field',
      {
        nodeSelectorTerms: [
          { matchFields: [{ key: 'spec.x', operator: 'In', values: ['node-1'] }] },
        ],
      },
      false,
    ],
  ])('%s', (_n, sel, want) => expect(nodeSelectorMatches(sel, node)).toBe(want));
});

describe('podMatchesNodeSelectorAndAffinityTerms', () => {
  it.each([
    ['nothing', {}, true],
    ['nodeSelector matches', { nodeSelector: { zone: 'a' } }, true],
    ['nodeSelector differs', { nodeSelector: { zone: 'b' } }, false],
    [
      'both must hold',
      {
        nodeSelector: { zone: 'a' },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] },
              ],
            },
          },
        },
      },
      false,
    ],
  ])('%s', (_n, spec, want) =>
    expect(podMatchesNodeSelectorAndAffinityTerms(spec, node)).toBe(want),
  );
});
