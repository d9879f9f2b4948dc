/**
 * core/v1 ReplicationController: the schema (an equality-only selector, a plain label map),
 * SetDefaults_ReplicationController, the strategy (status is the controller's; generation
 * tracked) and ValidateReplicationController with upstream's messages.
 */
import { z } from 'zod';
import { statusCondition } from './condition';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import { forbiddenField, invalidValue, notSupported, path, required } from '../../meta/fieldErrors';
import { ObjectMeta, StringMap } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { validateNonnegativeField } from './container';
import { goStringMap } from './goSyntax';
import { defaultPodTemplateSpec, PodTemplateSpec, validatePodTemplateSpec } from './podSpec';

const int = () => z.number().int();

export const ReplicationControllerSpec = z
  .object({
    replicas: int().optional(),
    minReadySeconds: int().optional(),
    /** Equality-based: every key/value must be among the pod's labels. */
    selector: StringMap.optional(),
    template: PodTemplateSpec.optional(),
  })
  .strict();
export type ReplicationControllerSpec = z.infer<typeof ReplicationControllerSpec>;

export const ReplicationControllerCondition = statusCondition();
export type ReplicationControllerCondition = z.infer<typeof ReplicationControllerCondition>;

export const ReplicationControllerStatus = z
  .object({
    replicas: int().optional(),
    fullyLabeledReplicas: int().optional(),
    readyReplicas: int().optional(),
    availableReplicas: int().optional(),
    observedGeneration: int().optional(),
    conditions: z.array(ReplicationControllerCondition).optional(),
  })
  .strict();
export type ReplicationControllerStatus = z.infer<typeof ReplicationControllerStatus>;

export const ReplicationController = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: ReplicationControllerSpec.default({}),
    status: ReplicationControllerStatus.default({}),
  })
  .strict();
export type ReplicationController = z.infer<typeof ReplicationController>;

const isEmpty = (m: Record<string, string> | undefined): boolean =>
  !m || Object.keys(m).length === 0;

/**
 * SetDefaults_ReplicationController: an absent selector, and absent object labels, are copied
 * from the template's labels; replicas defaults to 1.
 */
export function defaultReplicationController(rc: ReplicationController): void {
  const labels = rc.spec.template?.metadata.labels;
  if (labels) {
    if (isEmpty(rc.spec.selector)) rc.spec.selector = { ...labels };
    if (isEmpty(rc.metadata.labels)) rc.metadata.labels = { ...labels };
  }
  if (rc.spec.replicas === undefined) rc.spec.replicas = 1;
  if (rc.spec.template) defaultPodTemplateSpec(rc.spec.template);
}

/** labels.SelectorFromSet(selector).Matches(labels). */
export function selectorMapMatches(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/**
 * What ValidatePodTemplateSpecForRC and ValidatePodTemplateSpecForReplicaSet share: the
 * controller's selector must select the template's labels (`selected`), the pod template must be
 * valid, and its pods must restart in place, since the controller replaces pods that exit. Each
 * kind words its activeDeadlineSeconds rule differently and keeps it.
 */
export function validateReplicatedPodTemplate(
  template: PodTemplateSpec,
  selected: boolean,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!selected)
    errs.push(
      invalidValue(
        p.child('metadata', 'labels'),
        goStringMap(template.metadata.labels),
        '`selector` does not match template `labels`',
      ),
    );
  errs.push(...validatePodTemplateSpec(template, p));
  const rp = template.spec.restartPolicy ?? '';
  if (rp !== 'Always') errs.push(notSupported(p.child('spec', 'restartPolicy'), rp, ['Always']));
  return errs;
}

/** ValidatePodTemplateSpecForRC. */
function validateTemplateForRC(rc: ReplicationController, p: FieldPath): FieldError[] {
  const template = rc.spec.template;
  if (!template) return [required(p)];
  const selector = rc.spec.selector ?? {};
  const selected = isEmpty(selector) || selectorMapMatches(selector, template.metadata.labels);
  const errs = validateReplicatedPodTemplate(template, selected, p);
  if (template.spec.activeDeadlineSeconds !== undefined)
    errs.push(
      forbiddenField(
        p.child('spec', 'activeDeadlineSeconds'),
        'activeDeadlineSeconds in ReplicationController is not Supported',
      ),
    );
  return errs;
}

/** ValidateReplicationControllerSpec. */
export function validateReplicationController(rc: ReplicationController): FieldError[] {
  const sp = path('spec');
  const errs: FieldError[] = [];
  errs.push(...validateNonnegativeField(rc.spec.minReadySeconds ?? 0, sp.child('minReadySeconds')));
  if (isEmpty(rc.spec.selector)) errs.push(required(sp.child('selector')));
  errs.push(...validateNonnegativeField(rc.spec.replicas ?? 0, sp.child('replicas')));
  errs.push(...validateTemplateForRC(rc, sp.child('template')));
  return errs;
}

export const replicationControllerKind: KindInfo<ReplicationController> = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  resource: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  schema: ReplicationController,
  defaults: defaultReplicationController,
  validate: validateReplicationController,
  fieldLabels: (rc) => ({ 'status.replicas': String(rc.status?.replicas ?? 0) }),
  subresources: ['status', 'scale'],
  // The selector here is a plain label map, not a metav1.LabelSelector.
  scale: {
    specReplicasPath: ['spec', 'replicas'],
    statusReplicasPath: ['status', 'replicas'],
    selectorPath: ['spec', 'selector'],
  },
  tracksGeneration: true,
  prepareForCreate: (rc) => {
    rc.status = { replicas: 0 };
  },
  prepareForUpdate: (rc, old) => {
    rc.status = structuredClone(old.status);
  },
};
