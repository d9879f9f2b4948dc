import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import { formatFieldError } from '../../meta/fieldErrors';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { Namespace } from './namespace';
import {
  defaultNamespaces,
  namespaceKind,
  prepareNamespaceForFinalize,
  validateNamespaceFinalizeUpdate,
  validateNamespaceStatusUpdate,
} from './namespace';

function create(raw: Record<string, unknown>): Namespace {
  const { object } = decode(namespaceKind, raw);
  applyDefaults(namespaceKind, object);
  namespaceKind.prepareForCreate?.(object);
  validateCreate(namespaceKind, object);
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

describe('Namespace', () => {
  it('is cluster-scoped with short name ns and status/finalize subresources', () => {
    expect(namespaceKind).toMatchObject({
      group: '',
      version: 'v1',
      kind: 'Namespace',
      resource: 'namespaces',
      singular: 'namespace',
      namespaced: false,
      shortNames: ['ns'],
      subresources: ['status', 'finalize'],
    });
    expect(defaultNamespaces).toEqual(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  });

  it('on create: phase Active, the kubernetes finalizer, and the metadata.name label', () => {
    const ns = create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'dev' });
    expect(namespaceKind.fieldLabels?.(ns)).toEqual({ 'status.phase': 'Active', name: 'dev' });
  });

  it('ignores a client-sent status and keeps extra finalizers', () => {
    const ns = create({
      metadata: { name: 'dev' },
      spec: { finalizers: ['example.com/cleanup'] },
      status: { phase: 'Terminating' },
    });
    expect(ns.spec.finalizers).toEqual(['example.com/cleanup', 'kubernetes']);
    expect(ns.status.phase).toBe('Active');
  });

  it('names are DNS-1123 labels (no dots)', () => {
    const st = failure(() => create({ metadata: { name: 'my.ns' } }));
    expect(st.message).toBe(
      `Namespace "my.ns" is invalid: metadata.name: Invalid value: "my.ns": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
  });

  it('may not carry a namespace itself', () => {
    const st = failure(() => create({ metadata: { name: 'a', namespace: 'default' } }));
    expect(st.message).toBe(
      'Namespace "a" is invalid: metadata.namespace: Forbidden: not allowed on this type',
    );
  });

  it('unprefixed finalizers must be standard ones', () => {
    const st = failure(() =>
      create({ metadata: { name: 'a' }, spec: { finalizers: ['cleanup'] } }),
    );
    expect(st.message).toBe(
      'Namespace "a" is invalid: spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
    );
  });

  it('a plain update may not change finalizers or status', () => {
    const old = create({ metadata: { name: 'a' } });
    const { object } = decode(namespaceKind, {
      metadata: { name: 'a', labels: { team: 'x' } },
      spec: { finalizers: [] },
      status: { phase: 'Terminating' },
    });
    applyDefaults(namespaceKind, object);
    namespaceKind.prepareForUpdate?.(object, old);
    validateUpdate(namespaceKind, object, old);
    expect(object.spec.finalizers).toEqual(['kubernetes']);
    expect(object.status.phase).toBe('Active');
    expect(object.metadata.labels).toEqual({ team: 'x', 'kubernetes.io/metadata.name': 'a' });
  });

  it('status updates: phase must follow deletionTimestamp', () => {
    const old = create({ metadata: { name: 'a' } });
    const terminating = structuredClone(old);
    terminating.status.phase = 'Terminating';
    expect(validateNamespaceStatusUpdate(terminating, old).map(formatFieldError)).toEqual([
      'status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty',
    ]);
    const deleting = structuredClone(old);
    deleting.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    const oldDeleting = structuredClone(deleting);
    expect(validateNamespaceStatusUpdate(deleting, oldDeleting).map(formatFieldError)).toEqual([
      'status.Phase: Invalid value: "Active": may only be \'Terminating\' if `deletionTimestamp` is not empty',
    ]);
  });

  it('finalize: replaces spec.finalizers only, indexed errors', () => {
    const old = create({ metadata: { name: 'a' } });
    const req = structuredClone(old);
    req.spec.finalizers = [];
    req.status.phase = 'Terminating';
    prepareNamespaceForFinalize(req, old);
    expect(req.spec.finalizers).toEqual([]);
    expect(req.status.phase).toBe('Active');
    const bad = structuredClone(old);
    bad.spec.finalizers = ['kubernetes', 'x'];
    expect(validateNamespaceFinalizeUpdate(bad, old).map(formatFieldError)).toEqual([
      'spec.finalizers[1]: Invalid value: "x": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });
});
