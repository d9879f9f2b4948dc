/**
 * batch/v1 (k8s.io/api/batch/v1): Job and CronJob.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import { concurrencyPolicies } from '@kubeling/api';
import { definitions } from './catalogue';
import { conditionStatuses, objectHeader } from './metaV1';

export const batchV1 = definitions('batch', {
  Job: {
    description:
      'Runs pods until a given number of them finish successfully; failed pods are retried up to a limit.',
    fields: {
      ...objectHeader,
      spec: {
        type: 'JobSpec',
        description: 'What to run, how many completions, and how to retry.',
      },
      status: {
        type: 'JobStatus',
        description: 'How many pods are running, succeeded and failed.',
      },
    },
  },

  JobSpec: {
    description: 'The desired behaviour of a Job.',
    required: ['template'],
    fields: {
      parallelism: 'How many pods may run at once; 1 by default.',
      completions:
        'How many pods must succeed; unset means any one success completes the job (with parallelism, the first success).',
      activeDeadlineSeconds: {
        type: 'int64',
        description: 'Seconds the job may run, counted from its start, before it is failed.',
      },
      podFailurePolicy: {
        type: 'PodFailurePolicy',
        description: 'How particular pod failures count: ignored, failing the job, or counted.',
      },
      successPolicy: {
        type: 'SuccessPolicy',
        description: 'For Indexed jobs: which succeeded indexes are enough to succeed early.',
      },
      backoffLimit: 'How many retries before the job is failed; 6 by default.',
      backoffLimitPerIndex: 'For Indexed jobs: retries allowed for each index.',
      maxFailedIndexes:
        'For Indexed jobs with backoffLimitPerIndex: how many indexes may fail before the job fails.',
      selector: {
        type: 'meta.LabelSelector',
        description:
          'Which pods belong to the job. Generated from the job uid unless manualSelector is set.',
      },
      manualSelector:
        "Whether the selector is the user's own; false (the default) makes the server generate it.",
      template: {
        type: 'core.PodTemplateSpec',
        description: 'The pods to run. Their restartPolicy must be Never or OnFailure.',
      },
      ttlSecondsAfterFinished:
        'Seconds after the job finished when it may be deleted automatically.',
      completionMode: {
        description:
          '`NonIndexed` (the default): any pods may complete; `Indexed`: each of 0..completions-1 must complete once.',
        enum: ['Indexed', 'NonIndexed'],
      },
      suspend: 'Whether the job is held: no pods are started, and running ones are stopped.',
      podReplacementPolicy: {
        description:
          'When a replacement pod starts: once the old one is terminating (TerminatingOrFailed) or only once it has failed (Failed).',
        enum: ['Failed', 'TerminatingOrFailed'],
      },
      managedBy: 'Which controller manages the job; empty means the built-in one.',
    },
  },

  PodFailurePolicy: {
    description: 'Rules that decide what a failed pod means for its job.',
    required: ['rules'],
    fields: {
      rules: { type: '[]PodFailurePolicyRule', description: 'The rules, the first match wins.' },
    },
  },

  PodFailurePolicyRule: {
    description: 'One rule: which failures it matches and what then happens.',
    required: ['action'],
    fields: {
      action: {
        description:
          'FailJob, FailIndex, Ignore (not counted against backoffLimit) or Count (the default handling).',
        enum: ['Count', 'FailIndex', 'FailJob', 'Ignore'],
      },
      onExitCodes: {
        type: 'PodFailurePolicyOnExitCodesRequirement',
        description: 'Matches on container exit codes.',
      },
      onPodConditions: {
        type: '[]PodFailurePolicyOnPodConditionsPattern',
        description: 'Matches on pod conditions, such as DisruptionTarget.',
      },
    },
  },

  PodFailurePolicyOnExitCodesRequirement: {
    description: 'A requirement on the exit codes of terminated containers.',
    required: ['operator', 'values'],
    fields: {
      containerName: 'Only this container counts; every container when unset.',
      operator: { description: 'In or NotIn the values.', enum: ['In', 'NotIn'] },
      values: 'The exit codes.',
    },
  },

  PodFailurePolicyOnPodConditionsPattern: {
    description: 'A pattern a pod condition must match.',
    required: ['type'],
    fields: {
      type: 'The condition type.',
      status: { description: 'The condition status; True by default.', enum: conditionStatuses },
    },
  },

  SuccessPolicy: {
    description: 'When an Indexed job counts as succeeded before every index has.',
    required: ['rules'],
    fields: {
      rules: { type: '[]SuccessPolicyRule', description: 'The rules; any one met is enough.' },
    },
  },

  SuccessPolicyRule: {
    description: 'A set of indexes, or a count of them, whose success succeeds the job.',
    fields: {
      succeededIndexes: 'Indexes, as a list of intervals such as `1,3-5`.',
      succeededCount: 'How many of those indexes must succeed.',
    },
  },

  JobStatus: {
    description: 'The observed state of a Job.',
    fields: {
      conditions: {
        type: '[]JobCondition',
        description: 'Conditions, such as Complete or Failed.',
      },
      startTime: { type: 'meta.Time', description: 'When the controller started the job.' },
      completionTime: { type: 'meta.Time', description: 'When the job completed.' },
      active: 'How many pods are pending or running.',
      succeeded: 'How many pods succeeded.',
      failed: 'How many pods failed.',
      terminating: 'How many pods are shutting down.',
      completedIndexes: 'For Indexed jobs: the completed indexes, as intervals.',
      failedIndexes: 'For Indexed jobs with backoffLimitPerIndex: the failed indexes.',
      uncountedTerminatedPods: {
        type: 'UncountedTerminatedPods',
        description: 'Finished pods the controller has not counted yet.',
      },
      ready: 'How many pods are ready.',
    },
  },

  UncountedTerminatedPods: {
    description: 'The uids of finished pods not yet counted in the job status.',
    fields: {
      succeeded: 'Uids of succeeded pods.',
      failed: 'Uids of failed pods.',
    },
  },

  JobCondition: {
    description: 'One condition of a Job.',
    required: ['type', 'status'],
    fields: {
      type: 'Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet.',
      status: { description: 'Whether the condition holds.', enum: conditionStatuses },
      lastProbeTime: { type: 'meta.Time', description: 'When the condition was last checked.' },
      lastTransitionTime: { type: 'meta.Time', description: 'When status last changed.' },
      reason: 'A CamelCase, machine-readable reason for the last change.',
      message: 'A human-readable account of the last change.',
    },
  },

  CronJob: {
    description: 'Creates Jobs on a repeating schedule, as cron does.',
    fields: {
      ...objectHeader,
      spec: { type: 'CronJobSpec', description: 'The schedule and the job to create.' },
      status: { type: 'CronJobStatus', description: 'The running jobs and the last schedule.' },
    },
  },

  CronJobSpec: {
    description: 'The desired behaviour of a CronJob.',
    required: ['schedule', 'jobTemplate'],
    fields: {
      schedule: 'When to run, in cron format (`*/5 * * * *`) or a descriptor such as `@hourly`.',
      timeZone: "The IANA time zone of the schedule; the controller-manager's zone when unset.",
      startingDeadlineSeconds: {
        type: 'int64',
        description: 'Seconds after a missed schedule during which the job may still start.',
      },
      concurrencyPolicy: {
        description:
          'What to do when a run is due while the last one still runs: Allow (the default), Forbid or Replace.',
        enum: concurrencyPolicies,
      },
      suspend: 'Whether future runs are held; false by default.',
      jobTemplate: { type: 'JobTemplateSpec', description: 'The Job each run creates.' },
      successfulJobsHistoryLimit: 'How many finished successful jobs to keep; 3 by default.',
      failedJobsHistoryLimit: 'How many failed jobs to keep; 1 by default.',
    },
  },

  JobTemplateSpec: {
    description: 'The Job a CronJob creates: its metadata and spec.',
    fields: {
      metadata: { type: 'meta.ObjectMeta', description: 'Labels and annotations of the Jobs.' },
      spec: { type: 'JobSpec', description: 'The spec of the Jobs.' },
    },
  },

  CronJobStatus: {
    description: 'The observed state of a CronJob.',
    fields: {
      active: { type: '[]core.ObjectReference', description: 'The jobs running now.' },
      lastScheduleTime: { type: 'meta.Time', description: 'When a job was last scheduled.' },
      lastSuccessfulTime: {
        type: 'meta.Time',
        description: 'When a job last completed successfully.',
      },
    },
  },
});
