/**
 * batch/v1 messages: Job and CronJob (field numbers of k8s.io/api batch/v1 `generated.proto`).
 */
import type { MessageDefs } from './fields';
import { bool, int32, int64, list, msg, string } from './fields';

export const batchMessages: MessageDefs = {
  'batch.Job': {
    metadata: msg(1, 'meta.ObjectMeta'),
    spec: msg(2, 'batch.JobSpec'),
    status: msg(3, 'batch.JobStatus'),
  },
  'batch.JobSpec': {
    parallelism: int32(1, 'ptr'),
    completions: int32(2, 'ptr'),
    activeDeadlineSeconds: int64(3, 'ptr'),
    podFailurePolicy: msg(11, 'batch.PodFailurePolicy', 'ptr'),
    successPolicy: msg(16, 'batch.SuccessPolicy', 'ptr'),
    backoffLimit: int32(7, 'ptr'),
    backoffLimitPerIndex: int32(12, 'ptr'),
    maxFailedIndexes: int32(13, 'ptr'),
    selector: msg(4, 'meta.LabelSelector', 'ptr'),
    manualSelector: bool(5, 'ptr'),
    template: msg(6, 'core.PodTemplateSpec', 'req'),
    ttlSecondsAfterFinished: int32(8, 'ptr'),
    completionMode: string(9, 'ptr'),
    suspend: bool(10, 'ptr'),
    podReplacementPolicy: string(14, 'ptr'),
    managedBy: string(15, 'ptr'),
  },
  'batch.PodFailurePolicy': { rules: list(1, 'batch.PodFailurePolicyRule') },
  'batch.PodFailurePolicyRule': {
    action: string(1, 'req'),
    onExitCodes: msg(2, 'batch.PodFailurePolicyOnExitCodesRequirement', 'ptr'),
    onPodConditions: list(3, 'batch.PodFailurePolicyOnPodConditionsPattern'),
  },
  'batch.PodFailurePolicyOnExitCodesRequirement': {
    containerName: string(1, 'ptr'),
    operator: string(2, 'req'),
    values: list(3, 'int32'),
  },
  'batch.PodFailurePolicyOnPodConditionsPattern': {
    type: string(1, 'req'),
    status: string(2),
  },
  'batch.SuccessPolicy': { rules: list(1, 'batch.SuccessPolicyRule') },
  'batch.SuccessPolicyRule': {
    succeededIndexes: string(1, 'ptr'),
    succeededCount: int32(2, 'ptr'),
  },
  'batch.JobStatus': {
    conditions: list(1, 'batch.JobCondition'),
    startTime: msg(2, 'meta.Time', 'ptr'),
    completionTime: msg(3, 'meta.Time', 'ptr'),
    active: int32(4),
    succeeded: int32(5),
    failed: int32(6),
    terminating: int32(11, 'ptr'),
    completedIndexes: string(7),
    failedIndexes: string(10, 'ptr'),
    uncountedTerminatedPods: msg(8, 'batch.UncountedTerminatedPods', 'ptr'),
    ready: int32(9, 'ptr'),
  },
  'batch.UncountedTerminatedPods': {
    succeeded: list(1, 'string'),
    failed: list(2, 'string'),
  },
  'batch.JobCondition': {
    type: string(1, 'req'),
    status: string(2, 'req'),
    lastProbeTime: msg(3, 'meta.Time'),
    lastTransitionTime: msg(4, 'meta.Time'),
    reason: string(5),
    message: string(6),
  },
  'batch.CronJob': {
    metadata: msg(1, 'meta.ObjectMeta'),
    spec: msg(2, 'batch.CronJobSpec'),
    status: msg(3, 'batch.CronJobStatus'),
  },
  'batch.CronJobSpec': {
    schedule: string(1, 'req'),
    timeZone: string(8, 'ptr'),
    startingDeadlineSeconds: int64(2, 'ptr'),
    concurrencyPolicy: string(3),
    suspend: bool(4, 'ptr'),
    jobTemplate: msg(5, 'batch.JobTemplateSpec', 'req'),
    successfulJobsHistoryLimit: int32(6, 'ptr'),
    failedJobsHistoryLimit: int32(7, 'ptr'),
  },
  'batch.JobTemplateSpec': {
    metadata: msg(1, 'meta.ObjectMeta'),
    spec: msg(2, 'batch.JobSpec'),
  },
  'batch.CronJobStatus': {
    active: list(1, 'core.ObjectReference'),
    lastScheduleTime: msg(4, 'meta.Time', 'ptr'),
    lastSuccessfulTime: msg(5, 'meta.Time', 'ptr'),
  },
};
