/**
 * apps/v1 Deployment: the schema, SetDefaults_Deployment (RollingUpdate 25%/25%, 10 revisions,
 * 600s progress deadline), the strategy (status is the controller's; generation tracked; the
 * selector is immutable) and ValidateDeployment with upstream's messages.
 */
import { z } from 'zod';
import { statusCondition } from '../../core/v1/condition';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import { forbiddenField, invalidValue, notSupported, path, required } from '../../meta/fieldErrors';
import {
  intOrPercentValue,
  IntOrString,
  isNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from '../../meta/intOrString';
import { LabelSelector, ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { validateNonnegativeField } from '../../core/v1/container';
import { goLiteral, goQuote } from '../../core/v1/goSyntax';
import { defaultPodTemplateSpec, PodTemplateSpec } from '../../core/v1/podSpec';
import {
  validateSelectorImmutable,
  validateTemplateForReplicaSet,
  validateWorkloadSelector,
} from './replicaSet';

const int = () => z.number().int();

export const RollingUpdateDeployment = z
  .object({ maxUnavailable: IntOrString.optional(), maxSurge: IntOrString.optional() })
  .strict();
export type RollingUpdateDeployment = z.infer<typeof RollingUpdateDeployment>;

export const DeploymentStrategy = z
  .object({
    /** Recreate | RollingUpdate; defaulted to RollingUpdate. */
    type: z.string().optional(),
    rollingUpdate: RollingUpdateDeployment.optional(),
  })
  .strict();
export type DeploymentStrategy = z.infer<typeof DeploymentStrategy>;

export const DeploymentSpec = z
  .object({
    replicas: int().optional(),
    selector: LabelSelector,
    template: PodTemplateSpec.default({}),
    strategy: DeploymentStrategy.default({}),
    minReadySeconds: int().optional(),
    revisionHistoryLimit: int().optional(),
    paused: z.boolean().optional(),
    progressDeadlineSeconds: int().optional(),
  })
  .strict();
export type DeploymentSpec = z.infer<typeof DeploymentSpec>;

/** type: Available | Progressing | ReplicaFailure */
export const DeploymentCondition = statusCondition('lastUpdateTime');
export type DeploymentCondition = z.infer<typeof DeploymentCondition>;

export const DeploymentStatus = z
  .object({
    observedGeneration: int().optional(),
    replicas: int().optional(),
    updatedReplicas: int().optional(),
    readyReplicas: int().optional(),
    availableReplicas: int().optional(),
    unavailableReplicas: int().optional(),
    terminatingReplicas: int().optional(),
    conditions: z.array(DeploymentCondition).optional(),
    collisionCount: int().optional(),
  })
  .strict();
export type DeploymentStatus = z.infer<typeof DeploymentStatus>;

export const Deployment = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: DeploymentSpec.default({} as z.input<typeof DeploymentSpec>),
    status: DeploymentStatus.default({}),
  })
  .strict();
export type Deployment = z.infer<typeof Deployment>;

export const DefaultRevisionHistoryLimit = 10;
export const DefaultProgressDeadlineSeconds = 600;

/** SetDefaults_Deployment (apps/v1). */
export function defaultDeployment(d: Deployment): void {
  const spec = d.spec;
  if (spec.replicas === undefined) spec.replicas = 1;
  const strategy = spec.strategy;
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    if (ru.maxUnavailable === undefined) ru.maxUnavailable = '25%';
    if (ru.maxSurge === undefined) ru.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit === undefined)
    spec.revisionHistoryLimit = DefaultRevisionHistoryLimit;
  if (spec.progressDeadlineSeconds === undefined)
    spec.progressDeadlineSeconds = DefaultProgressDeadlineSeconds;
  defaultPodTemplateSpec(spec.template);
}

/** ValidateRollingUpdateDeployment. */
function validateRollingUpdate(ru: RollingUpdateDeployment, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const up = p.child('maxUnavailable');
  // Both are pointers defaulted to 25%; an absent one (Recreate turned RollingUpdate) reads as 0.
  const maxUnavailable = ru.maxUnavailable ?? 0;
  const maxSurge = ru.maxSurge ?? 0;
  errs.push(...validatePositiveIntOrPercent(maxUnavailable, up));
  errs.push(...validatePositiveIntOrPercent(maxSurge, p.child('maxSurge')));
  // A rollout that may neither add nor remove a pod could never make progress.
  if (intOrPercentValue(maxUnavailable) === 0 && intOrPercentValue(maxSurge) === 0)
    errs.push(invalidValue(up, maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  errs.push(...isNotMoreThan100Percent(maxUnavailable, up));
  return errs;
}

/** ValidateDeploymentStrategy. */
function validateStrategy(s: DeploymentStrategy, p: FieldPath): FieldError[] {
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate
        ? [
            forbiddenField(
              p.child('rollingUpdate'),
              "may not be specified when strategy `type` is 'Recreate'",
            ),
          ]
        : [];
    case 'RollingUpdate':
      return s.rollingUpdate
        ? validateRollingUpdate(s.rollingUpdate, p.child('rollingUpdate'))
        : [required(p.child('rollingUpdate'), 'this should be defaulted and never be nil')];
    default: {
      const ru = s.rollingUpdate
        ? '&apps.RollingUpdateDeployment{...}'
        : '(*apps.RollingUpdateDeployment)(nil)';
      return [
        notSupported(
          p,
          goLiteral(`apps.DeploymentStrategy{Type:${goQuote(s.type ?? '')}, RollingUpdate:${ru}}`),
          ['Recreate', 'RollingUpdate'],
        ),
      ];
    }
  }
}

/** ValidateDeploymentSpec. */
export function validateDeployment(d: Deployment): FieldError[] {
  const sp = path('spec');
  const spec = d.spec;
  const errs: FieldError[] = [];
  errs.push(...validateNonnegativeField(spec.replicas ?? 0, sp.child('replicas')));
  const { errs: selErrs, selector } = validateWorkloadSelector(spec.selector, sp.child('selector'));
  errs.push(...selErrs);
  if (selector)
    errs.push(...validateTemplateForReplicaSet(spec.template, selector, sp.child('template')));
  errs.push(...validateStrategy(spec.strategy, sp.child('strategy')));
  const minReady = spec.minReadySeconds ?? 0;
  errs.push(...validateNonnegativeField(minReady, sp.child('minReadySeconds')));
  if (spec.revisionHistoryLimit !== undefined)
    errs.push(
      ...validateNonnegativeField(spec.revisionHistoryLimit, sp.child('revisionHistoryLimit')),
    );
  if (spec.progressDeadlineSeconds !== undefined) {
    const pd = sp.child('progressDeadlineSeconds');
    errs.push(...validateNonnegativeField(spec.progressDeadlineSeconds, pd));
    // The deadline counts from when a pod could first be available.
    if (spec.progressDeadlineSeconds <= minReady)
      errs.push(
        invalidValue(pd, spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'),
      );
  }
  return errs;
}

export const deploymentKind: KindInfo<Deployment> = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  schema: Deployment,
  defaults: defaultDeployment,
  validate: validateDeployment,
  validateUpdate: (d, old) => validateSelectorImmutable(d.spec.selector, old.spec.selector),
  subresources: ['status', 'scale'],
  scale: {
    specReplicasPath: ['spec', 'replicas'],
    statusReplicasPath: ['status', 'replicas'],
    selectorPath: ['spec', 'selector'],
  },
  tracksGeneration: true,
  prepareForCreate: (d) => {
    d.status = {};
  },
  prepareForUpdate: (d, old) => {
    d.status = structuredClone(old.status);
  },
};
