import { computePodRequests, nodeAllocatable, quantityAmount } from './resourceHelpers';

const c = (requests: Record<string, string>, restartPolicy?: string) => ({
  name: 'c',
  image: 'i',
  resources: { requests },
  ...(restartPolicy ? { restartPolicy } : {}),
});

describe('quantityAmount', () => {
  it.each([
    ['cpu', '1', 1000],
    ['cpu', '250m', 250],
    ['cpu', '0.5', 500],
    ['memory', '1Gi', 1024 ** 3],
    ['memory', '1k', 1000],
    ['memory', '1500m', 2], // rounded up to whole bytes
    ['pods', '110', 110],
  ])('%s %s = %d', (r, q, want) => expect(quantityAmount(r, q)).toBe(want));
});

describe('computePodRequests', () => {
  it.each([
    [
      'containers summed',
      { containers: [c({ cpu: '100m' }), c({ cpu: '200m', memory: '1Mi' })] },
      { cpu: 300, memory: 1048576 },
    ],
    [
      'max with a bigger init container',
      { containers: [c({ cpu: '100m' })], initContainers: [c({ cpu: '1' }), c({ cpu: '500m' })] },
      { cpu: 1000 },
    ],
    [
      'init smaller than containers',
      { containers: [c({ cpu: '2' })], initContainers: [c({ cpu: '1' })] },
      { cpu: 2000 },
    ],
    [
      // sidecar 200m runs with the containers (300m) and with the later init container (1 + 0.2)
      'sidecar adds to containers and later init containers',
      {
        containers: [c({ cpu: '300m' })],
        initContainers: [c({ cpu: '200m' }, 'Always'), c({ cpu: '1' })],
      },
      { cpu: 1200 },
    ],
    [
      'sidecar after a big init container',
      {
        containers: [c({ cpu: '300m' })],
        initContainers: [c({ cpu: '1' }), c({ cpu: '200m' }, 'Always')],
      },
      { cpu: 1000 },
    ],
    [
      'overhead added',
      { containers: [c({ cpu: '100m' })], overhead: { cpu: '50m', memory: '10Mi' } },
      { cpu: 150, memory: 10 * 1048576 },
    ],
  ])('%s', (_name, spec, want) =>
    expect(computePodRequests(spec as Parameters<typeof computePodRequests>[0])).toEqual(want),
  );

  it('non-zero defaults for containers without cpu or memory', () => {
    expect(computePodRequests({ containers: [c({}), c({ cpu: '1' })] }, { nonZero: true })).toEqual(
      {
        cpu: 1100,
        memory: 2 * 200 * 1048576,
      },
    );
  });
});

describe('nodeAllocatable', () => {
  it('falls back to capacity', () => {
    expect(nodeAllocatable({ status: { capacity: { cpu: '2', pods: '110' } } })).toEqual({
      cpu: 2000,
      pods: 110,
    });
  });
});
