import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { ReplicaSet } from './replicaSet';
import { replicaSetKind as kind } from './replicaSet';

function statusOf(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

function create(raw: unknown): ReplicaSet {
  const { object } = decode(kind, raw);
  applyDefaults(kind, object);
  kind.prepareForCreate?.(object);
  validateCreate(kind, object);
  return object;
}

/** The seed's ReplicaSet `hello`, with the namespace the api-server fills in. */
const hello = (spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'hello', namespace: 'default' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'hello' } },
    template: {
      metadata: { name: 'hello', labels: { app: 'hello' } },
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

describe('ReplicaSet', () => {
  it('decodes, defaults and validates the seed', () => {
    const rs = create(hello());
    expect(rs.spec.replicas).toBe(3);
    const pod = rs.spec.template.spec;
    expect(pod.restartPolicy).toBe('Always');
    expect(pod.dnsPolicy).toBe('ClusterFirst');
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(pod.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    expect(rs.status).toEqual({ replicas: 0 });
    expect(kind.fieldLabels?.(rs)).toEqual({ 'status.replicas': '0' });
  });

  it('defaults replicas to 1', () => {
    const body = hello();
    delete (body.spec as Record<string, unknown>).replicas;
    expect(create(body).spec.replicas).toBe(1);
  });

  it('accepts set-based selectors that match the template', () => {
    create(
      hello({
        selector: {
          matchExpressions: [{ key: 'app', operator: 'In', values: ['hello', 'world'] }],
        },
      }),
    );
  });

  it('requires a selector', () => {
    const body = hello();
    delete (body.spec as Record<string, unknown>).selector;
    const st = statusOf(() => create(body));
    expect(st.code).toBe(422);
    expect(st.message).toBe('ReplicaSet.apps "hello" is invalid: spec.selector: Required value');
  });

  it('refuses an empty selector', () => {
    expect(statusOf(() => create(hello({ selector: {} }))).message).toBe(
      'ReplicaSet.apps "hello" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    );
  });

  it('wants the selector to match the template labels', () => {
    expect(statusOf(() => create(hello({ selector: { matchLabels: { app: 'x' } } }))).message).toBe(
      'ReplicaSet.apps "hello" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"hello"}: `selector` does not match template `labels`',
    );
  });

  it('checks selector syntax, replicas and the restart policy', () => {
    expect(
      statusOf(() =>
        create(hello({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } })),
      ).message,
    ).toContain(
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    );
    expect(statusOf(() => create(hello({ replicas: -1 }))).message).toBe(
      'ReplicaSet.apps "hello" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    const body = hello();
    (body.spec as { template: { spec: Record<string, unknown> } }).template.spec.restartPolicy =
      'OnFailure';
    expect(statusOf(() => create(body)).message).toBe(
      'ReplicaSet.apps "hello" is invalid: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    );
  });

  it('keeps the selector immutable and the status on update', () => {
    const old = create(hello());
    old.status = { replicas: 3, readyReplicas: 3 };
    const changed = hello({
      selector: { matchLabels: { app: 'hello', v: '2' } },
    });
    (
      changed.spec as { template: { metadata: { labels: Record<string, string> } } }
    ).template.metadata.labels = { app: 'hello', v: '2' };
    const { object } = decode(kind, { ...changed, metadata: { ...old.metadata } });
    applyDefaults(kind, object);
    kind.prepareForUpdate?.(object, old);
    const st = statusOf(() => validateUpdate(kind, object, old));
    expect(st.message).toBe(
      'ReplicaSet.apps "hello" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"hello", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
    expect(object.status).toEqual({ replicas: 3, readyReplicas: 3 });

    const { object: scaled } = decode(kind, {
      ...hello({ replicas: 5 }),
      metadata: { ...old.metadata },
    });
    applyDefaults(kind, scaled);
    validateUpdate(kind, scaled, old);
  });

  it('has the KindInfo the api-server serves', () => {
    expect(kind).toMatchObject({
      group: 'apps',
      resource: 'replicasets',
      shortNames: ['rs'],
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
