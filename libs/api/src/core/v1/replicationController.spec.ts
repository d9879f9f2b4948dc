import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { ReplicationController } from './replicationController';
import { replicationControllerKind as kind } from './replicationController';

function statusOf(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

function create(raw: unknown): ReplicationController {
  const { object } = decode(kind, raw);
  applyDefaults(kind, object);
  kind.prepareForCreate?.(object);
  validateCreate(kind, object);
  return object;
}

function rcBody(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'kubia', namespace: 'default' },
    spec,
  };
}

const template = (
  labels: Record<string, string> | undefined,
  spec: Record<string, unknown> = {},
) => ({
  metadata: labels ? { labels } : {},
  spec: {
    containers: [{ name: 'kubia', image: 'luksa/kubia', ports: [{ containerPort: 8080 }] }],
    ...spec,
  },
});

describe('ReplicationController', () => {
  it('copies the template labels to an absent selector and object labels, replicas 1', () => {
    const rc = create(rcBody({ template: template({ app: 'kubia' }) }));
    expect(rc.spec.selector).toEqual({ app: 'kubia' });
    expect(rc.metadata.labels).toEqual({ app: 'kubia' });
    expect(rc.spec.replicas).toBe(1);
    expect(rc.spec.template?.spec.containers[0]?.imagePullPolicy).toBe('Always');
    expect(rc.spec.template?.spec.restartPolicy).toBe('Always');
    // Pod-only defaults stay out of templates.
    expect(rc.spec.template?.spec.enableServiceLinks).toBeUndefined();
    expect(rc.status).toEqual({ replicas: 0 });
  });

  it('keeps a given selector and labels', () => {
    const rc = create({
      ...rcBody({
        replicas: 3,
        selector: { app: 'kubia' },
        template: template({ app: 'kubia', tier: 'web' }),
      }),
      metadata: { name: 'kubia', namespace: 'default', labels: { team: 'a' } },
    });
    expect(rc.spec.selector).toEqual({ app: 'kubia' });
    expect(rc.metadata.labels).toEqual({ team: 'a' });
    expect(rc.spec.replicas).toBe(3);
  });

  it('requires a selector and a template', () => {
    expect(statusOf(() => create(rcBody({ template: template(undefined) }))).message).toBe(
      'ReplicationController "kubia" is invalid: spec.selector: Required value',
    );
    expect(statusOf(() => create(rcBody({ selector: { app: 'kubia' } }))).message).toBe(
      'ReplicationController "kubia" is invalid: spec.template: Required value',
    );
  });

  it('wants the selector to match the template labels', () => {
    const st = statusOf(() =>
      create(rcBody({ selector: { app: 'other' }, template: template({ app: 'kubia' }) })),
    );
    expect(st.code).toBe(422);
    expect(st.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.template.metadata.labels',
        message:
          'Invalid value: map[string]string{"app":"kubia"}: `selector` does not match template `labels`',
      },
    ]);
    expect(st.message).toBe(
      'ReplicationController "kubia" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"kubia"}: `selector` does not match template `labels`',
    );
  });

  it('wants pods that always restart, without a deadline', () => {
    expect(
      statusOf(() =>
        create(rcBody({ template: template({ app: 'kubia' }, { restartPolicy: 'Never' }) })),
      ).message,
    ).toBe(
      'ReplicationController "kubia" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    );
    expect(
      statusOf(() =>
        create(rcBody({ template: template({ app: 'kubia' }, { activeDeadlineSeconds: 10 }) })),
      ).message,
    ).toBe(
      'ReplicationController "kubia" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported',
    );
    expect(
      statusOf(() => create(rcBody({ replicas: -1, template: template({ app: 'kubia' }) })))
        .message,
    ).toBe(
      'ReplicationController "kubia" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('validates the template pod spec', () => {
    expect(
      statusOf(() =>
        create(
          rcBody({
            template: {
              metadata: { labels: { app: 'x' } },
              spec: { containers: [{ name: 'c', image: '' }] },
            },
          }),
        ),
      ).message,
    ).toBe(
      'ReplicationController "kubia" is invalid: spec.template.spec.containers[0].image: Required value',
    );
  });

  it('keeps the status on update and lets the selector change', () => {
    const old = create(rcBody({ template: template({ app: 'kubia' }) }));
    old.status = { replicas: 1, readyReplicas: 1 };
    const { object } = decode(kind, {
      ...rcBody({
        replicas: 2,
        selector: { app: 'kubia2' },
        template: template({ app: 'kubia2' }),
      }),
      metadata: { ...old.metadata },
      status: { replicas: 99 },
    });
    applyDefaults(kind, object);
    kind.prepareForUpdate?.(object, old);
    validateUpdate(kind, object, old);
    expect(object.status).toEqual({ replicas: 1, readyReplicas: 1 });
    expect(kind.fieldLabels?.(object)).toEqual({ 'status.replicas': '1' });
  });

  it('has the KindInfo the api-server serves', () => {
    expect(kind).toMatchObject({
      resource: 'replicationcontrollers',
      shortNames: ['rc'],
      categories: ['all'],
      subresources: ['status', 'scale'],
      tracksGeneration: true,
      scale: { specReplicasPath: ['spec', 'replicas'], statusReplicasPath: ['status', 'replicas'] },
    });
  });
});
