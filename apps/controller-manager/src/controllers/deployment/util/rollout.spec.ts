/**
 * The rollout arithmetic, table-driven from the documented rules (Kubernetes docs, "Deployments":
 * maxSurge "is calculated from the percentage by rounding up", maxUnavailable "by rounding
 * down"; proportional scaling "spreads the additional replicas across all ReplicaSets ...
 * bigger proportions go to the ReplicaSets with the most replicas").
 */
import type { Deployment, ReplicaSet } from '@kubeling/api';
import {
  getProportion,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  replicaSetFraction,
  resolveFenceposts,
} from './rollout';

const deployment = (
  replicas: number,
  surge: number | string | undefined,
  unavailable: number | string | undefined,
  type = 'RollingUpdate',
  statusReplicas = 0,
): Deployment =>
  ({
    metadata: { name: 'd' },
    spec: {
      replicas,
      selector: {},
      template: { metadata: {}, spec: { containers: [] } },
      strategy:
        type === 'RollingUpdate'
          ? { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } }
          : { type },
    },
    status: { replicas: statusReplicas },
  }) as unknown as Deployment;

const rs = (replicas: number, maxReplicas?: number): ReplicaSet =>
  ({
    metadata: {
      name: `rs-${replicas}`,
      annotations:
        maxReplicas === undefined
          ? {}
          : { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) },
    },
    spec: { replicas, selector: {}, template: { metadata: {}, spec: { containers: [] } } },
    status: {},
  }) as unknown as ReplicaSet;

describe('resolveFenceposts (surge rounds up, unavailable rounds down)', () => {
  it.each([
    // maxSurge, maxUnavailable, desired, [surge, unavailable]
    ['25%', '25%', 10, [3, 2]],
    ['25%', '25%', 4, [1, 1]],
    ['25%', '25%', 1, [1, 0]],
    ['50%', '50%', 5, [3, 2]],
    [1, 0, 5, [1, 0]],
    [0, 1, 5, [0, 1]],
    ['10%', '10%', 5, [1, 0]],
    ['0%', '10%', 5, [0, 1]], // both resolve to 0: unavailable becomes 1 so the rollout can move
    [0, '20%', 4, [0, 1]],
    ['100%', 0, 3, [3, 0]],
    [2, 3, 0, [2, 3]], // absolute numbers do not scale
  ] as const)('maxSurge %p, maxUnavailable %p of %p → %p', (s, u, desired, want) => {
    expect(resolveFenceposts(s, u, desired)).toEqual(want);
  });
});

describe('maxSurge / maxUnavailable of a Deployment', () => {
  it.each([
    ['RollingUpdate', 10, '25%', '25%', 3, 2],
    ['RollingUpdate', 0, '25%', '25%', 0, 0], // 0 replicas: nothing may be unavailable
    ['RollingUpdate', 2, 0, 5, 0, 2], // never more unavailable than replicas
    ['Recreate', 10, undefined, undefined, 0, 0],
  ] as const)(
    '%s of %p (%p, %p) → surge %p, unavailable %p',
    (type, replicas, s, u, surge, unav) => {
      const d = deployment(replicas, s, u, type);
      expect([maxSurge(d), maxUnavailable(d)]).toEqual([surge, unav]);
    },
  );
});

describe('newRSNewReplicas', () => {
  it.each([
    // replicas, surge, unavailable, [old sizes], new size, → new size allowed
    [5, 1, 0, [5], 0, 1], // the seed's rollout: one extra pod at a time
    [5, 1, 0, [4], 1, 2],
    [5, 1, 0, [5], 1, 1], // 6 pods already: no more
    [10, '25%', '25%', [10], 0, 3],
    [10, '25%', '25%', [8], 3, 5],
    [3, 5, 0, [3], 0, 3], // never beyond replicas
    [3, 1, 1, [], 2, 3],
  ] as const)(
    'replicas %p, surge %p, unavailable %p, old %p, new %p → %p',
    (r, s, u, olds, cur, want) => {
      const d = deployment(r, s, u);
      const newRS = rs(cur);
      expect(newRSNewReplicas(d, [...olds.map((n) => rs(n)), newRS], newRS)).toBe(want);
    },
  );

  it('Recreate: straight to replicas', () => {
    const d = deployment(7, undefined, undefined, 'Recreate');
    expect(newRSNewReplicas(d, [rs(3), rs(0)], rs(0))).toBe(7);
  });
});

describe('proportional scaling', () => {
  // A Deployment of 10 (maxSurge 3) mid-rollout: old 8, new 5 = 13 = 10 + 3. Scaled to 15 (max
  // 15 + 4 = 19): 6 pods to add, shared 8:5 → about 3.7 and 2.3, rounded; the leftover goes to
  // the largest (scale() does that, not getProportion).
  it('shares added pods by size', () => {
    const d = deployment(15, 4, 0, 'RollingUpdate', 13);
    const old = rs(8, 13);
    const neu = rs(5, 13);
    expect(replicaSetFraction(old, d)).toBe(Math.round((8 * 19) / 13) - 8); // 12 - 8 = 4
    expect(replicaSetFraction(neu, d)).toBe(Math.round((5 * 19) / 13) - 5); // 7 - 5 = 2
    // Never more than what is left to add.
    expect(getProportion(old, d, 6, 0)).toBe(4);
    expect(getProportion(neu, d, 6, 4)).toBe(2);
    expect(getProportion(neu, d, 6, 5)).toBe(1);
  });

  it('shares removed pods by size, and a Deployment scaled to 0 empties every ReplicaSet', () => {
    const d = deployment(5, 1, 0, 'RollingUpdate', 11);
    const old = rs(6, 11);
    expect(replicaSetFraction(old, d)).toBe(Math.round((6 * 6) / 11) - 6); // 3 - 6 = -3
    expect(getProportion(old, d, -5, 0)).toBe(-3);
    expect(getProportion(old, d, -5, -4)).toBe(-1);
    expect(replicaSetFraction(old, deployment(0, 1, 0))).toBe(-6);
  });

  it('gives nothing to an empty ReplicaSet, or when nothing is to be added', () => {
    const d = deployment(10, 3, 0, 'RollingUpdate', 10);
    expect(getProportion(rs(0, 10), d, 5, 0)).toBe(0);
    expect(getProportion(rs(5, 10), d, 0, 0)).toBe(0);
    expect(getProportion(rs(5, 10), d, 5, 5)).toBe(0);
  });

  it('reads the size the Deployment had from max-replicas, else its status', () => {
    const d = deployment(20, 0, 1, 'RollingUpdate', 10);
    expect(replicaSetFraction(rs(5), d)).toBe(5); // 5 * 20 / 10 - 5
    expect(replicaSetFraction(rs(5, 5), d)).toBe(15); // 5 * 20 / 5 - 5
  });
});
