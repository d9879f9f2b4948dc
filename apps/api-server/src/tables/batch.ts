/**
 * batch/v1 as kubectl shows it: Jobs (printJob: STATUS from the conditions, COMPLETIONS as
 * succeeded/wanted, DURATION from start to completion or now) and CronJobs (printCronJob).
 */
import type { CronJob, Job } from '@kubeling/api';
import { parseTime } from '@kubeling/api';
import { humanDuration, since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';
import { containerCells, formatLabelSelector } from './workload';

const wide = { priority: 1 };
const containersColumn = column(
  'Containers',
  'string',
  'Names of each container in the template.',
  wide,
);
const imagesColumn = column(
  'Images',
  'string',
  'Images referenced by each container in the template.',
  wide,
);

export const jobColumns = [
  nameColumn,
  column('Status', 'string', 'Status of the job.'),
  column(
    'Completions',
    'string',
    'The completion status of the job as <number of succeeded pods>/<desired number of completions>',
  ),
  column('Duration', 'string', 'Time required to complete the job.'),
  ageColumn,
  containersColumn,
  imagesColumn,
  column('Selector', 'string', 'A label query over pods that should match the pod count.', wide),
];

function hasCondition(job: Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function jobStatus(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const spec: Partial<Job['spec']> = job.spec ?? {};
  if (spec.completions !== undefined) return `${succeeded}/${spec.completions}`;
  const parallelism = spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function duration(job: Job, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime;
  return humanDuration((end ? parseTime(end) : now) - parseTime(start));
}

export const jobPrinter = printer<Job>(jobColumns, (job, now) => {
  const [names, images] = containerCells(job.spec?.template?.spec?.containers);
  return [
    job.metadata.name ?? '',
    jobStatus(job),
    completions(job),
    duration(job, now),
    since(job.metadata.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(job.spec?.selector),
  ];
});

export const cronJobColumns = [
  nameColumn,
  column(
    'Schedule',
    'string',
    'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
  ),
  column(
    'Timezone',
    'string',
    'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
  ),
  column(
    'Suspend',
    'boolean',
    'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
  ),
  column('Active', 'integer', 'A list of pointers to currently running jobs.'),
  column(
    'Last Schedule',
    'string',
    'Information when was the last time the job was successfully scheduled.',
  ),
  ageColumn,
  containersColumn,
  imagesColumn,
  column('Selector', 'string', 'A label query over pods that should match the pod count.', wide),
];

/** printBoolPtr. */
function boolPtr(v: boolean | undefined): string {
  return v === undefined ? '<unset>' : v ? 'True' : 'False';
}

export const cronJobPrinter = printer<CronJob>(cronJobColumns, (cj, now) => {
  const tmpl = cj.spec?.jobTemplate?.spec;
  const [names, images] = containerCells(tmpl?.template?.spec?.containers);
  const last = cj.status?.lastScheduleTime;
  return [
    cj.metadata.name ?? '',
    cj.spec?.schedule ?? '',
    cj.spec?.timeZone ?? '<none>',
    boolPtr(cj.spec?.suspend),
    cj.status?.active?.length ?? 0,
    last ? since(last, now) : '<none>',
    since(cj.metadata.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(tmpl?.selector),
  ];
});
