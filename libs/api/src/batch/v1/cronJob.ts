/**
 * batch/v1 CronJob: the schema, SetDefaults_CronJob (concurrencyPolicy Allow, suspend false,
 * history limits 3 and 1), and ValidateCronJob with upstream's messages (the schedule through
 * ./cronSchedule.ts). The CronJob controller comes later.
 */
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { invalidValue, notSupported, path, required } from '../../meta/fieldErrors';
import { ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { validateNonnegativeField } from '../../core/v1/container';
import { ObjectReference } from '../../core/v1/event';
import { defaultPodTemplateSpec } from '../../core/v1/podSpec';
import { cronScheduleError } from './cronSchedule';
import { JobSpec, validateJobSpec } from './job';

const int = () => z.number().int();

export const JobTemplateSpec = z
  .object({
    metadata: ObjectMeta.default({}),
    spec: JobSpec.default({}),
  })
  .strict();
export type JobTemplateSpec = z.infer<typeof JobTemplateSpec>;

export const CronJobSpec = z
  .object({
    schedule: z.string().default(''),
    timeZone: z.string().optional(),
    startingDeadlineSeconds: int().optional(),
    concurrencyPolicy: z.string().optional(),
    suspend: z.boolean().optional(),
    jobTemplate: JobTemplateSpec.default({}),
    successfulJobsHistoryLimit: int().optional(),
    failedJobsHistoryLimit: int().optional(),
  })
  .strict();
export type CronJobSpec = z.infer<typeof CronJobSpec>;

export const CronJobStatus = z
  .object({
    active: z.array(ObjectReference).optional(),
    lastScheduleTime: z.string().optional(),
    lastSuccessfulTime: z.string().optional(),
  })
  .strict();
export type CronJobStatus = z.infer<typeof CronJobStatus>;

export const CronJob = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: CronJobSpec.default({}),
    status: CronJobStatus.default({}),
  })
  .strict();
export type CronJob = z.infer<typeof CronJob>;

export const concurrencyPolicies = ['Allow', 'Forbid', 'Replace'] as const;

/** SetDefaults_CronJob (the job template's pod template gets the pod defaults too). */
export function defaultCronJob(cj: CronJob): void {
  const s = cj.spec;
  if (s.concurrencyPolicy === undefined) s.concurrencyPolicy = 'Allow';
  if (s.suspend === undefined) s.suspend = false;
  if (s.successfulJobsHistoryLimit === undefined) s.successfulJobsHistoryLimit = 3;
  if (s.failedJobsHistoryLimit === undefined) s.failedJobsHistoryLimit = 1;
  defaultPodTemplateSpec(s.jobTemplate.spec.template);
}

/** The Job name a CronJob adds its 11-character schedule suffix to must stay a valid name. */
const maxCronJobNameLength = 52;

/** validateTimeZone: an IANA zone name, not Local. */
function validateTimeZone(tz: string): FieldError[] {
  const p = path('spec', 'timeZone');
  if (tz === '') return [invalidValue(p, tz, 'timeZone must be nil or non-empty string')];
  if (tz.toLowerCase() === 'local')
    return [
      invalidValue(
        p,
        tz,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    ];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return [];
  } catch {
    return [invalidValue(p, tz, `unknown time zone ${tz}`)];
  }
}

/** ValidateCronJobCreate / validateCronJobSpec. */
export function validateCronJob(cj: CronJob): FieldError[] {
  const errs: FieldError[] = [];
  const name = cj.metadata.name ?? '';
  if (name.length > maxCronJobNameLength)
    errs.push(invalidValue(path('metadata', 'name'), name, 'must be no more than 52 characters'));
  const p = path('spec');
  const s = cj.spec;
  if (!s.schedule) errs.push(required(p.child('schedule')));
  else {
    const why = cronScheduleError(s.schedule);
    if (why) errs.push(invalidValue(p.child('schedule'), s.schedule, why));
    if (s.schedule.includes('TZ'))
      errs.push(
        invalidValue(
          p.child('schedule'),
          s.schedule,
          'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
        ),
      );
  }
  if (s.timeZone !== undefined) errs.push(...validateTimeZone(s.timeZone));
  if (s.startingDeadlineSeconds !== undefined)
    errs.push(
      ...validateNonnegativeField(s.startingDeadlineSeconds, p.child('startingDeadlineSeconds')),
    );
  if (
    s.concurrencyPolicy !== undefined &&
    !(concurrencyPolicies as readonly string[]).includes(s.concurrencyPolicy)
  )
    errs.push(notSupported(p.child('concurrencyPolicy'), s.concurrencyPolicy, concurrencyPolicies));
  else if (s.concurrencyPolicy === undefined) errs.push(required(p.child('concurrencyPolicy')));
  for (const f of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
    const v = s[f];
    if (v !== undefined) errs.push(...validateNonnegativeField(v, p.child(f)));
  }
  errs.push(...validateJobSpec(s.jobTemplate.spec, p.child('jobTemplate', 'spec')));
  return errs;
}

export const cronJobKind: KindInfo<CronJob> = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  resource: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  schema: CronJob,
  defaults: defaultCronJob,
  validate: validateCronJob,
  subresources: ['status'],
  tracksGeneration: true,
  prepareForCreate: (cj) => {
    cj.status = {};
  },
  prepareForUpdate: (cj, old) => {
    cj.status = structuredClone(old.status);
  },
};
