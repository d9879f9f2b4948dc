import type { KindInfo, Pod } from '@kubeling/api';
import { configMapKind, podKind } from '@kubeling/api';
import { DefaultTolerationSeconds } from './defaultTolerationSeconds';

const pod = (tolerations?: Pod['spec']['tolerations']): Pod =>
  ({
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) },
  }) as Pod;

const notReady = (s: number) => ({
  key: 'node.kubernetes.io/not-ready',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: s,
});
const unreachable = (s: number) => ({
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: s,
});

async function admit(
  p: Pod,
  plugin = new DefaultTolerationSeconds(),
  info: KindInfo = podKind as unknown as KindInfo,
) {
  await plugin.admitCreate(info, p);
  return p.spec.tolerations;
}

describe('DefaultTolerationSeconds', () => {
  it('adds both tolerations for 300 s to a pod without them', async () => {
    expect(await admit(pod())).toEqual([notReady(300), unreachable(300)]);
  });

  it('takes the seconds from its options', async () => {
    const plugin = new DefaultTolerationSeconds({ notReadySeconds: 5, unreachableSeconds: 7 });
    expect(await admit(pod(), plugin)).toEqual([notReady(5), unreachable(7)]);
  });

  it('keeps tolerations the pod has and adds only what is missing', async () => {
    const own = {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 6000,
    };
    const other = { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' };
    expect(await admit(pod([own, other]))).toEqual([own, other, notReady(300)]);
  });

  it('counts a toleration without key or without effect as tolerating', async () => {
    expect(await admit(pod([{ operator: 'Exists' }]))).toEqual([{ operator: 'Exists' }]);
    const noEffect = { key: 'node.kubernetes.io/not-ready', operator: 'Exists' };
    expect(await admit(pod([noEffect]))).toEqual([noEffect, unreachable(300)]);
    // NoSchedule for the same key does not count (the NoExecute eviction still applies).
    const noSchedule = {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoSchedule',
    };
    expect(await admit(pod([noSchedule]))).toEqual([noSchedule, notReady(300), unreachable(300)]);
  });

  it('leaves other kinds alone', async () => {
    const cm = { metadata: { name: 'x' }, spec: {} } as unknown as Pod;
    await new DefaultTolerationSeconds().admitCreate(configMapKind, cm);
    expect(cm.spec.tolerations).toBeUndefined();
  });
});
