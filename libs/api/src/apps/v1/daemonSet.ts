/**
 * apps/v1 DaemonSet: the schema, SetDefaults_DaemonSet (RollingUpdate with maxUnavailable 1 and
 * maxSurge 0, revisionHistoryLimit 10), the strategy (status is the controller's, generation
 * tracked) and ValidateDaemonSet's main rules. The DaemonSet controller comes later.
 */
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { notSupported, path } from '../../meta/fieldErrors';
import { IntOrString, validateIntOrPercent } from '../../meta/intOrString';
import { LabelSelector, ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { statusCondition } from '../../core/v1/condition';
import { validateNonnegativeField } from '../../core/v1/container';
import {
  defaultPodTemplateSpec,
  PodTemplateSpec as PodTemplateSpecSchema,
} from '../../core/v1/podSpec';
import {
  validateSelectorImmutable,
  validateTemplateForReplicaSet,
  validateWorkloadSelector,
} from './replicaSet';

const int = () => z.number().int();

export const RollingUpdateDaemonSet = z
  .object({ maxUnavailable: IntOrString.optional(), maxSurge: IntOrString.optional() })
  .strict();

export const DaemonSetUpdateStrategy = z
  .object({ type: z.string().optional(), rollingUpdate: RollingUpdateDaemonSet.optional() })
  .strict();

export const DaemonSetSpec = z
  .object({
    selector: LabelSelector,
    template: PodTemplateSpecSchema.default({}),
    updateStrategy: DaemonSetUpdateStrategy.optional(),
    minReadySeconds: int().optional(),
    revisionHistoryLimit: int().optional(),
  })
  .strict();
export type DaemonSetSpec = z.infer<typeof DaemonSetSpec>;

export const DaemonSetCondition = statusCondition();

export const DaemonSetStatus = z
  .object({
    currentNumberScheduled: int().default(0),
    numberMisscheduled: int().default(0),
    desiredNumberScheduled: int().default(0),
    numberReady: int().default(0),
    observedGeneration: int().optional(),
    updatedNumberScheduled: int().optional(),
    numberAvailable: int().optional(),
    numberUnavailable: int().optional(),
    collisionCount: int().optional(),
    conditions: z.array(DaemonSetCondition).optional(),
  })
  .strict();
export type DaemonSetStatus = z.infer<typeof DaemonSetStatus>;

export const DaemonSet = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: DaemonSetSpec.default({} as z.input<typeof DaemonSetSpec>),
    status: DaemonSetStatus.default({}),
  })
  .strict();
export type DaemonSet = z.infer<typeof DaemonSet>;

/** SetDefaults_DaemonSet. */
export function defaultDaemonSet(ds: DaemonSet): void {
  const s = ds.spec;
  const u = (s.updateStrategy ??= {});
  if (!u.type) u.type = 'RollingUpdate';
  if (u.type === 'RollingUpdate') {
    const r = (u.rollingUpdate ??= {});
    if (r.maxUnavailable === undefined) r.maxUnavailable = 1;
    if (r.maxSurge === undefined) r.maxSurge = 0;
  }
  if (s.revisionHistoryLimit === undefined) s.revisionHistoryLimit = 10;
  defaultPodTemplateSpec(s.template);
}

const strategyTypes = ['OnDelete', 'RollingUpdate'] as const;

/** ValidateDaemonSetSpec, its main rules. */
export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const p = path('spec');
  const s = ds.spec;
  const { errs, selector } = validateWorkloadSelector(s.selector, p.child('selector'));
  if (selector)
    errs.push(...validateTemplateForReplicaSet(s.template, selector, p.child('template')));
  errs.push(...validateNonnegativeField(s.minReadySeconds ?? 0, p.child('minReadySeconds')));
  if (s.revisionHistoryLimit !== undefined)
    errs.push(...validateNonnegativeField(s.revisionHistoryLimit, p.child('revisionHistoryLimit')));
  const t = s.updateStrategy?.type ?? '';
  if (!(strategyTypes as readonly string[]).includes(t))
    errs.push(notSupported(p.child('updateStrategy', 'type'), t, strategyTypes));
  const r = s.updateStrategy?.rollingUpdate;
  if (r?.maxUnavailable !== undefined)
    errs.push(
      ...validateIntOrPercent(
        r.maxUnavailable,
        p.child('updateStrategy', 'rollingUpdate', 'maxUnavailable'),
      ),
    );
  if (r?.maxSurge !== undefined)
    errs.push(
      ...validateIntOrPercent(r.maxSurge, p.child('updateStrategy', 'rollingUpdate', 'maxSurge')),
    );
  return errs;
}

export const daemonSetKind: KindInfo<DaemonSet> = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  resource: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  schema: DaemonSet,
  defaults: defaultDaemonSet,
  validate: validateDaemonSet,
  validateUpdate: (ds, old) => validateSelectorImmutable(ds.spec.selector, old.spec.selector),
  subresources: ['status'],
  tracksGeneration: true,
  prepareForCreate: (ds) => {
    ds.status = {
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    };
  },
  prepareForUpdate: (ds, old) => {
    ds.status = structuredClone(old.status);
  },
};
