import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import { formatFieldError } from '../../meta/fieldErrors';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { ResourceQuota } from './resourceQuota';
import {
  isIntegerResourceName,
  resourceQuotaKind,
  validateResourceQuotaStatusUpdate,
} from './resourceQuota';

function create(raw: Record<string, unknown>): ResourceQuota {
  const { object } = decode(resourceQuotaKind, raw);
  object.metadata.namespace ??= 'default';
  applyDefaults(resourceQuotaKind, object);
  resourceQuotaKind.prepareForCreate?.(object);
  validateCreate(resourceQuotaKind, object);
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

describe('ResourceQuota', () => {
  it('is registered as kubectl shows it', () => {
    expect(resourceQuotaKind).toMatchObject({
      group: '',
      version: 'v1',
      kind: 'ResourceQuota',
      resource: 'resourcequotas',
      singular: 'resourcequota',
      namespaced: true,
      shortNames: ['quota'],
      subresources: ['status'],
    });
  });

  it('round-trips a quota, canonicalizing quantities and dropping client status', () => {
    const rq = create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute' },
      spec: {
        hard: {
          'requests.cpu': '1.5',
          'limits.memory': '2Gi',
          pods: 10,
          'count/deployments.apps': '4',
        },
      },
      status: { used: { pods: '3' } },
    });
    expect(rq.spec.hard).toEqual({
      'requests.cpu': '1500m',
      'limits.memory': '2Gi',
      pods: '10',
      'count/deployments.apps': '4',
    });
    expect(rq.status).toEqual({});
  });

  it('rejects negative quantities and fractional object counts', () => {
    const st = failure(() =>
      create({ metadata: { name: 'q' }, spec: { hard: { cpu: '-1', pods: '2.5' } } }),
    );
    expect(st.message).toBe(
      'ResourceQuota "q" is invalid: [spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0, spec.hard[pods]: Invalid value: "2500m": must be an integer]',
    );
  });

  it('rejects resource names quota does not know', () => {
    expect(
      failure(() => create({ metadata: { name: 'q' }, spec: { hard: { gpus: '1' } } })).message,
    ).toBe(
      'ResourceQuota "q" is invalid: [spec.hard[gpus]: Invalid value: "gpus": must be a standard resource type or fully qualified, spec.hard[gpus]: Invalid value: "gpus": must be a standard resource for quota]',
    );
    expect(
      failure(() => create({ metadata: { name: 'q' }, spec: { hard: { storage: '1Gi' } } }))
        .message,
    ).toBe(
      'ResourceQuota "q" is invalid: spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota',
    );
  });

  it('checks scopes against the resources they can limit', () => {
    expect(
      failure(() =>
        create({
          metadata: { name: 'q' },
          spec: { hard: { pods: '1' }, scopes: ['BestEffort', 'NotBestEffort'] },
        }),
      ).message,
    ).toBe(
      'ResourceQuota "q" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes',
    );
    expect(
      failure(() =>
        create({
          metadata: { name: 'q' },
          spec: { hard: { 'requests.cpu': '1' }, scopes: ['BestEffort'] },
        }),
      ).message,
    ).toBe(
      'ResourceQuota "q" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource',
    );
  });

  it('scope selectors: operators and values', () => {
    const sel = (req: Record<string, unknown>) => ({
      metadata: { name: 'q' },
      spec: { hard: { pods: '1' }, scopeSelector: { matchExpressions: [req] } },
    });
    expect(() =>
      create(sel({ scopeName: 'PriorityClass', operator: 'In', values: ['high'] })),
    ).not.toThrow();
    expect(failure(() => create(sel({ scopeName: 'PriorityClass', operator: 'In' }))).message).toBe(
      "ResourceQuota \"q\" is invalid: spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
    );
    expect(
      failure(() => create(sel({ scopeName: 'PriorityClass', operator: 'Like' }))).message,
    ).toBe(
      'ResourceQuota "q" is invalid: spec.scopeSelector.matchExpressions.operator: Invalid value: "Like": not a valid selector operator',
    );
  });

  it('scopes never change on update; status is kept from the stored object', () => {
    const old = create({
      metadata: { name: 'q', uid: 'u' },
      spec: { hard: { pods: '1' }, scopes: ['NotTerminating'] },
    });
    old.status = { hard: { pods: '1' }, used: { pods: '0' } };
    const { object } = decode(resourceQuotaKind, {
      metadata: { name: 'q', uid: 'u', namespace: 'default' },
      spec: { hard: { pods: '2' } },
    });
    resourceQuotaKind.prepareForUpdate?.(object, old);
    expect(object.status).toEqual(old.status);
    const st = failure(() => validateUpdate(resourceQuotaKind, object, old));
    expect(st.message).toBe(
      'ResourceQuota "q" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope(nil): field is immutable',
    );
  });

  it('status updates need a resourceVersion and valid quantities', () => {
    const old = create({ metadata: { name: 'q' }, spec: { hard: { pods: '1' } } });
    const next = structuredClone(old);
    next.status = { used: { pods: '-1' } };
    expect(validateResourceQuotaStatusUpdate(next, old).map(formatFieldError)).toEqual([
      'resourceVersion: Required value',
      'status.used[pods]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
  });

  it('knows which resources are counted in whole units', () => {
    expect(isIntegerResourceName('pods')).toBe(true);
    expect(isIntegerResourceName('example.com/gpu')).toBe(true);
    expect(isIntegerResourceName('cpu')).toBe(false);
    expect(isIntegerResourceName('kubernetes.io/foo')).toBe(false);
    expect(isIntegerResourceName('requests.example.com/gpu')).toBe(false);
  });
});
