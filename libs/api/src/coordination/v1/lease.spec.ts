import { applyDefaults, decode, validateCreate } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { Lease } from './lease';
import { leaseKind } from './lease';

function create(raw: Record<string, unknown>): Lease {
  const { object } = decode(leaseKind, raw);
  object.metadata.namespace ??= 'kube-node-lease';
  applyDefaults(leaseKind, object);
  leaseKind.prepareForCreate?.(object);
  validateCreate(leaseKind, object);
  return object;
}

function failure(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

describe('Lease', () => {
  it('is registered as kubectl shows it', () => {
    expect(leaseKind).toMatchObject({
      group: 'coordination.k8s.io',
      version: 'v1',
      kind: 'Lease',
      resource: 'leases',
      singular: 'lease',
      namespaced: true,
      shortNames: [],
      categories: [],
    });
  });

  it('round-trips a node heartbeat lease with micro-time stamps', () => {
    const raw = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'node-1', namespace: 'kube-node-lease' },
      spec: {
        holderIdentity: 'node-1',
        leaseDurationSeconds: 40,
        acquireTime: '2024-05-01T10:00:00.000000Z',
        renewTime: '2024-05-01T10:00:10.123456Z',
        leaseTransitions: 0,
      },
    };
    expect(create(structuredClone(raw))).toEqual(raw);
  });

  it('leaseDurationSeconds > 0 and leaseTransitions >= 0', () => {
    const st = failure(() =>
      create({ metadata: { name: 'l' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } }),
    );
    expect(st.message).toBe(
      'Lease.coordination.k8s.io "l" is invalid: [spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0, spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0]',
    );
  });

  it('strategy is a known or prefixed name; preferredHolder needs one', () => {
    expect(
      failure(() => create({ metadata: { name: 'l' }, spec: { strategy: 'Newest' } })).message,
    ).toBe(
      'Lease.coordination.k8s.io "l" is invalid: spec.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"',
    );
    expect(() =>
      create({
        metadata: { name: 'l' },
        spec: { strategy: 'example.com/mine', preferredHolder: 'a' },
      }),
    ).not.toThrow();
    expect(
      failure(() => create({ metadata: { name: 'l' }, spec: { preferredHolder: 'a' } })).message,
    ).toBe(
      'Lease.coordination.k8s.io "l" is invalid: spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
    );
  });

  it('an empty spec is valid (a fresh lock)', () => {
    expect(create({ metadata: { name: 'kube-scheduler', namespace: 'kube-system' } }).spec).toEqual(
      {},
    );
  });
});
