import { inTreeRegistry } from '../plugins/registry';
import { resolveConfig } from './config';

const base = { apiVersion: 'kubescheduler.config.k8s.io/v1', kind: 'KubeSchedulerConfiguration' };

describe('resolveConfig', () => {
  it('defaults: one default-scheduler profile with upstream filters and weights', () => {
    const [p] = resolveConfig(undefined, inTreeRegistry).profiles;
    expect(p!.schedulerName).toBe('default-scheduler');
    expect(p!.plugins.filter).toEqual([
      'NodeUnschedulable',
      'NodeName',
      'TaintToleration',
      'NodeAffinity',
      'NodePorts',
      'NodeResourcesFit',
      'PodTopologySpread',
      'InterPodAffinity',
    ]);
    expect(p!.plugins.score).toContainEqual({ name: 'TaintToleration', weight: 3 });
    expect(p!.plugins.postFilter).toEqual(['DefaultPreemption']);
    expect(p!.plugins.bind).toEqual(['DefaultBinder']);
  });

  it('profiles, disabled plugins, weights and args', () => {
    const cfg = resolveConfig(
      {
        ...base,
        profiles: [
          { schedulerName: 'default-scheduler' },
          {
            schedulerName: 'packer',
            plugins: {
              score: {
                disabled: [{ name: '*' }],
                enabled: [{ name: 'NodeResourcesFit', weight: 5 }],
              },
            },
            pluginConfig: [
              { name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } },
            ],
          },
        ],
      },
      inTreeRegistry,
    );
    expect(cfg.profiles[1]!.plugins.score).toEqual([{ name: 'NodeResourcesFit', weight: 5 }]);
    expect(cfg.profiles[1]!.pluginArgs.NodeResourcesFit).toEqual({
      scoringStrategy: { type: 'MostAllocated' },
    });
  });

  it.each([
    [
      { apiVersion: 'v1', kind: 'KubeSchedulerConfiguration' },
      /apiVersion must be kubescheduler.config.k8s.io\/v1/,
    ],
    [
      { ...base, profiles: [{ plugins: { filter: { enabled: [{ name: 'Nope' }] } } }] },
      /plugin "Nope" does not exist/,
    ],
    [
      { ...base, profiles: [{ plugins: { filter: { enabled: [{ name: 'ImageLocality' }] } } }] },
      /does not extend filter plugin/,
    ],
    [{ ...base, profiles: [{}, {}] }, /duplicate profile with scheduler name "default-scheduler"/],
    [{ ...base, bogus: 1 }, /Unrecognized key/],
  ])('rejects %j', (raw, msg) => expect(() => resolveConfig(raw, inTreeRegistry)).toThrow(msg));
});
