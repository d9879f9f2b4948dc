import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import type { FieldValidation } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { Pod } from './pod';
import { computePodQOS, defaultPullPolicy, imageTag, podKind } from './pod';

function statusOf(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

/** What the api-server does with a POST body: decode, default, prepare, validate. */
function create(raw: unknown, fv: FieldValidation = 'Strict'): Pod {
  const { object } = decode(podKind, raw, fv);
  applyDefaults(podKind, object);
  podKind.prepareForCreate?.(object);
  validateCreate(podKind, object);
  return object;
}

/** And with a PUT body against the stored `old`. */
function update(old: Pod, raw: unknown): Pod {
  const { object } = decode(podKind, raw);
  applyDefaults(podKind, object);
  podKind.prepareForUpdate?.(object, old);
  validateUpdate(podKind, object, old);
  return object;
}

function podBody(spec: Record<string, unknown>, name = 'p'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec };
}

/** The message of the 422 a pod with this spec gets. */
function invalidMessage(spec: Record<string, unknown>): string {
  const st = statusOf(() => create(podBody(spec)));
  expect(st.code).toBe(422);
  return st.message ?? '';
}

const c = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx:1.25', ...extra });

describe('Pod seeds', () => {
  it('decodes, defaults and validates a pod with several containers', () => {
    const pod = create(
      podBody(
        {
          containers: [
            { name: 'container1', image: 'image1', ports: [{ containerPort: 8000 }] },
            { name: 'container2', image: 'image2', ports: [{ containerPort: 8080 }] },
          ],
        },
        'pod-1',
      ),
    );
    expect(pod.spec.restartPolicy).toBe('Always');
    expect(pod.spec.dnsPolicy).toBe('ClusterFirst');
    expect(pod.spec.schedulerName).toBe('default-scheduler');
    expect(pod.spec.terminationGracePeriodSeconds).toBe(30);
    expect(pod.spec.securityContext).toEqual({});
    expect(pod.spec.enableServiceLinks).toBe(true);
    // Priority and preemptionPolicy are the Priority admission plugin's, not the strategy's.
    expect(pod.spec.priority).toBeUndefined();
    expect(pod.spec.preemptionPolicy).toBeUndefined();
    expect(pod.spec.serviceAccountName).toBeUndefined();
    expect(pod.spec.containers[0]).toEqual({
      name: 'container1',
      image: 'image1',
      ports: [{ containerPort: 8000, protocol: 'TCP' }],
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'Always',
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('handles the hello pod: a named port and a :latest sidecar', () => {
    const pod = create(
      podBody(
        {
          containers: [
            {
              name: 'nginx',
              image: 'nginxdemos/hello:plain-text',
              ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            },
            { name: 'debug', image: 'posquit0/doraemon:latest' },
          ],
        },
        'hello',
      ),
    );
    expect(pod.spec.containers.map((x) => x.imagePullPolicy)).toEqual(['IfNotPresent', 'Always']);
    expect(pod.spec.containers[0]?.ports).toEqual([
      { name: 'http', containerPort: 80, protocol: 'TCP' },
    ]);
  });

  it('keeps labels and a nodeSelector (pod-2, pod-3)', () => {
    const p2 = create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pod-2', namespace: 'default', labels: { type: 'db', env: 'dev' } },
      spec: { containers: [{ name: 'container', image: 'image' }] },
    });
    expect(p2.metadata.labels).toEqual({ type: 'db', env: 'dev' });
    const p3 = create(
      podBody(
        {
          nodeSelector: { hostname: 'node1' },
          containers: [{ name: 'container', image: 'image' }],
        },
        'pod-3',
      ),
    );
    expect(p3.spec.nodeSelector).toEqual({ hostname: 'node1' });
    expect(podKind.fieldLabels?.(p3)).toEqual({
      'spec.nodeName': '',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': '',
      'spec.hostNetwork': 'false',
      'status.phase': 'Pending',
      'status.podIP': '',
      'status.nominatedNodeName': '',
    });
  });

  const kubiaManual = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kubia-manual' },
    spec: {
      containers: [
        { images: 'luksa/kubia', name: 'kubia', ports: [{ containerPort: 8080, protocol: 'TCP' }] },
      ],
    },
  };

  it('rejects the kubia-manual typo `images:` under Strict with a 400', () => {
    const st = statusOf(() => create(kubiaManual, 'Strict'));
    expect(st.code).toBe(400);
    expect(st.reason).toBe('BadRequest');
    expect(st.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].images"',
    );
  });

  it('drops the typo under Ignore and then misses the image (422)', () => {
    const st = statusOf(() =>
      create(
        { ...kubiaManual, metadata: { name: 'kubia-manual', namespace: 'default' } },
        'Ignore',
      ),
    );
    expect(st.code).toBe(422);
    expect(st.message).toBe(
      'Pod "kubia-manual" is invalid: spec.containers[0].image: Required value',
    );
  });

  it('reports a type mismatch (a port list written as a map) as 400', () => {
    const st = statusOf(() =>
      create(
        podBody({
          containers: [
            { name: 'container', image: 'tmkube:app', ports: { '-containerPort': 8080 } },
          ],
        }),
      ),
    );
    expect(st.code).toBe(400);
    expect(st.message).toContain('json: cannot unmarshal object into Go struct field');
  });

  it('reports a string where a number belongs as 400, not 422', () => {
    const st = statusOf(() =>
      create(podBody({ containers: [c({ ports: [{ containerPort: '80' }] })] })),
    );
    expect(st.code).toBe(400);
    expect(st.message).toContain('cannot unmarshal string into Go struct field');
  });
});

describe('Pod defaults', () => {
  it('picks the pull policy from the image tag', () => {
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:latest')).toBe('Always');
    expect(defaultPullPolicy('nginx:1.14')).toBe('IfNotPresent');
    expect(defaultPullPolicy('localhost:5000/team/app')).toBe('Always');
    expect(defaultPullPolicy('localhost:5000/team/app:v2')).toBe('IfNotPresent');
    expect(defaultPullPolicy(`nginx@sha256:${'a'.repeat(64)}`)).toBe('IfNotPresent');
    expect(imageTag('Bad/Name')).toBe('');
  });

  it('copies limits to missing requests (pods only)', () => {
    const pod = create(
      podBody({
        containers: [
          c({ resources: { limits: { cpu: '1', memory: '128Mi' }, requests: { cpu: '500m' } } }),
        ],
      }),
    );
    expect(pod.spec.containers[0]?.resources).toEqual({
      limits: { cpu: '1', memory: '128Mi' },
      requests: { cpu: '500m', memory: '128Mi' },
    });
  });

  it('defaults probes, httpGet and lifecycle hooks', () => {
    const pod = create(
      podBody({
        containers: [
          c({
            livenessProbe: { httpGet: { port: 80 } },
            readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
            startupProbe: { exec: { command: ['true'] } },
            lifecycle: { preStop: { httpGet: { port: 8080, path: '/stop' } } },
            ports: [{ name: 'http', containerPort: 80 }],
          }),
        ],
      }),
    );
    const ctr = pod.spec.containers[0];
    expect(ctr?.livenessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(ctr?.readinessProbe?.periodSeconds).toBe(5);
    expect(ctr?.startupProbe?.failureThreshold).toBe(3);
    expect(ctr?.lifecycle?.preStop?.httpGet).toEqual({ port: 8080, path: '/stop', scheme: 'HTTP' });
  });

  it('defaults volume sources and downward API selectors', () => {
    const pod = create(
      podBody({
        volumes: [
          { name: 'scratch' },
          { name: 'cfg', configMap: { name: 'app-config' } },
          { name: 'sec', secret: { secretName: 'creds' } },
          { name: 'host', hostPath: { path: '/var/log' } },
          {
            name: 'info',
            downwardAPI: {
              items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }],
            },
          },
          { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
        ],
        containers: [
          c({
            env: [
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            ],
            volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
          }),
        ],
      }),
    );
    const v = pod.spec.volumes ?? [];
    expect(v[0]).toEqual({ name: 'scratch', emptyDir: {} });
    expect(v[1]?.configMap?.defaultMode).toBe(420);
    expect(v[2]?.secret?.defaultMode).toBe(420);
    expect(v[3]?.hostPath).toEqual({ path: '/var/log', type: '' });
    expect(v[4]?.downwardAPI).toEqual({
      items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }],
      defaultMode: 420,
    });
    expect(v[5]?.projected).toEqual({
      sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }],
      defaultMode: 420,
    });
    expect(pod.spec.containers[0]?.env).toEqual([
      { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '0' } } },
    ]);
  });

  it('treats a negative grace period as 1s and mirrors serviceAccount', () => {
    const pod = create(
      podBody({ terminationGracePeriodSeconds: -5, serviceAccount: 'robot', containers: [c()] }),
    );
    expect(pod.spec.terminationGracePeriodSeconds).toBe(1);
    expect(pod.spec.serviceAccountName).toBe('robot');
    expect(pod.spec.serviceAccount).toBe('robot');
  });

  it('makes container ports host ports on the host network', () => {
    const pod = create(
      podBody({ hostNetwork: true, containers: [c({ ports: [{ containerPort: 9100 }] })] }),
    );
    expect(pod.spec.containers[0]?.ports).toEqual([
      { containerPort: 9100, hostPort: 9100, protocol: 'TCP' },
    ]);
  });

  it('fills podIPs from podIP', () => {
    const { object } = decode(podKind, podBody({ containers: [c()] }));
    object.status = { podIP: '127.244.0.5', containerStatuses: [{ name: 'app' }] };
    applyDefaults(podKind, object);
    expect(object.status.podIPs).toEqual([{ ip: '127.244.0.5' }]);
    expect(object.status.containerStatuses?.[0]).toEqual({
      name: 'app',
      ready: false,
      restartCount: 0,
      image: '',
      imageID: '',
      state: {},
      lastState: {},
    });
  });

  it('accepts the full status shape the kubelet reports', () => {
    const { object } = decode(podKind, {
      ...podBody({ containers: [c()] }),
      status: {
        phase: 'Running',
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: '2025-01-01T00:00:00Z',
          },
        ],
        hostIP: '127.0.1.1',
        hostIPs: [{ ip: '127.0.1.1' }],
        podIP: '127.244.1.2',
        podIPs: [{ ip: '127.244.1.2' }],
        startTime: '2025-01-01T00:00:00Z',
        nominatedNodeName: 'n1',
        containerStatuses: [
          {
            name: 'app',
            state: { running: { startedAt: '2025-01-01T00:00:01Z' } },
            lastState: {
              terminated: { exitCode: 1, reason: 'Error', finishedAt: '2025-01-01T00:00:00Z' },
            },
            ready: true,
            restartCount: 1,
            image: 'nginx:1.25',
            imageID: 'docker-pullable://nginx@sha256:abc',
            containerID: 'kubeling://123',
            started: true,
          },
        ],
        initContainerStatuses: [
          { name: 'init', state: { waiting: { reason: 'PodInitializing' } } },
        ],
        qosClass: 'BestEffort',
      },
    });
    expect(object.status.containerStatuses?.[0]?.state?.running?.startedAt).toBe(
      '2025-01-01T00:00:01Z',
    );
    expect(podKind.fieldLabels?.(object)['status.podIP']).toBe('127.244.1.2');
  });
});

describe('Pod validation', () => {
  it('requires at least one container', () => {
    const missing = statusOf(() => create(podBody({})));
    expect(missing.code).toBe(422);
    expect(missing.message).toBe('Pod "p" is invalid: spec.containers: Required value');
    expect(invalidMessage({ containers: [] })).toBe(
      'Pod "p" is invalid: spec.containers: Required value',
    );
  });

  it('requires an image', () => {
    expect(invalidMessage({ containers: [{ name: 'app', image: '' }] })).toBe(
      'Pod "p" is invalid: spec.containers[0].image: Required value',
    );
  });

  it('wants unique DNS-1123 container names across containers and init containers', () => {
    expect(invalidMessage({ initContainers: [c()], containers: [c()] })).toBe(
      'Pod "p" is invalid: spec.initContainers[0].name: Duplicate value: "app"',
    );
    expect(invalidMessage({ containers: [c(), c({ image: 'busybox' })] })).toBe(
      'Pod "p" is invalid: spec.containers[1].name: Duplicate value: "app"',
    );
    expect(invalidMessage({ containers: [c({ name: 'App_1' })] })).toMatch(
      /^Pod "p" is invalid: spec\.containers\[0\]\.name: Invalid value: "App_1": a lowercase RFC 1123 label must consist of/,
    );
  });

  it('checks port numbers, names and protocols', () => {
    expect(invalidMessage({ containers: [c({ ports: [{ containerPort: 70000 }] })] })).toBe(
      'Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    );
    expect(
      invalidMessage({
        containers: [
          c({
            ports: [
              { containerPort: 80, hostPort: 0 },
              { containerPort: 81, hostPort: 99999 },
            ],
          }),
        ],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].ports[1].hostPort: Invalid value: 99999: must be between 1 and 65535, inclusive',
    );
    expect(
      invalidMessage({
        containers: [
          c({
            ports: [
              { name: 'http', containerPort: 80 },
              { name: 'http', containerPort: 81 },
            ],
          }),
        ],
      }),
    ).toBe('Pod "p" is invalid: spec.containers[0].ports[1].name: Duplicate value: "http"');
    expect(
      invalidMessage({
        containers: [c({ ports: [{ name: 'a-very-long-port-name', containerPort: 80 }] })],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].ports[0].name: Invalid value: "a-very-long-port-name": must be no more than 15 characters',
    );
    expect(
      invalidMessage({ containers: [c({ ports: [{ containerPort: 80, protocol: 'ICMP' }] })] }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    );
  });

  it('checks the enums with their supported values', () => {
    expect(invalidMessage({ restartPolicy: 'Sometimes', containers: [c()] })).toBe(
      'Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    );
    expect(invalidMessage({ dnsPolicy: 'Google', containers: [c()] })).toBe(
      'Pod "p" is invalid: spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    );
    expect(invalidMessage({ containers: [c({ imagePullPolicy: 'Sometimes' })] })).toBe(
      'Pod "p" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    );
    expect(invalidMessage({ containers: [c({ terminationMessagePolicy: 'Logs' })] })).toBe(
      'Pod "p" is invalid: spec.containers[0].terminationMessagePolicy: Unsupported value: "Logs": supported values: "File", "FallbackToLogsOnError"',
    );
    expect(invalidMessage({ dnsPolicy: 'None', containers: [c()] })).toBe(
      'Pod "p" is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    );
  });

  it('wants unique volume names and mounts of existing volumes', () => {
    expect(
      invalidMessage({ volumes: [{ name: 'data' }, { name: 'data' }], containers: [c()] }),
    ).toBe('Pod "p" is invalid: spec.volumes[1].name: Duplicate value: "data"');
    expect(
      invalidMessage({
        containers: [c({ volumeMounts: [{ name: 'missing', mountPath: '/data' }] })],
      }),
    ).toBe('Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "missing"');
    expect(
      invalidMessage({
        volumes: [{ name: 'd' }],
        containers: [
          c({
            volumeMounts: [
              { name: 'd', mountPath: '/a' },
              { name: 'd', mountPath: '/a' },
            ],
          }),
        ],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/a": must be unique',
    );
    expect(
      invalidMessage({
        volumes: [{ name: 'h', hostPath: { path: '/x', type: 'Pipe' } }],
        containers: [c()],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.volumes[0].hostPath.type: Unsupported value: "Pipe": supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"',
    );
    expect(
      invalidMessage({
        volumes: [{ name: 'two', emptyDir: {}, configMap: { name: 'x' } }],
        containers: [c()],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type',
    );
    expect(
      invalidMessage({
        volumes: [{ name: 's', secret: { secretName: 'x', defaultMode: 1000 } }],
        containers: [c()],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.volumes[0].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive',
    );
  });

  it('checks quantities: requests may not exceed limits', () => {
    expect(
      invalidMessage({
        containers: [c({ resources: { limits: { cpu: '1' }, requests: { cpu: '2' } } })],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    );
    expect(
      invalidMessage({ containers: [c({ resources: { requests: { memory: '-1Mi' } } })] }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].resources.requests[memory]: Invalid value: "-1Mi": must be greater than or equal to 0',
    );
    expect(invalidMessage({ containers: [c({ resources: { requests: { gpu: '1' } } })] })).toBe(
      'Pod "p" is invalid: [spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified, spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers]',
    );
    // helper.IsStandardResourceName counts quota huge pages as standard, for containers too.
    expect(
      invalidMessage({
        containers: [c({ resources: { requests: { 'requests.hugepages-2Mi': '1' } } })],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].resources.requests[requests.hugepages-2Mi]: Invalid value: "requests.hugepages-2Mi": must be a standard resource for containers',
    );
    expect(
      invalidMessage({ containers: [c({ resources: { requests: { 'example.com/gpu': '1' } } })] }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
    );
  });

  it('rejects unparsable quantities while decoding (400)', () => {
    const st = statusOf(() =>
      create(podBody({ containers: [c({ resources: { limits: { cpu: 'lots' } } })] })),
    );
    expect(st.code).toBe(400);
  });

  it('checks env vars and their sources', () => {
    expect(invalidMessage({ containers: [c({ env: [{ name: 'A=B', value: 'x' }] })] })).toBe(
      'Pod "p" is invalid: spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
    );
    expect(
      invalidMessage({
        containers: [
          c({
            env: [
              { name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
          }),
        ],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
    );
    expect(
      invalidMessage({
        containers: [
          c({ env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }] }),
        ],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    );
    expect(
      invalidMessage({
        containers: [c({ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm' } } }] })],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value',
    );
    create(
      podBody({
        containers: [
          c({
            env: [
              { name: 'my.weird-name', value: 'ok' },
              { name: 'LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              { name: 'PASS', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            ],
            envFrom: [
              { configMapRef: { name: 'cfg' } },
              { prefix: 'S_', secretRef: { name: 'sec' } },
            ],
          }),
        ],
      }),
    );
  });

  it('checks nodeSelector labels', () => {
    expect(invalidMessage({ nodeSelector: { disk: 'ss d' }, containers: [c()] })).toMatch(
      /^Pod "p" is invalid: spec\.nodeSelector: Invalid value: "ss d": a valid label must be/,
    );
  });

  it('checks tolerations', () => {
    expect(
      invalidMessage({ tolerations: [{ operator: 'Equal', value: 'x' }], containers: [c()] }),
    ).toBe(
      'Pod "p" is invalid: spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    );
    expect(
      invalidMessage({ tolerations: [{ key: 'k', operator: 'Like' }], containers: [c()] }),
    ).toBe(
      'Pod "p" is invalid: spec.tolerations[0].operator: Unsupported value: "Like": supported values: "Equal", "Exists"',
    );
    expect(
      invalidMessage({
        tolerations: [
          { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 10 },
        ],
        containers: [c()],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    );
    expect(
      invalidMessage({
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoRun' }],
        containers: [c()],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    );
    create(
      podBody({
        tolerations: [
          { operator: 'Exists' },
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        ],
        containers: [c()],
      }),
    );
  });

  it('checks affinity terms', () => {
    expect(
      invalidMessage({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] },
          },
        },
        containers: [c()],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    );
    expect(
      invalidMessage({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }],
            },
          },
        },
        containers: [c()],
      }),
    ).toBe(
      "Pod \"p\" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    );
    expect(
      invalidMessage({
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }],
          },
        },
        containers: [c()],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
    );
    expect(
      invalidMessage({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchFields: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] },
              ],
            },
          },
        },
        containers: [c()],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "spec.nodeName": not a valid field selector key',
    );
    expect(
      invalidMessage({
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'web' } } },
            ],
          },
        },
        containers: [c()],
      }),
    ).toMatch(
      /^Pod "p" is invalid: \[spec\.affinity\.podAntiAffinity\.requiredDuringSchedulingIgnoredDuringExecution\[0\]\.topologyKey: Required value: can not be empty, /,
    );
    create(
      podBody({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] },
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node1'] }] },
              ],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 10,
                preference: {
                  matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }],
                },
              },
            ],
          },
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  labelSelector: { matchLabels: { app: 'db' } },
                  topologyKey: 'kubernetes.io/hostname',
                },
              },
            ],
          },
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                labelSelector: {
                  matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }],
                },
                topologyKey: 'zone',
              },
            ],
          },
        },
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'zone',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: { app: 'web' } },
          },
        ],
        containers: [c()],
      }),
    );
  });

  it('checks probes and hooks', () => {
    expect(invalidMessage({ containers: [c({ livenessProbe: {} })] })).toBe(
      'Pod "p" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type',
    );
    expect(
      invalidMessage({
        containers: [c({ readinessProbe: { exec: { command: ['x'] }, tcpSocket: { port: 80 } } })],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    );
    expect(
      invalidMessage({
        containers: [c({ livenessProbe: { exec: { command: ['x'] }, successThreshold: 2 } })],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    );
    expect(invalidMessage({ containers: [c({ readinessProbe: { httpGet: { port: 0 } } })] })).toBe(
      'Pod "p" is invalid: spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    );
    expect(
      invalidMessage({
        initContainers: [c({ name: 'init', readinessProbe: { exec: { command: ['x'] } } })],
        containers: [c()],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    );
    create(
      podBody({
        initContainers: [
          c({ name: 'sidecar', restartPolicy: 'Always', readinessProbe: { grpc: { port: 9000 } } }),
        ],
        containers: [c({ lifecycle: { preStop: { sleep: { seconds: 5 } } } })],
      }),
    );
  });

  it('checks the rest of the spec', () => {
    expect(invalidMessage({ activeDeadlineSeconds: 0, containers: [c()] })).toBe(
      'Pod "p" is invalid: spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
    );
    expect(invalidMessage({ hostname: 'Web_1', containers: [c()] })).toMatch(
      /^Pod "p" is invalid: spec\.hostname: Invalid value: "Web_1": a lowercase RFC 1123 label/,
    );
    expect(invalidMessage({ preemptionPolicy: 'Sometimes', containers: [c()] })).toBe(
      'Pod "p" is invalid: spec.preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
    );
    expect(invalidMessage({ securityContext: { runAsUser: -1 }, containers: [c()] })).toBe(
      'Pod "p" is invalid: spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
    );
    expect(invalidMessage({ containers: [c({ restartPolicy: 'Always' })] })).toBe(
      'Pod "p" is invalid: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
    );
    expect(
      invalidMessage({
        containers: [
          c({ ports: [{ containerPort: 80, hostPort: 8080 }] }),
          c({ name: 'b', ports: [{ containerPort: 81, hostPort: 8080 }] }),
        ],
      }),
    ).toBe(
      'Pod "p" is invalid: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
    );
  });

  it('returns every cause of a 422 with its field', () => {
    const st = statusOf(() =>
      create(podBody({ restartPolicy: 'Sometimes', containers: [{ name: 'Bad', image: '' }] })),
    );
    expect(st.code).toBe(422);
    expect(st.reason).toBe('Invalid');
    expect(st.details?.causes?.map((x) => [x.reason, x.field])).toEqual([
      ['FieldValueInvalid', 'spec.containers[0].name'],
      ['FieldValueRequired', 'spec.containers[0].image'],
      ['FieldValueNotSupported', 'spec.restartPolicy'],
    ]);
  });
});

describe('Pod QoS class', () => {
  const qosOf = (...containers: Array<Record<string, unknown>>) =>
    create(podBody({ containers: containers.map((r, i) => c({ name: `c${i}`, resources: r })) }))
      .status.qosClass;

  it('is BestEffort without requests or limits', () => {
    expect(qosOf({})).toBe('BestEffort');
    expect(qosOf({ requests: { 'ephemeral-storage': '1Gi' } })).toBe('BestEffort');
    expect(qosOf({ requests: { cpu: '0' } })).toBe('BestEffort');
  });

  it('is Guaranteed when every container limits cpu and memory and requests the same', () => {
    expect(qosOf({ limits: { cpu: '1', memory: '1Gi' } })).toBe('Guaranteed');
    expect(
      qosOf({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '0.5', memory: '1024Mi' } }),
    ).toBe('Guaranteed');
  });

  it('is Burstable otherwise', () => {
    expect(qosOf({ requests: { cpu: '100m' } })).toBe('Burstable');
    expect(qosOf({ limits: { cpu: '1' } })).toBe('Burstable');
    expect(qosOf({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } })).toBe(
      'Burstable',
    );
    expect(qosOf({ limits: { cpu: '1', memory: '1Gi' } }, {})).toBe('Burstable');
  });

  it('counts init containers', () => {
    expect(
      computePodQOS({
        containers: [
          {
            name: 'a',
            image: 'x',
            resources: {
              limits: { cpu: '1', memory: '1Gi' },
              requests: { cpu: '1', memory: '1Gi' },
            },
          },
        ],
        initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1' } } }],
      }),
    ).toBe('Burstable');
  });
});

describe('Pod update', () => {
  const base = () => {
    const pod = create(
      podBody({
        activeDeadlineSeconds: 100,
        tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
        containers: [c({ ports: [{ containerPort: 80 }] })],
      }),
    );
    // As the Priority admission plugin left it.
    pod.spec.priority = 0;
    pod.spec.preemptionPolicy = 'PreemptLowerPriority';
    return pod;
  };
  const body = (
    old: Pod,
    mutate: (spec: Record<string, unknown>) => void,
  ): Record<string, unknown> => {
    const next = structuredClone(old) as unknown as {
      spec: Record<string, unknown>;
      status?: unknown;
    };
    delete next.status;
    mutate(next.spec);
    return next as unknown as Record<string, unknown>;
  };
  const containers = (spec: Record<string, unknown>) =>
    spec.containers as Array<Record<string, unknown>>;

  it('lets the image change and keeps the stored status', () => {
    const old = base();
    old.status = {
      phase: 'Running',
      podIP: '127.244.0.9',
      podIPs: [{ ip: '127.244.0.9' }],
      qosClass: 'BestEffort',
    };
    const next = update(
      old,
      body(old, (s) => ((containers(s)[0] as { image: string }).image = 'nginx:1.26')),
    );
    expect(next.spec.containers[0]?.image).toBe('nginx:1.26');
    expect(next.status.phase).toBe('Running');
    expect(next.spec.priority).toBe(0);
  });

  it('lets activeDeadlineSeconds be lowered, never raised or removed', () => {
    const old = base();
    expect(
      update(
        old,
        body(old, (s) => (s.activeDeadlineSeconds = 50)),
      ).spec.activeDeadlineSeconds,
    ).toBe(50);
    expect(
      statusOf(() =>
        update(
          old,
          body(old, (s) => (s.activeDeadlineSeconds = 200)),
        ),
      ).message,
    ).toBe(
      'Pod "p" is invalid: spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value',
    );
    expect(
      statusOf(() =>
        update(
          old,
          body(old, (s) => delete s.activeDeadlineSeconds),
        ),
      ).message,
    ).toBe(
      'Pod "p" is invalid: spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value',
    );
  });

  it('lets tolerations be added (and tolerationSeconds change), not modified', () => {
    const old = base();
    const added = update(
      old,
      body(old, (s) => {
        s.tolerations = [
          { key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
          { key: 'b', operator: 'Exists' },
        ];
      }),
    );
    expect(added.spec.tolerations).toHaveLength(2);
    expect(
      statusOf(() =>
        update(
          old,
          body(old, (s) => (s.tolerations = [{ key: 'z', operator: 'Exists' }])),
        ),
      ).message,
    ).toBe(
      'Pod "p" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
    );
  });

  it('forbids any other change with the upstream message', () => {
    const old = base();
    const st = statusOf(() =>
      update(
        old,
        body(old, (s) => (containers(s)[0]!.env = [{ name: 'A', value: '1' }])),
      ),
    );
    expect(st.code).toBe(422);
    expect(st.message).toMatch(
      /^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
    expect(st.message).toContain('Containers');
    expect(
      statusOf(() =>
        update(
          old,
          body(old, (s) => (s.restartPolicy = 'Never')),
        ),
      ).message,
    ).toMatch(
      /^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than /,
    );
  });

  it('forbids adding or removing containers', () => {
    const old = base();
    expect(
      statusOf(() =>
        update(
          old,
          body(old, (s) => containers(s).push(c({ name: 'more' }))),
        ),
      ).message,
    ).toBe(
      'Pod "p" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers',
    );
  });

  it('allows a negative grace period to become 1', () => {
    const old = base();
    old.spec.terminationGracePeriodSeconds = -1;
    expect(
      update(
        old,
        body(old, (s) => (s.terminationGracePeriodSeconds = 1)),
      ).spec.terminationGracePeriodSeconds,
    ).toBe(1);
    expect(
      statusOf(() =>
        update(
          old,
          body(old, (s) => (s.terminationGracePeriodSeconds = 5)),
        ),
      ).message,
    ).toMatch(/^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than/);
  });

  it('has the KindInfo the api-server serves', () => {
    expect(podKind).toMatchObject({
      group: '',
      version: 'v1',
      resource: 'pods',
      shortNames: ['po'],
      categories: ['all'],
      subresources: [
        'status',
        'binding',
        'log',
        'exec',
        'attach',
        'portforward',
        'proxy',
        'eviction',
      ],
      tracksGeneration: false,
    });
  });
});
