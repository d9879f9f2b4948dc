import { applyDefaults, decode, validateCreate } from '../../decode';
import { isStatusError } from '../../meta/status';
import type { CronJob } from './cronJob';
import { cronJobKind } from './cronJob';
import { cronScheduleError } from './cronSchedule';
import type { Job } from './job';
import { jobKind } from './job';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isStatusError(e)) return e.status.message ?? '';
    throw e;
  }
  throw new Error('no error');
}

const template = (restartPolicy = 'Never') => ({
  spec: { restartPolicy, containers: [{ name: 'pi', image: 'perl' }] },
});

function createJob(spec: Record<string, unknown>, uid = 'u-1'): Job {
  const { object } = decode(jobKind, { metadata: { name: 'pi', namespace: 'default' }, spec });
  applyDefaults(jobKind, object);
  object.metadata.uid = uid;
  jobKind.prepareForCreate?.(object);
  validateCreate(jobKind, object);
  return object;
}

describe('Job', () => {
  it('defaults as SetDefaults_Job and generates the selector and labels', () => {
    const job = createJob({ template: template() });
    expect(job.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
    });
    expect(job.spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'u-1',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'u-1',
      'job-name': 'pi',
    });
    expect(createJob({ completions: 5, template: template() }).spec.parallelism).toBe(1);
  });

  it('refuses restartPolicy Always, with upstream message', () => {
    expect(message(() => createJob({ template: template('Always') }))).toBe(
      'Job.batch "pi" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    );
  });

  it('requires completions for Indexed jobs and a selector that matches', () => {
    expect(
      message(() => createJob({ completionMode: 'Indexed', parallelism: 2, template: template() })),
    ).toContain('spec.completions: Required value: when completion mode is Indexed');
    expect(
      message(() =>
        createJob({
          manualSelector: true,
          selector: { matchLabels: { a: 'b' } },
          template: template(),
        }),
      ),
    ).toContain(
      'spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`',
    );
  });
});

function createCronJob(spec: Record<string, unknown>, name = 'hello'): CronJob {
  const { object } = decode(cronJobKind, { metadata: { name, namespace: 'default' }, spec });
  applyDefaults(cronJobKind, object);
  validateCreate(cronJobKind, object);
  return object;
}

describe('CronJob', () => {
  const jobTemplate = { spec: { template: template('OnFailure') } };

  it('defaults as SetDefaults_CronJob', () => {
    expect(createCronJob({ schedule: '*/1 * * * *', jobTemplate }).spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
  });

  it('validates the schedule, the time zone and the name length', () => {
    expect(message(() => createCronJob({ schedule: 'every minute', jobTemplate }))).toBe(
      'CronJob.batch "hello" is invalid: spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]',
    );
    expect(message(() => createCronJob({ schedule: 'TZ=UTC 0 * * * *', jobTemplate }))).toContain(
      'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    );
    expect(
      message(() => createCronJob({ schedule: '@hourly', timeZone: 'Mars/Base', jobTemplate })),
    ).toContain('spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base');
    expect(
      message(() => createCronJob({ schedule: '@daily', jobTemplate }, 'x'.repeat(53))),
    ).toContain(
      'metadata.name: Invalid value: "' + 'x'.repeat(53) + '": must be no more than 52 characters',
    );
  });
});

describe('cronScheduleError', () => {
  it.each([
    ['*/5 * * * *', undefined],
    ['0 0 1 jan mon-fri', undefined],
    ['@every 1h30m', undefined],
    ['@weekly', undefined],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@often', 'unrecognized descriptor: @often'],
  ])('%s', (schedule, err) => {
    expect(cronScheduleError(schedule)).toBe(err);
  });
});
