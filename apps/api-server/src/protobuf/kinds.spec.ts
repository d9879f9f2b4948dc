import type { ZodTypeAny } from 'zod';
import type { KindInfo } from '@kubeling/api';
import { applyDefaults, decode, isStatusError, scheme, validateCreate } from '@kubeling/api';
import type { FieldDef } from './fields';
import { isScalar } from './fields';
import { decodableKinds, messageDef, messageForKind, messages } from './kinds';
import { decodeProtobufObject, encodeProtobufObject } from './unknown';

/** JSON → protobuf body → JSON, through the same envelope kubectl sends. */
function roundTrip<T extends { apiVersion: string; kind: string }>(obj: T): unknown {
  return decodeProtobufObject(encodeProtobufObject(obj));
}

// ---- the message tables against libs/api's schemas ------------------------------------------

interface ZodDef {
  typeName: string;
  innerType?: ZodTypeAny;
  schema?: ZodTypeAny;
  type?: ZodTypeAny;
  valueType?: ZodTypeAny;
  getter?: () => ZodTypeAny;
  in?: ZodTypeAny;
  shape?: () => Record<string, ZodTypeAny>;
}

/** Strips optional/default/effects/lazy wrappers. */
function core(t: ZodTypeAny): ZodTypeAny {
  for (;;) {
    const d = t._def as ZodDef;
    const next =
      d.typeName === 'ZodLazy'
        ? d.getter?.()
        : (d.innerType ?? (d.typeName === 'ZodEffects' ? d.schema : undefined));
    if (!next) return t;
    t = next;
  }
}

function zodName(t: ZodTypeAny): string {
  return (t._def as ZodDef).typeName;
}

/** A message's fields as JSON sees them: inline structs flattened into the parent. */
function jsonFields(name: string): Map<string, FieldDef> {
  const out = new Map<string, FieldDef>();
  for (const [field, f] of Object.entries(messageDef(name))) {
    if (f.rule === 'inline') for (const [k, v] of jsonFields(f.type)) out.set(k, v);
    else out.set(field, f);
  }
  return out;
}

/** Messages whose JSON form is not an object (toJson.ts converts them). */
const jsonScalars: Record<string, string[]> = {
  'meta.Time': ['ZodString'],
  'meta.MicroTime': ['ZodString'],
  'intstr.IntOrString': ['ZodUnion'],
  'resource.Quantity': ['ZodUnion', 'ZodString'],
  'meta.FieldsV1': ['ZodRecord'],
  'runtime.RawExtension': ['ZodRecord'],
};

const scalarZod: Record<string, string[]> = {
  string: ['ZodString', 'ZodEnum', 'ZodLiteral'],
  int32: ['ZodNumber'],
  int64: ['ZodNumber'],
  bool: ['ZodBoolean'],
  bytes: ['ZodString'],
};

function compare(
  z: ZodTypeAny,
  message: string,
  at: string,
  problems: string[],
  seen: Set<string>,
): void {
  const t = core(z);
  const scalarForms = jsonScalars[message];
  if (scalarForms) {
    if (!scalarForms.includes(zodName(t))) problems.push(`${at}: ${message} vs ${zodName(t)}`);
    return;
  }
  // NodeConfigSource / NodeConfigStatus: the schema takes any object there.
  if (zodName(t) === 'ZodRecord') return;
  if (zodName(t) !== 'ZodObject') {
    problems.push(`${at}: message ${message} vs ${zodName(t)}`);
    return;
  }
  const key = `${message}@${at.replace(/\[\]/g, '')}`;
  if (seen.has(key)) return;
  seen.add(key);
  const shape = (t._def as ZodDef).shape?.() ?? {};
  const fields = jsonFields(message);
  const top = !at.includes('.');
  for (const [k, sub] of Object.entries(shape)) {
    if (top && (k === 'apiVersion' || k === 'kind')) continue;
    const f = fields.get(k);
    if (!f) {
      problems.push(`${at}.${k}: in the schema, not in ${message}`);
      continue;
    }
    let zt = core(sub);
    if (f.rule === 'list') {
      if (zodName(zt) !== 'ZodArray') problems.push(`${at}.${k}: list vs ${zodName(zt)}`);
      zt = core((zt._def as ZodDef).type ?? zt);
    } else if (f.rule === 'map') {
      if (zodName(zt) !== 'ZodRecord') problems.push(`${at}.${k}: map vs ${zodName(zt)}`);
      zt = core((zt._def as ZodDef).valueType ?? zt);
    }
    if (isScalar(f.type)) {
      if (!scalarZod[f.type]?.includes(zodName(zt)))
        problems.push(`${at}.${k}: ${f.type} vs ${zodName(zt)}`);
    } else compare(zt, f.type, `${at}.${k}`, problems, seen);
  }
  for (const k of fields.keys())
    if (!(k in shape)) problems.push(`${at}.${k}: in ${message}, not in the schema`);
}

describe('message tables', () => {
  it('have a message for every kind kubeling serves', () => {
    for (const info of scheme.all()) {
      const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
      expect(messageForKind(apiVersion, info.kind)).toBeDefined();
    }
    expect(messageForKind('v1', 'DeleteOptions')).toBe('meta.DeleteOptions');
    expect(messageForKind('apps/v1', 'DeleteOptions')).toBe('meta.DeleteOptions');
    expect(messageForKind('autoscaling/v1', 'Scale')).toBe('autoscaling.Scale');
    expect(messageForKind('v1', 'Binding')).toBeUndefined();
  });

  it('carry exactly the fields of the zod schemas, with matching types', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const info of scheme.all()) {
      const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
      compare(
        info.schema as ZodTypeAny,
        messageForKind(apiVersion, info.kind)!,
        info.kind,
        problems,
        seen,
      );
    }
    expect(problems).toEqual([]);
  });

  it('refer only to messages they define, with unique field numbers', () => {
    for (const [name, def] of Object.entries(messages)) {
      const ids = Object.values(def).map((f) => f.id);
      expect({ name, dup: ids.length - new Set(ids).size }).toEqual({ name, dup: 0 });
      for (const f of Object.values(def))
        if (!isScalar(f.type))
          expect({ name, ref: f.type in messages }).toEqual({ name, ref: true });
    }
  });
});

// ---- every field of every kind, through the wire --------------------------------------------

/** A JSON value for a field with nothing zero in it, so that every field survives the trip. */
function sample(type: string, n: number, stack: string[]): unknown {
  switch (type) {
    case 'string':
      return `v${n}`;
    case 'int32':
      return 7 + n;
    case 'int64':
      return 2 ** 40 + n;
    case 'bool':
      return true;
    case 'bytes':
      return Buffer.from(`b${n}`).toString('base64');
    case 'meta.Time':
      return '2024-05-01T10:00:00Z';
    case 'meta.MicroTime':
      return '2024-05-01T10:00:00.123456Z';
    case 'intstr.IntOrString':
      return n % 2 ? 'http' : 8080;
    case 'resource.Quantity':
      return '250m';
    case 'meta.FieldsV1':
      return { 'f:metadata': { 'f:name': {} } };
  }
  const out: Record<string, unknown> = {};
  if (stack.includes(type)) return out;
  for (const [field, f] of jsonFields(type)) {
    const v = sample(f.type, field.length, [...stack, type]);
    if (f.rule === 'list') out[field] = [v];
    else if (f.rule === 'map') out[field] = { [`k${field.length}`]: v };
    else out[field] = v;
  }
  return out;
}

describe('every field of every kind', () => {
  it.each(decodableKinds().map((k) => [`${k.apiVersion} ${k.kind}`, k] as const))(
    '%s survives encode → decode, and the result decodes under the strict schema',
    (_name, k) => {
      const obj = {
        apiVersion: k.apiVersion,
        kind: k.kind,
        ...(sample(k.message, 0, []) as object),
      };
      expect(roundTrip(obj)).toEqual(obj);
      const info = scheme.byKind(k.apiVersion, k.kind);
      if (!info) return;
      // Values are nonsense, so validation (422) may complain; type errors and unknown fields
      // (400) would mean the JSON form disagrees with the schema.
      try {
        decode(info, roundTrip(obj), 'Strict');
      } catch (e) {
        expect(isStatusError(e) ? e.code : e).not.toBe(400);
      }
    },
  );
});

// ---- realistic objects, one per kind ----------------------------------------------------------

const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'default',
  uid: '5f3c1e9a-1d0b-4c9e-9a53-2f7d4b8e6a10',
  resourceVersion: '42',
  creationTimestamp: '2024-05-01T10:00:00Z',
  labels: { app: 'web' },
  ...extra,
});

const container = {
  name: 'nginx',
  image: 'nginx:1.27',
  command: ['nginx'],
  args: ['-g', 'daemon off;'],
  ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
  env: [
    { name: 'MODE', value: 'prod' },
    { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    {
      name: 'LIMIT',
      valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } },
    },
    { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'p', optional: false } } },
  ],
  envFrom: [{ prefix: 'CM_', configMapRef: { name: 'c' } }],
  resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
  volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
  livenessProbe: {
    httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
    initialDelaySeconds: 3,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  },
  readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
  lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: 'IfNotPresent',
  securityContext: {
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    runAsUser: 101,
    allowPrivilegeEscalation: false,
  },
};

const podSpec = {
  volumes: [
    { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
    { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
    { name: 'sec', secret: { secretName: 's', items: [{ key: 'p', path: 'p.txt' }] } },
  ],
  initContainers: [{ name: 'init', image: 'busybox', command: ['true'], resources: {} }],
  containers: [container],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  serviceAccountName: 'default',
  automountServiceAccountToken: false,
  securityContext: { fsGroup: 2000, supplementalGroups: [3000] },
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] },
        ],
      },
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            labelSelector: { matchLabels: { app: 'web' } },
            topologyKey: 'kubernetes.io/hostname',
          },
        },
      ],
    },
  },
  schedulerName: 'default-scheduler',
  tolerations: [
    {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
  ],
  priority: 0,
  enableServiceLinks: true,
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { app: 'web' } },
    },
  ],
};

const template = { metadata: { labels: { app: 'web' } }, spec: podSpec };

const realistic: Array<{ apiVersion: string; kind: string; [k: string]: unknown }> = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('web-0', {
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-5d4f',
          uid: '0b5f9a3e-8d2c-4f7e-9c1a-3e6b2d8f4a70',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      finalizers: ['example.com/guard'],
    }),
    spec: { ...podSpec, nodeName: 'node-1' },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T10:00:05Z' }],
      hostIP: '10.0.0.5',
      hostIPs: [{ ip: '10.0.0.5' }],
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      startTime: '2024-05-01T10:00:01Z',
      containerStatuses: [
        {
          name: 'nginx',
          state: { running: { startedAt: '2024-05-01T10:00:03Z' } },
          lastState: {
            terminated: {
              exitCode: 137,
              reason: 'OOMKilled',
              startedAt: '2024-05-01T09:00:00Z',
              finishedAt: '2024-05-01T09:59:59Z',
              containerID: 'kubeling://abc',
            },
          },
          ready: true,
          restartCount: 1,
          image: 'nginx:1.27',
          imageID: 'sha256:0123',
          containerID: 'kubeling://def',
          started: true,
        },
      ],
      qosClass: 'Burstable',
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: {
      podCIDR: '10.244.1.0/24',
      podCIDRs: ['10.244.1.0/24'],
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    },
    status: {
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '1900m', memory: '3800Mi', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: '2024-05-01T10:00:00Z',
          lastTransitionTime: '2024-05-01T09:00:00Z',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.0.5' },
        { type: 'Hostname', address: 'node-1' },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'm',
        systemUUID: 'u',
        bootID: 'b',
        kernelVersion: '6.1.0',
        osImage: 'kubeling',
        containerRuntimeVersion: 'kubeling://0.1.0',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: [{ names: ['nginx:1.27'], sizeBytes: 67108864 }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta('web-0.17c'),
    involvedObject: {
      kind: 'Pod',
      namespace: 'default',
      name: 'web-0',
      uid: '5f3c1e9a-1d0b-4c9e-9a53-2f7d4b8e6a10',
      apiVersion: 'v1',
      resourceVersion: '41',
      fieldPath: 'spec.containers{nginx}',
    },
    reason: 'Pulled',
    message: 'Container image "nginx:1.27" already present on machine',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2024-05-01T10:00:02Z',
    lastTimestamp: '2024-05-01T10:00:02Z',
    count: 1,
    type: 'Normal',
    eventTime: '2024-05-01T10:00:02.000123Z',
    action: 'Pulling',
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('c'),
    immutable: true,
    data: { a: 'b', 'game.properties': 'lives=3\n' },
    binaryData: { blob: Buffer.from([0, 1, 2, 255]).toString('base64') },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('s'),
    data: {
      p: Buffer.from('q').toString('base64'),
      'tls.key': Buffer.from('k').toString('base64'),
    },
    type: 'Opaque',
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('web'),
    spec: {
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 },
        { name: 'metrics', protocol: 'TCP', appProtocol: 'http', port: 9090, targetPort: 9090 },
      ],
      selector: { app: 'web' },
      clusterIP: '127.96.0.10',
      clusterIPs: ['127.96.0.10'],
      type: 'NodePort',
      sessionAffinity: 'ClientIP',
      externalTrafficPolicy: 'Cluster',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  },
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta('web'),
    subsets: [
      {
        addresses: [
          {
            ip: '10.244.1.7',
            nodeName: 'node-1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1' },
          },
        ],
        notReadyAddresses: [{ ip: '10.244.1.8' }],
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      },
    ],
  },
  {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: meta('rc'),
    spec: { replicas: 3, selector: { app: 'web' }, template },
    status: { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, observedGeneration: 1 },
  },
  {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta('q'),
    spec: {
      hard: { pods: '10', 'requests.cpu': '2', 'limits.memory': '2Gi' },
      scopeSelector: {
        matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }],
      },
    },
    status: { hard: { pods: '10' }, used: { pods: '3' } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta('web-5d4f', {
      generation: 2,
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    }),
    spec: {
      replicas: 0,
      minReadySeconds: 5,
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }],
      },
      template,
    },
    status: {
      replicas: 0,
      observedGeneration: 2,
      conditions: [
        { type: 'ReplicaFailure', status: 'False', lastTransitionTime: '2024-05-01T10:00:00Z' },
      ],
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web', { generation: 3 }),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 3,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastUpdateTime: '2024-05-01T10:00:10Z',
          lastTransitionTime: '2024-05-01T10:00:10Z',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
      ],
      collisionCount: 0,
    },
  },
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta('web-abcde', { generateName: 'web-' }),
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: ['10.244.1.7'],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1' },
        nodeName: 'node-1',
        zone: 'a',
        hints: { forZones: [{ name: 'a' }] },
      },
    ],
    ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
  },
  {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'node-1', namespace: 'kube-node-lease' },
    spec: {
      holderIdentity: 'node-1',
      leaseDurationSeconds: 40,
      acquireTime: '2024-05-01T10:00:00.000000Z',
      renewTime: '2024-05-01T10:00:30.250000Z',
      leaseTransitions: 0,
    },
  },
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'builder', namespace: 'default' },
    secrets: [{ name: 'builder-token' }],
    imagePullSecrets: [{ name: 'registry' }],
    automountServiceAccountToken: false,
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'fluentd', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'fluentd' } },
      template: {
        metadata: { labels: { app: 'fluentd' } },
        spec: { containers: [{ name: 'fluentd', image: 'fluentd', resources: {} }] },
      },
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 },
      },
      minReadySeconds: 5,
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: 1,
      numberMisscheduled: 0,
      desiredNumberScheduled: 2,
      numberReady: 1,
      observedGeneration: 1,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
      numberUnavailable: 1,
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: 'web-5d8f', namespace: 'default' },
    data: { spec: { template: { metadata: { labels: { app: 'web' } } } } },
    revision: 2,
  },
  {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: { name: 'web', namespace: 'default' },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }] },
    },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'u-job' },
    spec: {
      parallelism: 2,
      completions: 4,
      activeDeadlineSeconds: 600,
      backoffLimit: 3,
      podFailurePolicy: {
        rules: [
          { action: 'FailJob', onExitCodes: { containerName: 'pi', operator: 'In', values: [42] } },
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        ],
      },
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-job' } },
      manualSelector: false,
      template: {
        metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'u-job' } },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'pi', image: 'perl:5.34', resources: {} }],
        },
      },
      ttlSecondsAfterFinished: 100,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'Failed',
    },
    status: {
      conditions: [
        {
          type: 'Complete',
          status: 'True',
          lastProbeTime: '2024-05-01T10:00:00Z',
          lastTransitionTime: '2024-05-01T10:00:00Z',
        },
      ],
      startTime: '2024-05-01T09:59:00Z',
      completionTime: '2024-05-01T10:00:00Z',
      succeeded: 4,
      failed: 1,
      terminating: 0,
      uncountedTerminatedPods: { succeeded: ['a'], failed: ['b'] },
      ready: 0,
    },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      timeZone: 'Etc/UTC',
      startingDeadlineSeconds: 30,
      concurrencyPolicy: 'Forbid',
      suspend: true,
      jobTemplate: {
        metadata: { labels: { app: 'hello' } },
        spec: {
          template: {
            metadata: {},
            spec: {
              restartPolicy: 'OnFailure',
              containers: [{ name: 'hello', image: 'busybox', resources: {} }],
            },
          },
        },
      },
      successfulJobsHistoryLimit: 2,
      failedJobsHistoryLimit: 1,
    },
    status: {
      active: [{ kind: 'Job', namespace: 'default', name: 'hello-1', uid: 'u2' }],
      lastScheduleTime: '2024-05-01T10:00:00Z',
    },
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'high' },
    value: 1000,
    globalDefault: true,
    description: 'for the important pods',
    preemptionPolicy: 'Never',
  },
];

function infoOf(obj: { apiVersion: string; kind: string }): KindInfo {
  const info = scheme.byKind(obj.apiVersion, obj.kind);
  if (!info) throw new Error(`no kind ${obj.kind}`);
  return info;
}

describe('realistic objects', () => {
  it('cover every kind kubeling serves', () => {
    expect(new Set(realistic.map((o) => o.kind))).toEqual(new Set(scheme.all().map((k) => k.kind)));
  });

  it.each(realistic.map((o) => [o.kind, o] as const))(
    '%s decodes back to the same JSON, which the api validates',
    (_kind, obj) => {
      const back = roundTrip(obj) as typeof obj;
      expect(back).toEqual(obj);
      const info = infoOf(obj);
      const { object } = decode(info, back, 'Strict');
      applyDefaults(info, object);
      expect(() => validateCreate(info, object)).not.toThrow();
    },
  );

  it('Scale and DeleteOptions decode too', () => {
    const scale = {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web', namespace: 'default', resourceVersion: '7' },
      spec: { replicas: 0 },
      status: { replicas: 2, selector: 'app=web' },
    };
    expect(roundTrip(scale)).toEqual(scale);
    const del = {
      apiVersion: 'meta.k8s.io/v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1', resourceVersion: '7' },
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    };
    expect(roundTrip(del)).toEqual(del);
    expect(roundTrip({ apiVersion: 'v1', kind: 'DeleteOptions', orphanDependents: false })).toEqual(
      { apiVersion: 'v1', kind: 'DeleteOptions', orphanDependents: false },
    );
  });
});
