/**
 * batch/v1 Job: the schema, SetDefaults_Job, the job strategy's PrepareForCreate (status reset,
 * and unless spec.manualSelector the generated selector: the `controller-uid` and `job-name`
 * labels on the template, the selector on `batch.kubernetes.io/controller-uid`), and
 * ValidateJob / ValidateJobUpdate with upstream's messages. The Job controller comes later.
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import { invalidValue, notSupported, path, required } from '../../meta/fieldErrors';
import { labelSelectorAsSelector, validateLabelSelector } from '../../meta/labelSelector';
import { immutableDetail, LabelSelector, ObjectMeta } from '../../meta/objectMeta';
import { semanticEqual } from '../../meta/equality';
import type { KindInfo } from '../../scheme';
import { statusCondition } from '../../core/v1/condition';
import { validateNonnegativeField } from '../../core/v1/container';
import { goLabelSelector, goLiteral, goStringMap } from '../../core/v1/goSyntax';
import type { PodTemplateSpec } from '../../core/v1/podSpec';
import {
  defaultPodTemplateSpec,
  PodTemplateSpec as PodTemplateSpecSchema,
  validatePodTemplateSpec,
} from '../../core/v1/podSpec';

const int = () => z.number().int();

export const PodFailurePolicyOnExitCodesRequirement = z
  .object({
    containerName: z.string().optional(),
    operator: z.string(),
    values: z.array(int()),
  })
  .strict();

export const PodFailurePolicyOnPodConditionsPattern = z
  .object({ type: z.string(), status: z.string().optional() })
  .strict();

export const PodFailurePolicyRule = z
  .object({
    action: z.string(),
    onExitCodes: PodFailurePolicyOnExitCodesRequirement.optional(),
    onPodConditions: z.array(PodFailurePolicyOnPodConditionsPattern).optional(),
  })
  .strict();

export const PodFailurePolicy = z.object({ rules: z.array(PodFailurePolicyRule) }).strict();

export const SuccessPolicyRule = z
  .object({ succeededIndexes: z.string().optional(), succeededCount: int().optional() })
  .strict();

export const SuccessPolicy = z.object({ rules: z.array(SuccessPolicyRule) }).strict();

export const JobSpec = z
  .object({
    parallelism: int().optional(),
    completions: int().optional(),
    activeDeadlineSeconds: int().optional(),
    podFailurePolicy: PodFailurePolicy.optional(),
    successPolicy: SuccessPolicy.optional(),
    backoffLimit: int().optional(),
    backoffLimitPerIndex: int().optional(),
    maxFailedIndexes: int().optional(),
    selector: LabelSelector.optional(),
    manualSelector: z.boolean().optional(),
    template: PodTemplateSpecSchema.default({}),
    ttlSecondsAfterFinished: int().optional(),
    completionMode: z.string().optional(),
    suspend: z.boolean().optional(),
    podReplacementPolicy: z.string().optional(),
    managedBy: z.string().optional(),
  })
  .strict();
export type JobSpec = z.infer<typeof JobSpec>;

export const JobCondition = statusCondition('lastProbeTime');
export type JobCondition = z.infer<typeof JobCondition>;

export const UncountedTerminatedPods = z
  .object({
    succeeded: z.array(z.string()).optional(),
    failed: z.array(z.string()).optional(),
  })
  .strict();

export const JobStatus = z
  .object({
    conditions: z.array(JobCondition).optional(),
    startTime: z.string().optional(),
    completionTime: z.string().optional(),
    active: int().optional(),
    succeeded: int().optional(),
    failed: int().optional(),
    terminating: int().optional(),
    completedIndexes: z.string().optional(),
    failedIndexes: z.string().optional(),
    uncountedTerminatedPods: UncountedTerminatedPods.optional(),
    ready: int().optional(),
  })
  .strict();
export type JobStatus = z.infer<typeof JobStatus>;

export const Job = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: JobSpec.default({}),
    status: JobStatus.default({}),
  })
  .strict();
export type Job = z.infer<typeof Job>;

export const JobNameLabel = 'batch.kubernetes.io/job-name';
export const LegacyJobNameLabel = 'job-name';
export const ControllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const LegacyControllerUidLabel = 'controller-uid';

const maxInt32 = 2147483647;

/** SetDefaults_Job. */
export function defaultJob(job: Job): void {
  const s = job.spec;
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1;
    s.parallelism = 1;
  }
  if (s.parallelism === undefined) s.parallelism = 1;
  if (s.backoffLimit === undefined)
    s.backoffLimit = s.backoffLimitPerIndex !== undefined ? maxInt32 : 6;
  const labels = s.template.metadata.labels;
  if (labels && Object.keys(job.metadata.labels ?? {}).length === 0)
    job.metadata.labels = { ...labels };
  if (s.completionMode === undefined) s.completionMode = 'NonIndexed';
  if (s.suspend === undefined) s.suspend = false;
  for (const rule of s.podFailurePolicy?.rules ?? [])
    for (const c of rule.onPodConditions ?? []) if (c.status === undefined) c.status = 'True';
  if (s.podReplacementPolicy === undefined)
    s.podReplacementPolicy = s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  if (s.manualSelector === undefined) s.manualSelector = false;
  defaultPodTemplateSpec(s.template);
}

/** generateSelector (job strategy): labels that tie the pods to this job alone. */
function generateSelector(job: Job): void {
  const tl = (job.spec.template.metadata.labels ??= {});
  for (const k of [LegacyJobNameLabel, JobNameLabel])
    if (!(k in tl)) tl[k] = job.metadata.name ?? '';
  for (const k of [LegacyControllerUidLabel, ControllerUidLabel])
    if (!(k in tl)) tl[k] = job.metadata.uid ?? '';
  const sel = (job.spec.selector ??= {});
  const ml = (sel.matchLabels ??= {});
  if (!(ControllerUidLabel in ml)) ml[ControllerUidLabel] = job.metadata.uid ?? '';
}

/** jobStrategy.PrepareForCreate. */
export function prepareJobForCreate(job: Job): void {
  job.status = {};
  if (!job.spec.manualSelector) generateSelector(job);
}

const completionModes = ['NonIndexed', 'Indexed'] as const;
const restartPolicies = ['OnFailure', 'Never'] as const;
const podReplacementPolicies = ['TerminatingOrFailed', 'Failed'] as const;

/** validateJobSpec: what a Job and a CronJob's jobTemplate share. */
export function validateJobSpec(spec: JobSpec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
  ] as const) {
    const v = spec[f];
    if (v !== undefined) errs.push(...validateNonnegativeField(v, p.child(f)));
  }
  if (spec.completionMode !== undefined) {
    if (!(completionModes as readonly string[]).includes(spec.completionMode))
      errs.push(notSupported(p.child('completionMode'), spec.completionMode, completionModes));
    else if (spec.completionMode === 'Indexed' && spec.completions === undefined)
      errs.push(required(p.child('completions'), 'when completion mode is Indexed'));
  }
  if (
    spec.podReplacementPolicy !== undefined &&
    !(podReplacementPolicies as readonly string[]).includes(spec.podReplacementPolicy)
  )
    errs.push(
      notSupported(
        p.child('podReplacementPolicy'),
        spec.podReplacementPolicy,
        podReplacementPolicies,
      ),
    );
  if (spec.selector) {
    errs.push(...validateLabelSelector(spec.selector, p.child('selector')));
    try {
      const sel = labelSelectorAsSelector(spec.selector);
      if (!sel.empty() && !sel.matches(spec.template.metadata.labels))
        errs.push(
          invalidValue(
            p.child('template', 'metadata', 'labels'),
            goStringMap(spec.template.metadata.labels),
            '`selector` does not match template `labels`',
          ),
        );
    } catch {
      // Reported by validateLabelSelector.
    }
  }
  errs.push(...validatePodTemplateSpec(spec.template, p.child('template')));
  const rp = spec.template.spec.restartPolicy ?? '';
  if (!(restartPolicies as readonly string[]).includes(rp))
    errs.push(notSupported(p.child('template', 'spec', 'restartPolicy'), rp, restartPolicies));
  return errs;
}

/** ValidateJob: the spec rules, a selector, and a generated selector that is the job's own. */
export function validateJob(job: Job): FieldError[] {
  const p = path('spec');
  const errs = validateJobSpec(job.spec, p);
  if (!job.spec.selector) errs.push(required(p.child('selector')));
  if (!job.spec.manualSelector && job.metadata.uid) {
    const tl = job.spec.template.metadata.labels ?? {};
    for (const k of [LegacyControllerUidLabel, ControllerUidLabel])
      if (tl[k] !== undefined && tl[k] !== job.metadata.uid)
        errs.push(
          invalidValue(
            p.child('template', 'metadata', 'labels').key(k),
            tl[k],
            `must be '${job.metadata.uid}'`,
          ),
        );
  }
  return errs;
}

/** ValidateJobUpdate: selector, completionMode and (unless suspended) the template are fixed. */
export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const p = path('spec');
  const errs: FieldError[] = [];
  if (!semanticEqual(job.spec.selector, old.spec.selector))
    errs.push(
      invalidValue(p.child('selector'), goLabelSelector(job.spec.selector), immutableDetail),
    );
  if (job.spec.completionMode !== old.spec.completionMode)
    errs.push(
      invalidValue(p.child('completionMode'), job.spec.completionMode ?? '', immutableDetail),
    );
  if (!old.spec.suspend && !semanticEqual(job.spec.template, old.spec.template))
    errs.push(invalidValue(p.child('template'), templateText(job.spec.template), immutableDetail));
  return errs;
}

/** The template as the error shows it (upstream prints the Go struct; its JSON here). */
function templateText(t: PodTemplateSpec) {
  return goLiteral(JSON.stringify(t));
}

export const jobKind: KindInfo<Job> = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  singular: 'job',
  namespaced: true,
  shortNames: [],
  categories: ['all'],
  schema: Job,
  defaults: defaultJob,
  validate: validateJob,
  validateUpdate: validateJobUpdate,
  fieldLabels: (job) => ({ 'status.successful': String(job.status?.succeeded ?? 0) }),
  subresources: ['status'],
  tracksGeneration: true,
  prepareForCreate: prepareJobForCreate,
  prepareForUpdate: (job, old) => {
    job.status = structuredClone(old.status);
  },
};
