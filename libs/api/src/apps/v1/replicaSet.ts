/**
 * apps/v1 ReplicaSet: the schema (a required metav1.LabelSelector), SetDefaults_ReplicaSet, the
 * strategy (status is the controller's; generation tracked; the selector is immutable in
 * apps/v1) and ValidateReplicaSet with upstream's messages. Also the template and selector rules
 * Deployments share (ValidatePodTemplateSpecForReplicaSet).
 */
import { z } from 'zod';
import { statusCondition } from '../../core/v1/condition';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import { invalidValue, path } from '../../meta/fieldErrors';
import type { Selector } from '../../meta/labelSelector';
import { labelSelectorAsSelector, validateLabelSelector } from '../../meta/labelSelector';
import { immutableDetail, LabelSelector, ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { validateNonnegativeField } from '../../core/v1/container';
import { goLabelSelector } from '../../core/v1/goSyntax';
import { semanticEqual } from '../../meta/equality';
import type { PodTemplateSpec } from '../../core/v1/podSpec';
import { validateReplicatedPodTemplate } from '../../core/v1/replicationController';
import {
  defaultPodTemplateSpec,
  PodTemplateSpec as PodTemplateSpecSchema,
} from '../../core/v1/podSpec';

const int = () => z.number().int();

export const ReplicaSetSpec = z
  .object({
    replicas: int().optional(),
    minReadySeconds: int().optional(),
    selector: LabelSelector,
    template: PodTemplateSpecSchema.default({}),
  })
  .strict();
export type ReplicaSetSpec = z.infer<typeof ReplicaSetSpec>;

export const ReplicaSetCondition = statusCondition();
export type ReplicaSetCondition = z.infer<typeof ReplicaSetCondition>;

export const ReplicaSetStatus = z
  .object({
    replicas: int().optional(),
    fullyLabeledReplicas: int().optional(),
    readyReplicas: int().optional(),
    availableReplicas: int().optional(),
    terminatingReplicas: int().optional(),
    observedGeneration: int().optional(),
    conditions: z.array(ReplicaSetCondition).optional(),
  })
  .strict();
export type ReplicaSetStatus = z.infer<typeof ReplicaSetStatus>;

export const ReplicaSet = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: ReplicaSetSpec.default({} as z.input<typeof ReplicaSetSpec>),
    status: ReplicaSetStatus.default({}),
  })
  .strict();
export type ReplicaSet = z.infer<typeof ReplicaSet>;

/** SetDefaults_ReplicaSet: one replica; the template gets the pod spec defaults. */
export function defaultReplicaSet(rs: ReplicaSet): void {
  if (rs.spec.replicas === undefined) rs.spec.replicas = 1;
  defaultPodTemplateSpec(rs.spec.template);
}

/**
 * The selector rules of ValidateReplicaSetSpec and ValidateDeploymentSpec: valid, not empty.
 * Returns the selector to match the template against, or undefined when it does not convert.
 */
export function validateWorkloadSelector(
  sel: LabelSelector,
  p: FieldPath,
): { errs: FieldError[]; selector: Selector | undefined } {
  const errs = validateLabelSelector(sel, p);
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0)
    // Upstream's wording, for ReplicaSets too.
    errs.push(invalidValue(p, goLabelSelector(sel), 'empty selector is invalid for deployment'));
  let selector: Selector | undefined;
  try {
    selector = labelSelectorAsSelector(sel);
  } catch {
    errs.push(invalidValue(p, goLabelSelector(sel), 'invalid label selector'));
  }
  return { errs, selector };
}

/**
 * ValidatePodTemplateSpecForReplicaSet: the template's labels must be selected by the selector,
 * and its pods must restart in place (the controller replaces pods that exit).
 */
export function validateTemplateForReplicaSet(
  template: PodTemplateSpec,
  selector: Selector | undefined,
  p: FieldPath,
): FieldError[] {
  const selected = !selector || selector.empty() || selector.matches(template.metadata.labels);
  const errs = validateReplicatedPodTemplate(template, selected, p);
  if (template.spec.activeDeadlineSeconds !== undefined)
    errs.push(
      invalidValue(
        p.child('spec', 'activeDeadlineSeconds'),
        template.spec.activeDeadlineSeconds,
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    );
  return errs;
}

/** ValidateReplicaSetSpec. */
export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const sp = path('spec');
  const errs: FieldError[] = [];
  errs.push(...validateNonnegativeField(rs.spec.replicas ?? 0, sp.child('replicas')));
  errs.push(...validateNonnegativeField(rs.spec.minReadySeconds ?? 0, sp.child('minReadySeconds')));
  const { errs: selErrs, selector } = validateWorkloadSelector(
    rs.spec.selector,
    sp.child('selector'),
  );
  errs.push(...selErrs);
  if (selector)
    errs.push(...validateTemplateForReplicaSet(rs.spec.template, selector, sp.child('template')));
  return errs;
}

/** apps/v1 forbids changing a selector: the controller would orphan the pods it owns. */
export function validateSelectorImmutable(sel: LabelSelector, old: LabelSelector): FieldError[] {
  return semanticEqual(sel, old)
    ? []
    : [invalidValue(path('spec', 'selector'), goLabelSelector(sel), immutableDetail)];
}

export const replicaSetKind: KindInfo<ReplicaSet> = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  schema: ReplicaSet,
  defaults: defaultReplicaSet,
  validate: validateReplicaSet,
  validateUpdate: (rs, old) => validateSelectorImmutable(rs.spec.selector, old.spec.selector),
  fieldLabels: (rs) => ({ 'status.replicas': String(rs.status?.replicas ?? 0) }),
  subresources: ['status', 'scale'],
  scale: {
    specReplicasPath: ['spec', 'replicas'],
    statusReplicasPath: ['status', 'replicas'],
    selectorPath: ['spec', 'selector'],
  },
  tracksGeneration: true,
  prepareForCreate: (rs) => {
    rs.status = { replicas: 0 };
  },
  prepareForUpdate: (rs, old) => {
    rs.status = structuredClone(old.status);
  },
};
