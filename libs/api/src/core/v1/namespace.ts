/**
 * core/v1 Namespace: schema, SetDefaults_Namespace / SetDefaults_NamespaceStatus, the namespace
 * strategy (pkg/registry/core/namespace) and ValidateNamespace* from pkg/apis/core/validation.
 *
 * A namespace is cluster-scoped and its name is a DNS-1123 label. On create the server sets
 * `status.phase: Active` and adds the `kubernetes` finalizer that the namespace controller
 * removes once everything inside is gone; on update, spec.finalizers and status are only
 * written through the `finalize` and `status` subresources.
 */
import { z } from 'zod';
import { statusCondition } from './condition';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import { invalidValue, path } from '../../meta/fieldErrors';
import { isQualifiedName } from '../../meta/names';
import { ObjectMeta, nameIsDNSLabel, validateObjectMetaUpdate } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';

/** The namespaces every cluster starts with (created by the api-server at boot). */
export const defaultNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** FinalizerKubernetes: the finalizer the namespace controller owns. */
export const namespaceFinalizerKubernetes = 'kubernetes';

/** LabelMetadataName: every named namespace carries its own name as this label (k8s 1.21+). */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

export const NamespacePhases = ['Active', 'Terminating'] as const;
export type NamespacePhase = (typeof NamespacePhases)[number];

export const NamespaceCondition = statusCondition();
export type NamespaceCondition = z.infer<typeof NamespaceCondition>;

export const NamespaceSpec = z
  .object({
    finalizers: z.array(z.string()).optional(),
  })
  .strict();
export type NamespaceSpec = z.infer<typeof NamespaceSpec>;

export const NamespaceStatus = z
  .object({
    /** Active | Terminating (a string in Go too: not checked on decode). */
    phase: z.string().optional(),
    conditions: z.array(NamespaceCondition).optional(),
  })
  .strict();
export type NamespaceStatus = z.infer<typeof NamespaceStatus>;

export const Namespace = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: NamespaceSpec.default({}),
    status: NamespaceStatus.default({}),
  })
  .strict();
export type Namespace = z.infer<typeof Namespace>;

/** SetDefaults_Namespace + SetDefaults_NamespaceStatus. */
function defaultNamespace(ns: Namespace): void {
  // A generateName-only namespace gets its label once named (the strategy's Canonicalize).
  if (ns.metadata.name)
    ns.metadata.labels = { ...ns.metadata.labels, [namespaceNameLabel]: ns.metadata.name };
  if (!ns.status.phase) ns.status.phase = 'Active';
}

/** Namespace strategy PrepareForCreate: phase Active, and the `kubernetes` finalizer always present. */
function prepareNamespaceForCreate(ns: Namespace): void {
  ns.status = { phase: 'Active' };
  const finalizers = ns.spec.finalizers ?? [];
  if (!finalizers.includes(namespaceFinalizerKubernetes))
    finalizers.push(namespaceFinalizerKubernetes);
  ns.spec.finalizers = finalizers;
}

/** PrepareForUpdate: a plain update may not touch finalizers or status (their subresources do). */
function prepareNamespaceForUpdate(ns: Namespace, old: Namespace): void {
  ns.spec.finalizers = old.spec.finalizers ? [...old.spec.finalizers] : undefined;
  if (ns.spec.finalizers === undefined) delete ns.spec.finalizers;
  ns.status = structuredClone(old.status);
}

/** The finalizers Kubernetes accepts without a `/` prefix (helper.IsStandardFinalizerName). */
const standardFinalizers = new Set([namespaceFinalizerKubernetes, 'orphan', 'foregroundDeletion']);

/** validateFinalizerName: a qualified name, and unprefixed only for the standard ones. */
function validateFinalizerName(value: string, p: FieldPath): FieldError[] {
  const errs = isQualifiedName(value).map((m) => invalidValue(p, value, m));
  if (!value.includes('/') && !standardFinalizers.has(value))
    errs.push(
      invalidValue(p, value, 'name is neither a standard finalizer name nor is it fully qualified'),
    );
  return errs;
}

function validateNamespace(ns: Namespace): FieldError[] {
  // Upstream reports spec.finalizers without an index here (ValidateNamespace); kept as is.
  return (ns.spec.finalizers ?? []).flatMap((f) =>
    validateFinalizerName(f, path('spec', 'finalizers')),
  );
}

/** ValidateNamespaceStatusUpdate: the phase must agree with deletionTimestamp. */
export function validateNamespaceStatusUpdate(ns: Namespace, old: Namespace): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  // The upper-case `Phase` is upstream's field path, kept so messages match.
  if (!ns.metadata.deletionTimestamp) {
    if (ns.status.phase !== 'Active')
      errs.push(
        invalidValue(
          path('status', 'Phase'),
          ns.status.phase ?? '',
          "may only be 'Active' if `deletionTimestamp` is empty",
        ),
      );
  } else if (ns.status.phase !== 'Terminating') {
    errs.push(
      invalidValue(
        path('status', 'Phase'),
        ns.status.phase ?? '',
        "may only be 'Terminating' if `deletionTimestamp` is not empty",
      ),
    );
  }
  return errs;
}

/** ValidateNamespaceFinalizeUpdate: what PUT namespaces/{name}/finalize checks. */
export function validateNamespaceFinalizeUpdate(ns: Namespace, old: Namespace): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  (ns.spec.finalizers ?? []).forEach((f, i) =>
    errs.push(...validateFinalizerName(f, path('spec', 'finalizers').index(i))),
  );
  return errs;
}

/** Finalize strategy PrepareForUpdate: only spec.finalizers comes from the request. */
export function prepareNamespaceForFinalize(ns: Namespace, old: Namespace): void {
  const finalizers = ns.spec.finalizers;
  ns.spec = structuredClone(old.spec);
  if (finalizers) ns.spec.finalizers = finalizers;
  else delete ns.spec.finalizers;
  ns.status = structuredClone(old.status);
}

export const namespaceKind: KindInfo<Namespace> = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  resource: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  categories: [],
  schema: Namespace,
  validateName: nameIsDNSLabel,
  defaults: defaultNamespace,
  validate: validateNamespace,
  // NamespaceFieldsToSelectableFields also exposes a bare `name` (an old bug kept for compatibility).
  fieldLabels: (ns) => ({ 'status.phase': ns.status?.phase ?? '', name: ns.metadata.name ?? '' }),
  subresources: ['status', 'finalize'],
  tracksGeneration: false,
  prepareForCreate: prepareNamespaceForCreate,
  prepareForUpdate: prepareNamespaceForUpdate,
};
