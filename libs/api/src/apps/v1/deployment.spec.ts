import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { Deployment } from './deployment';
import { deploymentKind as kind } from './deployment';

function statusOf(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

function create(raw: unknown): Deployment {
  const { object } = decode(kind, raw);
  applyDefaults(kind, object);
  kind.prepareForCreate?.(object);
  validateCreate(kind, object);
  return object;
}

/** The seed's Deployment `rolling`. */
const rolling = (spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'rolling', namespace: 'default' },
  spec: {
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    minReadySeconds: 5,
    revisionHistoryLimit: 5,
    replicas: 5,
    selector: { matchLabels: { app: 'rolling' } },
    template: {
      metadata: { name: 'rolling', labels: { app: 'rolling' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginxdemos/hello:plain-text',
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          },
        ],
      },
    },
    ...spec,
  },
});

/** The seed's Deployment `webui` (nginx:1.14), defaults left to the server. */
const webui = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'webui', namespace: 'default' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'webui' } },
    template: {
      metadata: { name: 'nginx-pod', labels: { app: 'webui' } },
      spec: { containers: [{ name: 'nginx-container', image: 'nginx:1.14' }] },
    },
  },
};

const messageOf = (spec: Record<string, unknown>) => statusOf(() => create(rolling(spec))).message;

describe('Deployment', () => {
  it('decodes, defaults and validates the `rolling` seed', () => {
    const d = create(rolling());
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(d.spec.minReadySeconds).toBe(5);
    expect(d.spec.revisionHistoryLimit).toBe(5);
    expect(d.spec.replicas).toBe(5);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.template.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      ports: [{ protocol: 'TCP' }],
    });
    expect(d.status).toEqual({});
  });

  it('defaults the `webui` seed like the api-server', () => {
    const d = create(webui);
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
    });
    expect(d.spec.template.spec.containers[0]).toEqual({
      name: 'nginx-container',
      image: 'nginx:1.14',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    });
  });

  it('defaults replicas to 1 and leaves Recreate without rollingUpdate', () => {
    const body = structuredClone(webui) as { spec: Record<string, unknown> };
    delete body.spec.replicas;
    body.spec.strategy = { type: 'Recreate' };
    const d = create(body);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('forbids rollingUpdate with Recreate', () => {
    expect(messageOf({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } })).toBe(
      'Deployment.apps "rolling" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'',
    );
  });

  it('refuses a rollout that can neither surge nor be unavailable', () => {
    expect(messageOf({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } })).toBe(
      'Deployment.apps "rolling" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    );
    expect(
      messageOf({ strategy: { rollingUpdate: { maxSurge: '0%', maxUnavailable: 0 } } }),
    ).toContain(
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    );
  });

  it('checks percentages', () => {
    expect(
      messageOf({ strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '110%' } } }),
    ).toMatch(
      /^Deployment\.apps "rolling" is invalid: spec\.strategy\.rollingUpdate\.maxUnavailable: Invalid value: .*110%.*: must not be greater than 100%$/,
    );
    expect(
      messageOf({ strategy: { rollingUpdate: { maxSurge: 'many', maxUnavailable: 1 } } }),
    ).toMatch(
      /spec\.strategy\.rollingUpdate\.maxSurge: Invalid value: .*many.*: a valid percent string must be a numeric string followed by an ending '%' \(e\.g\. '1%',  or '93%', regex used for validation is '\[0-9\]\+%'\)/,
    );
    expect(messageOf({ strategy: { rollingUpdate: { maxSurge: -1, maxUnavailable: 1 } } })).toBe(
      'Deployment.apps "rolling" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('refuses an unknown strategy type', () => {
    expect(messageOf({ strategy: { type: 'BlueGreen' } })).toBe(
      'Deployment.apps "rolling" is invalid: spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    );
  });

  it('wants the progress deadline beyond minReadySeconds', () => {
    expect(messageOf({ progressDeadlineSeconds: 5 })).toBe(
      'Deployment.apps "rolling" is invalid: spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds',
    );
    expect(messageOf({ revisionHistoryLimit: -1 })).toBe(
      'Deployment.apps "rolling" is invalid: spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('applies the ReplicaSet selector and template rules', () => {
    expect(messageOf({ selector: { matchLabels: { app: 'other' } } })).toBe(
      'Deployment.apps "rolling" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"rolling"}: `selector` does not match template `labels`',
    );
    expect(messageOf({ selector: { matchLabels: {} } })).toBe(
      'Deployment.apps "rolling" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    );
    const body = rolling();
    (body.spec as { template: { spec: Record<string, unknown> } }).template.spec.restartPolicy =
      'Never';
    expect(statusOf(() => create(body)).message).toBe(
      'Deployment.apps "rolling" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    );
    const noSelector = rolling();
    delete (noSelector.spec as Record<string, unknown>).selector;
    expect(statusOf(() => create(noSelector)).message).toBe(
      'Deployment.apps "rolling" is invalid: spec.selector: Required value',
    );
  });

  it('rejects a template without containers', () => {
    const st = statusOf(() =>
      create({
        ...webui,
        spec: {
          selector: { matchLabels: { app: 'webui' } },
          template: { metadata: { labels: { app: 'webui' } } },
        },
      }),
    );
    expect(st.code).toBe(422);
    expect(st.message).toBe(
      'Deployment.apps "webui" is invalid: spec.template.spec.containers: Required value',
    );
  });

  it('keeps the selector immutable and the status on update; the template may change', () => {
    const old = create(rolling());
    old.status = {
      observedGeneration: 1,
      replicas: 5,
      updatedReplicas: 5,
      readyReplicas: 5,
      availableReplicas: 5,
    };
    const next = rolling();
    (
      (next.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
        .containers[0] as { image: string }
    ).image = 'nginxdemos/hello:latest';
    const { object } = decode(kind, { ...next, metadata: { ...old.metadata } });
    applyDefaults(kind, object);
    kind.prepareForUpdate?.(object, old);
    validateUpdate(kind, object, old);
    expect(object.status).toEqual(old.status);
    expect(object.spec.template.spec.containers[0]?.imagePullPolicy).toBe('Always');

    const moved = rolling({ selector: { matchLabels: { app: 'rolling', track: 'b' } } });
    (
      moved.spec as { template: { metadata: { labels: Record<string, string> } } }
    ).template.metadata.labels = { app: 'rolling', track: 'b' };
    const { object: moving } = decode(kind, { ...moved, metadata: { ...old.metadata } });
    applyDefaults(kind, moving);
    expect(statusOf(() => validateUpdate(kind, moving, old)).message).toBe(
      'Deployment.apps "rolling" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"rolling", "track":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it('accepts the full status shape', () => {
    const { object } = decode(kind, {
      ...webui,
      status: {
        observedGeneration: 2,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        unavailableReplicas: 0,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            lastUpdateTime: '2025-01-01T00:00:00Z',
            lastTransitionTime: '2025-01-01T00:00:00Z',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
        ],
        collisionCount: 0,
      },
    });
    expect(object.status.conditions?.[0]?.reason).toBe('MinimumReplicasAvailable');
  });

  it('has the KindInfo the api-server serves', () => {
    expect(kind).toMatchObject({
      group: 'apps',
      resource: 'deployments',
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: ['status', 'scale'],
      tracksGeneration: true,
      scale: {
        specReplicasPath: ['spec', 'replicas'],
        statusReplicasPath: ['status', 'replicas'],
        selectorPath: ['spec', 'selector'],
      },
    });
  });
});
