/**
 * core/v1 (k8s.io/api/core/v1): pods and everything a pod spec reaches (containers, volumes,
 * probes, security and scheduling settings), nodes, namespaces, events, config maps, secrets,
 * services, endpoints, replication controllers, resource quotas, and the pod subresources'
 * bodies and query options.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 * Enum values the api library exports (the ones its validation checks) are imported from it.
 */
import {
  IPFamilyPolicies,
  LoadBalancerIPModes,
  NamespacePhases,
  PodPhases,
  PodQOSClasses,
  Protocols,
  ServiceTypes,
  SessionAffinities,
  TaintEffects,
  TrafficPolicies,
} from '@kubeling/api';
import type { FieldEntry, TypeEntry } from './catalogue';
import { definitions } from './catalogue';
import { conditionStatuses, objectHeader } from './metaV1';

const readOnlyMount = 'Mounts the volume read-only; false by default.';

const defaultMode: FieldEntry =
  'Permission bits of the files created, 0644 by default. JSON has no octal numbers: write the decimal value there (420 for 0644); YAML accepts 0644.';

const keyItems = (what: string): FieldEntry => ({
  type: '[]KeyToPath',
  description: `Which keys of the ${what} to project, and to which files. Without it, every key becomes a file of the same name; a listed key that does not exist is an error unless optional is set.`,
});

const protocol: FieldEntry = {
  description: 'The transport protocol: `TCP` (the default), `UDP` or `SCTP`.',
  enum: Protocols,
};

const appProtocol =
  'The application protocol the port speaks, such as `http`, `kubernetes.io/h2c` or a domain-prefixed name of your own; a hint for implementations.';

/** The six fields of a condition in a status, for the kinds whose conditions have their own type. */
function condition(of: string, types: string, extra: Record<string, FieldEntry> = {}): TypeEntry {
  return {
    description: `One condition of a ${of}.`,
    fields: {
      type: `The aspect the condition describes, such as ${types}.`,
      status: { description: 'Whether the condition holds.', enum: conditionStatuses },
      ...extra,
      lastTransitionTime: { type: 'meta.Time', description: 'When status last changed.' },
      reason: 'A CamelCase, machine-readable reason for the last change.',
      message: 'A human-readable account of the last change.',
    },
  };
}

const probe = (purpose: string): FieldEntry => ({ type: 'Probe', description: purpose });

const container = (what: string): FieldEntry => ({ type: '[]Container', description: what });

const containerStatuses = (which: string): FieldEntry => ({
  type: '[]ContainerStatus',
  description: `The state of each ${which}, as the kubelet last reported it.`,
});

const proxyOptions = (target: string): TypeEntry => ({
  description: `The query parameters of a request proxied to a ${target}.`,
  fields: { path: `The path to request on the ${target}.` },
});

const streams = {
  stdin: { type: 'boolean', description: 'Connects standard input; false by default.' },
  stdout: { type: 'boolean', description: 'Returns standard output; true by default.' },
  stderr: { type: 'boolean', description: 'Returns standard error; true by default.' },
  tty: {
    type: 'boolean',
    description:
      'Treats the session as a terminal, which merges standard error into standard output.',
  },
  container: 'The container to connect to; may be left out when the pod has a single container.',
} satisfies Record<string, FieldEntry>;

export const coreV1 = definitions('core', {
  // --- Pod -----------------------------------------------------------------------------------

  Pod: {
    description:
      'A group of one or more containers scheduled together onto one node, sharing a network identity and volumes: the smallest unit Kubernetes runs.',
    fields: {
      ...objectHeader,
      spec: {
        type: 'PodSpec',
        description:
          'What the pod runs and how: containers, volumes, scheduling constraints and security settings.',
      },
      status: {
        type: 'PodStatus',
        description:
          'What the pod is doing, as reported by the scheduler and the kubelet; it may lag behind reality. Read-only for users.',
      },
    },
  },

  PodSpec: {
    description:
      'The desired state of a pod: its containers, the volumes they share, and how and where it should run.',
    fields: {
      volumes: {
        type: '[]Volume',
        description:
          'Volumes the containers of the pod can mount, each under a name unique in the pod.',
        retainKeys: true,
      },
      initContainers: container(
        'Containers run one at a time, each to completion, before the app containers start; one that fails is retried as restartPolicy says. An init container with restartPolicy Always is a sidecar instead: it starts in order, then keeps running beside the app containers.',
      ),
      containers: container(
        'The application containers of the pod; at least one. Containers cannot be added or removed once the pod exists.',
      ),
      restartPolicy: {
        description:
          'When the kubelet restarts containers that exit: `Always` (the default), `OnFailure` (only after a failure) or `Never`.',
        enum: ['Always', 'Never', 'OnFailure'],
      },
      terminationGracePeriodSeconds: {
        type: 'int64',
        description:
          'Seconds the containers get to stop after the termination signal before they are killed; 30 by default, 0 kills them at once.',
      },
      activeDeadlineSeconds: {
        type: 'int64',
        description:
          'Seconds the pod may be active, counted from its start, before the kubelet fails it and stops its containers. Must be positive.',
      },
      dnsPolicy: {
        description:
          "How DNS is set up in the containers: `ClusterFirst` (the default) uses the cluster DNS, `ClusterFirstWithHostNet` does so for host-network pods too, `Default` uses the node's resolver settings, `None` only what dnsConfig says.",
        enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
      },
      nodeSelector: 'Labels a node must have, all of them, for the pod to be scheduled there.',
      serviceAccountName: 'The service account the pod runs as; `default` when empty.',
      serviceAccount: 'Deprecated spelling of serviceAccountName.',
      automountServiceAccountToken:
        "Whether the service account's API credentials are mounted into the containers; overrides the service account's own setting.",
      nodeName:
        'The node the pod is bound to. Normally set by the scheduler; setting it at creation skips scheduling altogether.',
      hostNetwork:
        "Runs the pod in the node's network namespace, with the node's addresses and ports; its container ports must then equal their host ports.",
      hostPID: "Runs the pod in the node's process ID namespace.",
      hostIPC: "Runs the pod in the node's IPC namespace.",
      shareProcessNamespace:
        "Puts every container of the pod in one process namespace, so that they see and can signal each other's processes. Not with hostPID.",
      securityContext: {
        type: 'PodSecurityContext',
        description:
          "Security settings for the whole pod; where a container's securityContext sets the same thing, the container's wins.",
      },
      imagePullSecrets: {
        type: '[]LocalObjectReference',
        description:
          "Secrets of the pod's namespace with registry credentials for pulling the images.",
      },
      hostname: "The hostname the containers see; the pod's name when empty.",
      subdomain:
        "When set, the pod's fully qualified name is `<hostname>.<subdomain>.<namespace>.svc.<cluster domain>`; a headless service named like the subdomain makes it resolvable.",
      affinity: {
        type: 'Affinity',
        description: 'Node affinity and pod affinity and anti-affinity rules.',
      },
      schedulerName: 'The scheduler that places the pod; the default scheduler when empty.',
      tolerations: { type: '[]Toleration', description: 'The node taints the pod tolerates.' },
      hostAliases: {
        type: '[]HostAlias',
        description: "Extra entries for the containers' /etc/hosts.",
      },
      priorityClassName:
        'The PriorityClass giving the pod its priority; `system-node-critical` and `system-cluster-critical` always exist. The default class, or priority 0, when empty.',
      priority:
        "The pod's priority, filled in at admission from priorityClassName; higher values are scheduled first and may preempt lower ones.",
      dnsConfig: {
        type: 'PodDNSConfig',
        description:
          'DNS settings merged into what dnsPolicy produces, or used alone with dnsPolicy None.',
      },
      readinessGates: {
        type: '[]PodReadinessGate',
        description:
          'Extra pod conditions that must be True, besides every container being ready, for the pod to be ready.',
      },
      runtimeClassName:
        "The RuntimeClass whose runtime handler runs the pod; the node's default handler when empty.",
      enableServiceLinks:
        'Whether environment variables describing the services of the namespace are injected into the containers, in the style of Docker links; true by default.',
      preemptionPolicy: {
        description:
          'Whether the pod may preempt pods of lower priority to make room: `PreemptLowerPriority` (the default) or `Never`.',
        enum: ['Never', 'PreemptLowerPriority'],
      },
      overhead:
        "Resources the pod's sandbox uses beyond its containers, set at admission from the RuntimeClass; scheduling and quota count them.",
      topologySpreadConstraints: {
        type: '[]TopologySpreadConstraint',
        description:
          'How the pod is spread, together with matching pods, over topology domains such as zones or nodes; every constraint must hold.',
      },
      setHostnameAsFQDN:
        "Makes the kernel hostname the pod's fully qualified domain name instead of its short name; false by default.",
      os: {
        type: 'PodOS',
        description:
          'The operating system the pod needs; it decides which OS-specific fields are allowed.',
      },
      hostUsers:
        "Whether the pod shares the node's user namespace, as it does by default; false gives it a user namespace of its own.",
      schedulingGates: {
        type: '[]PodSchedulingGate',
        description:
          'While any remain, the scheduler leaves the pod alone. Gates can be set only at creation and then only removed.',
      },
    },
  },

  Volume: {
    description:
      'A named volume of a pod and where its data comes from; exactly one source is set.',
    fields: {
      name: "The volume's name, a DNS label unique in the pod; volume mounts refer to it.",
      hostPath: {
        type: 'HostPathVolumeSource',
        description:
          'A file or directory of the node. It exposes the node to the pod, so ordinary workloads should not use it.',
      },
      emptyDir: {
        type: 'EmptyDirVolumeSource',
        description: 'An empty directory created with the pod on its node and removed with it.',
      },
      secret: { type: 'SecretVolumeSource', description: 'Files made from the keys of a Secret.' },
      nfs: { type: 'NFSVolumeSource', description: 'An NFS export.' },
      persistentVolumeClaim: {
        type: 'PersistentVolumeClaimVolumeSource',
        description: "The volume bound to a PersistentVolumeClaim of the pod's namespace.",
      },
      downwardAPI: {
        type: 'DownwardAPIVolumeSource',
        description:
          'Files holding information about the pod itself, such as its labels or limits.',
      },
      configMap: {
        type: 'ConfigMapVolumeSource',
        description: 'Files made from the keys of a ConfigMap.',
      },
      projected: {
        type: 'ProjectedVolumeSource',
        description:
          'Secrets, config maps, downward API information and service account tokens merged into one directory.',
      },
      csi: {
        type: 'CSIVolumeSource',
        description: 'An ephemeral volume provided by a CSI driver that supports inline volumes.',
      },
    },
  },

  HostPathVolumeSource: {
    description: 'A path of the node mounted into the pod.',
    required: ['path'],
    fields: {
      path: 'The path on the node; a symbolic link is followed to its target.',
      type: {
        description:
          'What must be at the path before the mount: empty for no check, `DirectoryOrCreate` or `FileOrCreate` to create what is missing, or `Directory`, `File`, `Socket`, `CharDevice` or `BlockDevice` to require it.',
        enum: [
          '',
          'BlockDevice',
          'CharDevice',
          'Directory',
          'DirectoryOrCreate',
          'File',
          'FileOrCreate',
          'Socket',
        ],
      },
    },
  },

  EmptyDirVolumeSource: {
    description: 'Scratch space that lives on the node as long as the pod does.',
    fields: {
      medium:
        "Where the directory is kept: empty for the node's default storage, `Memory` for a RAM-backed tmpfs, or `HugePages`.",
      sizeLimit:
        "The most the volume may hold; a pod exceeding it is evicted. For the Memory medium, the pod's memory limits cap it as well.",
    },
  },

  SecretVolumeSource: {
    description: 'Presents the keys of a Secret as files.',
    fields: {
      secretName: "The Secret, in the pod's namespace.",
      items: keyItems('Secret'),
      defaultMode,
      optional: 'Whether the pod may start when the Secret, or a listed key, does not exist.',
    },
  },

  KeyToPath: {
    description: 'Puts one key of a Secret or ConfigMap into a file.',
    required: ['key', 'path'],
    fields: {
      key: 'The key to project.',
      path: 'The file to write it to: a relative path that contains no `..` element.',
      mode: 'Permission bits of this file, instead of defaultMode; decimal in JSON.',
    },
  },

  NFSVolumeSource: {
    description: 'An NFS export mounted into the pod.',
    required: ['server', 'path'],
    fields: {
      server: 'Host name or IP address of the NFS server.',
      path: 'The path the server exports.',
      readOnly: 'Mounts the export read-only; false by default.',
    },
  },

  PersistentVolumeClaimVolumeSource: {
    description: 'Mounts the volume bound to a PersistentVolumeClaim.',
    required: ['claimName'],
    fields: {
      claimName: "The claim, in the pod's namespace.",
      readOnly: 'Forces the volume to be mounted read-only.',
    },
  },

  DownwardAPIVolumeSource: {
    description:
      "Files with information about the pod, read from its own fields and its containers' resources.",
    fields: {
      items: { type: '[]DownwardAPIVolumeFile', description: 'The files to create.' },
      defaultMode,
    },
  },

  DownwardAPIVolumeFile: {
    description: 'One file of a downward API volume and what it holds.',
    required: ['path'],
    fields: {
      path: 'The file: a relative path that contains no `..` element.',
      fieldRef: {
        type: 'ObjectFieldSelector',
        description:
          'A field of the pod: its name, namespace, uid, labels or annotations (whole, or one key).',
      },
      resourceFieldRef: {
        type: 'ResourceFieldSelector',
        description: 'A resource limit or request of a container, such as `limits.memory`.',
      },
      mode: 'Permission bits of this file, instead of defaultMode; decimal in JSON.',
    },
  },

  ObjectFieldSelector: {
    description: 'Selects a field of the pod by its path.',
    required: ['fieldPath'],
    fields: {
      apiVersion: 'The API version the path is written against; `v1` by default.',
      fieldPath:
        "The path of the field, such as `metadata.name`, `status.podIP` or `metadata.labels['app']`.",
    },
  },

  ResourceFieldSelector: {
    description: 'Selects a resource limit or request of a container.',
    required: ['resource'],
    fields: {
      containerName:
        'The container whose resources are read: required in volumes, the container itself when left out of an environment variable.',
      resource:
        'The resource, such as `limits.cpu`, `requests.memory` or `limits.ephemeral-storage`.',
      divisor:
        'The unit of the value exposed: the amount is divided by it and rounded up. `1` by default; CPU allows only `1` and `1m`.',
    },
  },

  ConfigMapVolumeSource: {
    description: 'Presents the keys of a ConfigMap as files.',
    fields: {
      name: "The ConfigMap, in the pod's namespace.",
      items: keyItems('ConfigMap'),
      defaultMode,
      optional: 'Whether the pod may start when the ConfigMap, or a listed key, does not exist.',
    },
  },

  ProjectedVolumeSource: {
    description: 'One directory filled from several sources.',
    fields: {
      sources: {
        type: '[]VolumeProjection',
        description: 'The sources, written into the directory in order.',
      },
      defaultMode,
    },
  },

  VolumeProjection: {
    description: 'One source of a projected volume; exactly one field is set.',
    fields: {
      secret: { type: 'SecretProjection', description: 'Keys of a Secret.' },
      downwardAPI: { type: 'DownwardAPIProjection', description: 'Information about the pod.' },
      configMap: { type: 'ConfigMapProjection', description: 'Keys of a ConfigMap.' },
      serviceAccountToken: {
        type: 'ServiceAccountTokenProjection',
        description: "A token of the pod's service account.",
      },
    },
  },

  SecretProjection: {
    description: 'Keys of a Secret in a projected volume.',
    fields: {
      name: "The Secret, in the pod's namespace.",
      items: keyItems('Secret'),
      optional: 'Whether the pod may start when the Secret, or a listed key, does not exist.',
    },
  },

  ConfigMapProjection: {
    description: 'Keys of a ConfigMap in a projected volume.',
    fields: {
      name: "The ConfigMap, in the pod's namespace.",
      items: keyItems('ConfigMap'),
      optional: 'Whether the pod may start when the ConfigMap, or a listed key, does not exist.',
    },
  },

  DownwardAPIProjection: {
    description: 'Information about the pod in a projected volume.',
    fields: {
      items: { type: '[]DownwardAPIVolumeFile', description: 'The files to create.' },
    },
  },

  ServiceAccountTokenProjection: {
    description:
      "A token of the pod's service account, written to a file and renewed by the kubelet before it expires.",
    required: ['path'],
    fields: {
      audience:
        'Whom the token is for; the API server by default. A recipient must reject tokens not meant for it.',
      expirationSeconds: {
        type: 'int64',
        description:
          'The lifetime asked for the token: at least 600 seconds, one hour by default. The kubelet renews it when 80% of it has passed, or after a day.',
      },
      path: 'The file of the token, relative to the mount point.',
    },
  },

  CSIVolumeSource: {
    description: 'An ephemeral volume provided by a CSI driver.',
    required: ['driver'],
    fields: {
      driver: 'The CSI driver, by the name it registered with.',
      readOnly: readOnlyMount,
      fsType: 'The filesystem to mount, such as `ext4`; the driver chooses when empty.',
      volumeAttributes: 'Properties of the volume, which only the driver understands.',
      nodePublishSecretRef: {
        type: 'LocalObjectReference',
        description: 'A Secret with sensitive information the driver needs to mount the volume.',
      },
    },
  },

  LocalObjectReference: {
    description: 'Refers to an object of the same namespace by its name.',
    fields: { name: "The object's name." },
  },

  // --- Container -----------------------------------------------------------------------------

  Container: {
    description:
      'One container of a pod: the image it runs, its command and environment, its resources, ports and volume mounts, and the probes that watch it.',
    fields: {
      name: "The container's name, a DNS label unique in the pod. Cannot be changed.",
      image: 'The image to run, such as `nginx:1.27` or a full registry path with a tag or digest.',
      command:
        "The executable and its arguments, instead of the image's ENTRYPOINT. `$(VAR)` is replaced from the container's environment and `$$` stands for a dollar; no shell is involved. Cannot be changed.",
      args: "Arguments to the command, instead of the image's CMD; `$(VAR)` is expanded as in command. Cannot be changed.",
      workingDir: "The directory the command starts in; the image's when empty. Cannot be changed.",
      ports: {
        type: '[]ContainerPort',
        description:
          'Ports the container listens on. Listing a port is informational (one left out is still reachable), but lets services and probes refer to it by name. Cannot be changed.',
      },
      envFrom: {
        type: '[]EnvFromSource',
        description:
          'Sources whose every key becomes an environment variable. On a duplicate key the last source wins, and env wins over all of them. Cannot be changed.',
      },
      env: {
        type: '[]EnvVar',
        description: 'Environment variables of the container. Cannot be changed.',
      },
      resources: {
        type: 'ResourceRequirements',
        description:
          'The compute resources, such as CPU and memory, the container asks for and is limited to.',
      },
      resizePolicy: {
        type: '[]ContainerResizePolicy',
        description: 'What happens to the container when one of its resources is resized in place.',
      },
      restartPolicy: {
        description:
          'Only for init containers, and only `Always`: the init container becomes a sidecar that keeps running beside the app containers and is restarted when it exits.',
        enum: ['Always'],
      },
      volumeMounts: {
        type: '[]VolumeMount',
        description:
          "Volumes of the pod to mount into the container's filesystem. Cannot be changed.",
      },
      volumeDevices: {
        type: '[]VolumeDevice',
        description: 'Raw block volumes of the pod to expose to the container as devices.',
      },
      livenessProbe: probe(
        'Run periodically while the container runs; when it fails, the container is restarted. Cannot be changed.',
      ),
      readinessProbe: probe(
        'Run periodically while the container runs; while it fails, the pod gets no traffic from services. Cannot be changed.',
      ),
      startupProbe: probe(
        'Run until it first succeeds, holding back the other probes meanwhile; the container is restarted if it keeps failing. For slow starters. Cannot be changed.',
      ),
      lifecycle: {
        type: 'Lifecycle',
        description:
          'Actions the kubelet runs just after the container starts and just before it stops. Cannot be changed.',
      },
      terminationMessagePath:
        "The file whose content, at most 4096 bytes, becomes the termination message in the container's status; `/dev/termination-log` by default. Cannot be changed.",
      terminationMessagePolicy: {
        description:
          'Where the termination message comes from: `File` (the default) reads only terminationMessagePath; `FallbackToLogsOnError` uses the end of the log when that file is empty and the container failed. Cannot be changed.',
        enum: ['FallbackToLogsOnError', 'File'],
      },
      imagePullPolicy: {
        description:
          'When the image is pulled: `Always`, `IfNotPresent` (only when the node lacks it) or `Never`. Always by default for the `latest` tag or no tag, IfNotPresent otherwise. Cannot be changed.',
        enum: ['Always', 'IfNotPresent', 'Never'],
      },
      securityContext: {
        type: 'SecurityContext',
        description:
          "Security settings of the container; they win over the pod's where both are set.",
      },
      stdin:
        'Gives the container a standard input that clients can attach to; without it, reading stdin gets end of file. False by default.',
      stdinOnce:
        'Closes stdin when the first attached client disconnects, until the container restarts; otherwise stdin stays open across attach sessions. False by default.',
      tty: 'Gives the container a terminal; requires stdin. False by default.',
    },
  },

  ContainerPort: {
    description: 'A network port a container listens on.',
    fields: {
      name: 'A name for the port, an IANA service name unique in the pod, by which services and probes can refer to it.',
      hostPort:
        'A port of the node forwarded to containerPort; rarely needed, as it limits where the pod can run. With host networking it must equal containerPort.',
      containerPort: "The port number on the pod's IP address, 1 to 65535.",
      protocol,
      hostIP: 'The node address hostPort is bound to.',
    },
  },

  EnvFromSource: {
    description: 'A source of many environment variables at once: a ConfigMap or a Secret.',
    fields: {
      prefix: 'A prefix put in front of every variable name from this source.',
      configMapRef: {
        type: 'ConfigMapEnvSource',
        description: 'The ConfigMap whose keys become variables.',
      },
      secretRef: {
        type: 'SecretEnvSource',
        description: 'The Secret whose keys become variables.',
      },
    },
  },

  ConfigMapEnvSource: {
    description: 'A ConfigMap whose keys all become environment variables.',
    fields: {
      name: "The ConfigMap, in the pod's namespace.",
      optional: 'Whether the container may start when the ConfigMap does not exist.',
    },
  },

  SecretEnvSource: {
    description: 'A Secret whose keys all become environment variables.',
    fields: {
      name: "The Secret, in the pod's namespace.",
      optional: 'Whether the container may start when the Secret does not exist.',
    },
  },

  EnvVar: {
    description: 'One environment variable of a container.',
    fields: {
      name: "The variable's name.",
      value:
        'The value. `$(VAR)` is replaced by a variable defined earlier in the list (or a service link), and `$$` stands for a dollar. Empty by default.',
      valueFrom: {
        type: 'EnvVarSource',
        description: 'Where to read the value from instead; not together with value.',
      },
    },
  },

  EnvVarSource: {
    description: "Where an environment variable's value is read from; exactly one field is set.",
    fields: {
      fieldRef: {
        type: 'ObjectFieldSelector',
        description:
          "A field of the pod: `metadata.name`, `metadata.namespace`, `metadata.uid`, a label or annotation (`metadata.labels['<key>']`), `spec.nodeName`, `spec.serviceAccountName`, `status.hostIP(s)` or `status.podIP(s)`.",
      },
      resourceFieldRef: {
        type: 'ResourceFieldSelector',
        description:
          'A limit or request of a container: CPU, memory, ephemeral storage or huge pages.',
      },
      configMapKeyRef: { type: 'ConfigMapKeySelector', description: 'A key of a ConfigMap.' },
      secretKeyRef: { type: 'SecretKeySelector', description: 'A key of a Secret.' },
    },
  },

  ConfigMapKeySelector: {
    description: 'Selects one key of a ConfigMap.',
    required: ['key'],
    fields: {
      name: "The ConfigMap, in the pod's namespace.",
      key: 'The key to read.',
      optional: 'Whether the container may start when the ConfigMap or the key does not exist.',
    },
  },

  SecretKeySelector: {
    description: 'Selects one key of a Secret.',
    required: ['key'],
    fields: {
      name: "The Secret, in the pod's namespace.",
      key: 'The key to read.',
      optional: 'Whether the container may start when the Secret or the key does not exist.',
    },
  },

  ResourceRequirements: {
    description: 'The compute resources a container asks for and the most it may use.',
    fields: {
      limits:
        'The most of each resource the container may use: going over its memory limit gets it killed, CPU above the limit is throttled.',
      requests:
        'The amount of each resource set aside for the container, which the scheduler places it by. Defaults to the limit where only a limit is given, and may not exceed it.',
      claims: {
        type: '[]ResourceClaim',
        description:
          "Which of the pod's dynamic resource claims (spec.resourceClaims) the container uses.",
      },
    },
  },

  ResourceClaim: {
    description: "Names one of the pod's resource claims for use by a container.",
    fields: {
      name: "The name of an entry of the pod's spec.resourceClaims.",
      request: 'One request of the claim, when it has several; the whole claim when empty.',
    },
  },

  ContainerResizePolicy: {
    description: 'How a container takes an in-place resize of one resource.',
    fields: {
      resourceName: 'The resource: `cpu` or `memory`.',
      restartPolicy: {
        description:
          '`NotRequired` (the default) applies the new amount to the running container; `RestartContainer` restarts it to apply it.',
        enum: ['NotRequired', 'RestartContainer'],
      },
    },
  },

  VolumeMount: {
    description: "Where a volume of the pod appears in a container's filesystem.",
    fields: {
      name: "The name of the pod's volume.",
      readOnly: readOnlyMount,
      recursiveReadOnly: {
        description:
          'Whether read-only also applies to mounts under this one: `Disabled` (the default), `IfPossible`, or `Enabled` (failing when the runtime cannot). Only with readOnly, and, unless Disabled, with mountPropagation None.',
        enum: ['Disabled', 'Enabled', 'IfPossible'],
      },
      mountPath: 'The path in the container where the volume appears; it may not contain `:`.',
      subPath: 'A path inside the volume to mount instead of its root.',
      mountPropagation: {
        description:
          'Whether mounts propagate between the node and the container: `None` (the default), `HostToContainer`, or `Bidirectional` (privileged containers only).',
        enum: ['Bidirectional', 'HostToContainer', 'None'],
      },
      subPathExpr:
        "Like subPath, with `$(VAR)` replaced from the container's environment; not together with subPath.",
    },
  },

  VolumeDevice: {
    description: 'Exposes a raw block volume to a container as a device.',
    fields: {
      name: "The pod's volume, backed by a claim in Block volume mode.",
      devicePath: 'The path of the device inside the container.',
    },
  },

  Probe: {
    description:
      'A health check the kubelet runs against a container: one action, how often it runs, and how many results in a row change the verdict.',
    fields: {
      exec: {
        type: 'ExecAction',
        description: 'Runs a command in the container; exit status 0 is success.',
      },
      httpGet: {
        type: 'HTTPGetAction',
        description: 'Sends an HTTP GET request; a status from 200 to 399 is success.',
      },
      tcpSocket: {
        type: 'TCPSocketAction',
        description: 'Opens a TCP connection; success when it connects.',
      },
      grpc: { type: 'GRPCAction', description: 'Calls the standard gRPC health checking service.' },
      initialDelaySeconds:
        "Seconds between the container's start and the first check; 0 by default.",
      timeoutSeconds:
        'Seconds a check may take before it counts as failed; 1 by default and at least 1.',
      periodSeconds: 'Seconds between checks; 10 by default and at least 1.',
      successThreshold:
        'Successes in a row after a failure before the probe passes again; 1 by default, and it must be 1 for liveness and startup probes.',
      failureThreshold: 'Failures in a row before the probe fails; 3 by default.',
      terminationGracePeriodSeconds: {
        type: 'int64',
        description:
          "For liveness and startup probes: the grace period when a failure kills the container, instead of the pod's terminationGracePeriodSeconds.",
      },
    },
  },

  ExecAction: {
    description: 'A command run inside a container.',
    fields: {
      command:
        "The command and its arguments, run directly from the container's root directory, not in a shell: call a shell explicitly for pipes or expansion.",
    },
  },

  HTTPGetAction: {
    description: 'An HTTP GET request to a container.',
    required: ['port'],
    fields: {
      path: 'The request path.',
      port: 'The port to connect to: a number, or the name of a container port.',
      host: "The host to connect to, the pod's IP by default; to change the virtual host, set a `Host` header instead.",
      scheme: {
        description: '`HTTP` (the default) or `HTTPS`; certificates are not checked.',
        enum: ['HTTP', 'HTTPS'],
      },
      httpHeaders: {
        type: '[]HTTPHeader',
        description: 'Extra request headers; a name may repeat.',
      },
    },
  },

  HTTPHeader: {
    description: 'One HTTP header.',
    required: ['name', 'value'],
    fields: {
      name: "The header's name; names that differ only in case are the same header.",
      value: "The header's value.",
    },
  },

  TCPSocketAction: {
    description: 'A TCP connection to a container.',
    required: ['port'],
    fields: {
      port: 'The port to connect to: a number, or the name of a container port.',
      host: "The host to connect to; the pod's IP by default.",
    },
  },

  GRPCAction: {
    description: 'A call to the standard gRPC health checking service of a container.',
    required: ['port'],
    fields: {
      port: 'The port of the gRPC server, 1 to 65535.',
      service:
        'The service name put in the health check request; empty asks about the server as a whole.',
    },
  },

  Lifecycle: {
    description: "Hooks the kubelet runs at moments of a container's life.",
    fields: {
      postStart: {
        type: 'LifecycleHandler',
        description:
          'Runs right after the container is created, alongside its entrypoint. If it fails, the container is killed and restarted as the restart policy says; the container is not running until the hook completes.',
      },
      preStop: {
        type: 'LifecycleHandler',
        description:
          'Runs before the container is stopped for a deletion, a preemption, a failed liveness probe and the like, but not when it exits by itself. The grace period keeps running meanwhile.',
      },
    },
  },

  LifecycleHandler: {
    description: 'What a lifecycle hook does; exactly one field is set.',
    fields: {
      exec: { type: 'ExecAction', description: 'Runs a command in the container.' },
      httpGet: {
        type: 'HTTPGetAction',
        description: 'Sends an HTTP GET request to the container.',
      },
      tcpSocket: {
        type: 'TCPSocketAction',
        description:
          'Not supported by hooks: accepted only for compatibility, and the hook fails when it runs.',
      },
      sleep: { type: 'SleepAction', description: 'Waits for a while before going on.' },
    },
  },

  SleepAction: {
    description: 'A pause of a given length.',
    required: ['seconds'],
    fields: { seconds: { type: 'int64', description: 'How many seconds to wait.' } },
  },

  SecurityContext: {
    description:
      "Security settings of one container; where the pod's securityContext sets the same thing, the container's wins.",
    fields: {
      capabilities: {
        type: 'Capabilities',
        description: "Linux capabilities to add to or drop from the runtime's default set.",
      },
      privileged:
        'Runs the container privileged, with nearly the powers of root on the node; false by default.',
      seLinuxOptions: {
        type: 'SELinuxOptions',
        description: 'The SELinux context of the container.',
      },
      windowsOptions: {
        type: 'WindowsSecurityContextOptions',
        description: 'Settings that apply to Windows containers only.',
      },
      runAsUser: {
        type: 'int64',
        description: "The user ID the container's processes run as; the image's user by default.",
      },
      runAsGroup: {
        type: 'int64',
        description:
          "The primary group ID of the container's processes; the runtime's default when unset.",
      },
      runAsNonRoot:
        'Requires a non-root user: the kubelet refuses to start the container if it would run as user 0.',
      readOnlyRootFilesystem: "Mounts the container's root filesystem read-only; false by default.",
      allowPrivilegeEscalation:
        'Whether a process may gain more privileges than its parent (the no_new_privs flag is unset). Always true for privileged containers and those with CAP_SYS_ADMIN.',
      procMount: {
        description:
          'How /proc is mounted: `Default` hides and makes read-only the usual sensitive paths, `Unmasked` does not (it requires a user namespace).',
        enum: ['Default', 'Unmasked'],
      },
      seccompProfile: { type: 'SeccompProfile', description: "The container's seccomp profile." },
      appArmorProfile: {
        type: 'AppArmorProfile',
        description: "The container's AppArmor profile.",
      },
    },
  },

  Capabilities: {
    description: 'Linux capabilities to add and to drop.',
    fields: {
      add: 'Capabilities to add, such as `NET_ADMIN`.',
      drop: 'Capabilities to drop, such as `ALL`.',
    },
  },

  SELinuxOptions: {
    description: 'An SELinux context: user, role, type and level labels.',
    fields: {
      user: 'The SELinux user label.',
      role: 'The SELinux role label.',
      type: 'The SELinux type label.',
      level: 'The SELinux level label.',
    },
  },

  WindowsSecurityContextOptions: {
    description: 'Settings that apply to Windows containers only.',
    fields: {
      gmsaCredentialSpecName: 'The GMSACredentialSpec resource to use.',
      gmsaCredentialSpec:
        'The content of the GMSA credential spec, filled in by the webhook that resolves gmsaCredentialSpecName.',
      runAsUserName: "The Windows user the entrypoint runs as; the image's by default.",
      hostProcess:
        'Runs the container as a HostProcess container with access to the node. Every container of the pod must agree, and the pod must use the host network.',
    },
  },

  SeccompProfile: {
    description: 'A seccomp profile: which system calls a process may make.',
    required: ['type'],
    fields: {
      type: {
        description:
          "`RuntimeDefault` uses the container runtime's profile, `Unconfined` applies none, `Localhost` loads a profile file from the node.",
        enum: ['Localhost', 'RuntimeDefault', 'Unconfined'],
      },
      localhostProfile:
        "For Localhost only: the profile's path, relative to the kubelet's seccomp directory.",
    },
  },

  AppArmorProfile: {
    description: 'An AppArmor profile.',
    required: ['type'],
    fields: {
      type: {
        description:
          "`RuntimeDefault` uses the container runtime's profile, `Unconfined` applies none, `Localhost` uses a profile loaded on the node.",
        enum: ['Localhost', 'RuntimeDefault', 'Unconfined'],
      },
      localhostProfile: 'For Localhost only: the name of the loaded profile.',
    },
  },

  PodSecurityContext: {
    description:
      "Security settings that apply to every container of a pod, and to the pod's volumes.",
    fields: {
      seLinuxOptions: {
        type: 'SELinuxOptions',
        description: 'The SELinux context of the containers that set none of their own.',
      },
      windowsOptions: {
        type: 'WindowsSecurityContextOptions',
        description: 'Windows settings of the containers that set none of their own.',
      },
      runAsUser: {
        type: 'int64',
        description:
          "The user ID the containers run as unless they set their own; the image's user by default.",
      },
      runAsGroup: {
        type: 'int64',
        description: "The primary group ID of the containers' processes unless they set their own.",
      },
      runAsNonRoot: 'Requires every container to run as a non-root user.',
      supplementalGroups: {
        type: '[]int64',
        description: 'Extra group IDs given to the first process of every container.',
      },
      supplementalGroupsPolicy: {
        description:
          "How the groups of the first process are worked out: `Merge` (the default) adds the groups the image's /etc/group gives the user; `Strict` uses only fsGroup, supplementalGroups and runAsGroup.",
        enum: ['Merge', 'Strict'],
      },
      fsGroup: {
        type: 'int64',
        description:
          "A group ID that every container's processes also get and that owns the volumes supporting it; files created in them belong to this group.",
      },
      sysctls: { type: '[]Sysctl', description: 'Namespaced kernel parameters set for the pod.' },
      fsGroupChangePolicy: {
        description:
          'When volume ownership is changed to fsGroup: `Always` (the default) on every mount, `OnRootMismatch` only when the root of the volume does not already match.',
        enum: ['Always', 'OnRootMismatch'],
      },
      seccompProfile: {
        type: 'SeccompProfile',
        description: 'The seccomp profile of the containers that set none of their own.',
      },
      appArmorProfile: {
        type: 'AppArmorProfile',
        description: 'The AppArmor profile of the containers that set none of their own.',
      },
      seLinuxChangePolicy: {
        description:
          "How volumes get the pod's SELinux label: `Recursive` relabels every file, `MountOption` mounts them with the label, which is quicker, where the volume allows it.",
        enum: ['MountOption', 'Recursive'],
      },
    },
  },

  Sysctl: {
    description: 'A kernel parameter and its value.',
    fields: {
      name: 'The parameter, such as `net.ipv4.ip_local_port_range`.',
      value: 'The value to set.',
    },
  },

  // --- Scheduling ----------------------------------------------------------------------------

  Affinity: {
    description: 'Scheduling rules relative to nodes and to other pods.',
    fields: {
      nodeAffinity: {
        type: 'NodeAffinity',
        description: 'Nodes the pod must or should run on, chosen by their labels.',
      },
      podAffinity: {
        type: 'PodAffinity',
        description: 'Pods this one must or should run near, in the same topology domain.',
      },
      podAntiAffinity: {
        type: 'PodAntiAffinity',
        description: 'Pods this one must or should be kept away from.',
      },
    },
  },

  NodeAffinity: {
    description: 'Rules drawing a pod to nodes by their labels and fields.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        type: 'NodeSelector',
        description:
          'The nodes the pod may be scheduled onto. A node that stops matching later does not evict a pod already there.',
      },
      preferredDuringSchedulingIgnoredDuringExecution: {
        type: '[]PreferredSchedulingTerm',
        description:
          'Weighted preferences: among the nodes that fit, the scheduler favours the one whose matching terms weigh the most.',
      },
    },
  },

  NodeSelector: {
    description: 'Node selector terms, of which at least one must match.',
    required: ['nodeSelectorTerms'],
    fields: {
      nodeSelectorTerms: {
        type: '[]NodeSelectorTerm',
        description: 'The terms; a node matches when any of them does.',
      },
    },
  },

  NodeSelectorTerm: {
    description:
      "Requirements on a node's labels and fields, all of which must hold. A term without any requirement matches no node.",
    fields: {
      matchExpressions: {
        type: '[]NodeSelectorRequirement',
        description: "Requirements on the node's labels.",
      },
      matchFields: {
        type: '[]NodeSelectorRequirement',
        description: "Requirements on the node's fields; only `metadata.name` is supported.",
      },
    },
  },

  NodeSelectorRequirement: {
    description: 'A requirement on one label or field of a node.',
    required: ['key', 'operator'],
    fields: {
      key: 'The label key, or the field for matchFields.',
      operator: {
        description:
          'How the value is tested: `In`, `NotIn`, `Exists`, `DoesNotExist`, or `Gt` and `Lt` for a number.',
        enum: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'],
      },
      values:
        'The values: at least one for In and NotIn, none for Exists and DoesNotExist, exactly one integer for Gt and Lt.',
    },
  },

  PreferredSchedulingTerm: {
    description: 'A node selector term with a weight.',
    required: ['weight', 'preference'],
    fields: {
      weight: "What matching the term adds to a node's score, 1 to 100.",
      preference: { type: 'NodeSelectorTerm', description: 'The term.' },
    },
  },

  PodAffinity: {
    description: 'Rules placing a pod in the same topology domain as other pods.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        type: '[]PodAffinityTerm',
        description:
          'Terms that must all hold when the pod is scheduled. A term that stops holding later does not evict it.',
      },
      preferredDuringSchedulingIgnoredDuringExecution: {
        type: '[]WeightedPodAffinityTerm',
        description: 'Weighted preferences: nodes where heavier terms hold score higher.',
      },
    },
  },

  PodAntiAffinity: {
    description: 'Rules keeping a pod out of the topology domains of other pods.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        type: '[]PodAffinityTerm',
        description:
          'Terms that must all hold when the pod is scheduled: no selected pod may be in the same domain. A term that stops holding later does not evict it.',
      },
      preferredDuringSchedulingIgnoredDuringExecution: {
        type: '[]WeightedPodAffinityTerm',
        description: 'Weighted preferences: nodes where heavier terms would be broken score lower.',
      },
    },
  },

  PodAffinityTerm: {
    description:
      'A set of pods, chosen by labels and namespaces, and the topology key whose domains the rule is about.',
    required: ['topologyKey'],
    fields: {
      labelSelector: {
        type: 'meta.LabelSelector',
        description: 'Which pods the term is about; none when unset.',
      },
      namespaces:
        "Namespaces to look for those pods in, besides those namespaceSelector picks; the pod's own namespace when both are empty.",
      topologyKey:
        'The node label that defines the domains, such as `kubernetes.io/hostname` or `topology.kubernetes.io/zone`: nodes with the same value are in the same domain. Not empty.',
      namespaceSelector: {
        type: 'meta.LabelSelector',
        description:
          'Namespaces to look for those pods in, chosen by their labels, besides namespaces; an empty selector picks every namespace.',
      },
      matchLabelKeys:
        "Label keys whose values are read from the incoming pod and added to labelSelector as `key in (value)`, so that the term only concerns pods sharing them (a rollout's pod-template-hash, for example).",
      mismatchLabelKeys:
        'Like matchLabelKeys, but added as `key notin (value)`: the term concerns pods that do not share them.',
    },
  },

  WeightedPodAffinityTerm: {
    description: 'A pod affinity term with a weight.',
    required: ['weight', 'podAffinityTerm'],
    fields: {
      weight: 'What the term counts for when scoring a node, 1 to 100.',
      podAffinityTerm: { type: 'PodAffinityTerm', description: 'The term.' },
    },
  },

  Toleration: {
    description: 'Lets a pod be scheduled onto, or stay on, nodes with a matching taint.',
    fields: {
      key: 'The taint key to match; empty, with operator Exists, matches every taint.',
      operator: {
        description: '`Equal` (the default) also compares value; `Exists` accepts any value.',
        enum: ['Equal', 'Exists'],
      },
      value: 'The taint value to match; empty with Exists.',
      effect: {
        description: 'The taint effect to match; empty matches every effect.',
        enum: TaintEffects,
      },
      tolerationSeconds: {
        type: 'int64',
        description:
          'For NoExecute taints: how long the pod stays once the taint appears before it is evicted. Unset tolerates it for ever; zero or less evicts at once.',
      },
    },
  },

  HostAlias: {
    description: "An IP address and names for it, written into the pod's /etc/hosts.",
    fields: {
      ip: 'The IP address.',
      hostnames: 'The names the address gets.',
    },
  },

  PodDNSConfig: {
    description: 'DNS resolver settings of a pod.',
    fields: {
      nameservers: 'Name server addresses, added to those of dnsPolicy; three at most in all.',
      searches: 'Search domains, added to those of dnsPolicy.',
      options: {
        type: '[]PodDNSConfigOption',
        description:
          'Resolver options; one here replaces an option of the same name from dnsPolicy.',
      },
    },
  },

  PodDNSConfigOption: {
    description: 'One resolver option, such as `ndots:2`.',
    fields: {
      name: 'The option.',
      value: 'Its value, for options that take one.',
    },
  },

  PodReadinessGate: {
    description: 'A pod condition that must be True for the pod to be ready.',
    fields: { conditionType: "The type of the condition, in the pod's status." },
  },

  TopologySpreadConstraint: {
    description: 'Keeps matching pods evenly spread over the domains of a topology key.',
    required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
    fields: {
      maxSkew:
        'The largest difference allowed between the number of matching pods in a domain and in the domain with the fewest. At least 1.',
      topologyKey:
        'The node label whose values are the domains, such as `topology.kubernetes.io/zone`; nodes without it are left out.',
      whenUnsatisfiable: {
        description:
          'What happens when the pod cannot be placed within maxSkew: `DoNotSchedule` leaves it pending, `ScheduleAnyway` places it, preferring the least skew.',
        enum: ['DoNotSchedule', 'ScheduleAnyway'],
      },
      labelSelector: {
        type: 'meta.LabelSelector',
        description: 'Which pods are counted in each domain.',
      },
      minDomains:
        'With DoNotSchedule: while fewer domains than this are eligible, the emptiest is taken to hold no pods, which pushes pods into new domains. 1 by default.',
      nodeAffinityPolicy: {
        description:
          "Whether only nodes matching the pod's nodeAffinity and nodeSelector are counted: `Honor` (the default) or `Ignore`.",
        enum: ['Honor', 'Ignore'],
      },
      nodeTaintsPolicy: {
        description:
          'Whether nodes with taints the pod does not tolerate are left out: `Honor` leaves them out, `Ignore` (the default) counts them.',
        enum: ['Honor', 'Ignore'],
      },
      matchLabelKeys:
        'Label keys whose values are read from the incoming pod and added to labelSelector, so that spreading is worked out among pods sharing them (per pod-template-hash, for example).',
    },
  },

  PodOS: {
    description: 'The operating system a pod is meant for.',
    required: ['name'],
    fields: { name: '`linux` or `windows`.' },
  },

  PodSchedulingGate: {
    description: 'Keeps a pod from being scheduled until the gate is removed.',
    required: ['name'],
    fields: { name: "The gate's name, unique in the pod." },
  },

  // --- Pod status ----------------------------------------------------------------------------

  PodStatus: {
    description: 'The observed state of a pod; it may lag behind what happens on the node.',
    fields: {
      phase: {
        description:
          'Where the pod is in its life: `Pending` (accepted, not all containers started), `Running`, `Succeeded` (all containers exited successfully), `Failed`, or `Unknown` (its node cannot be reached).',
        enum: PodPhases,
      },
      conditions: {
        type: '[]PodCondition',
        description:
          'Conditions of the pod, such as PodScheduled, Initialized, ContainersReady and Ready.',
      },
      message: "A human-readable explanation of the pod's state.",
      reason: "A brief CamelCase reason for the pod's state, such as `Evicted`.",
      nominatedNodeName:
        'The node on which this pod preempted others and expects to run; it may still end up elsewhere.',
      hostIP: "The primary IP address of the pod's node.",
      hostIPs: {
        type: '[]HostIP',
        description:
          "The IP addresses of the pod's node, at most one per family; the first is hostIP.",
      },
      podIP: "The pod's primary IP address; empty until one is assigned.",
      podIPs: {
        type: '[]PodIP',
        description: "The pod's IP addresses, at most one per family; the first is podIP.",
      },
      startTime: {
        type: 'meta.Time',
        description: 'When the kubelet took on the pod, before any image was pulled.',
      },
      initContainerStatuses: containerStatuses('init container'),
      containerStatuses: containerStatuses('app container'),
      qosClass: {
        description:
          "The quality of service class that follows from the containers' requests and limits; it decides the eviction order under node pressure.",
        enum: PodQOSClasses,
      },
      ephemeralContainerStatuses: containerStatuses('ephemeral container'),
      resize:
        "How an in-place resize of the pod's resources is going: `Proposed`, `InProgress`, `Deferred` or `Infeasible`.",
    },
  },

  PodCondition: {
    description: 'One condition of a pod.',
    fields: {
      type: 'The aspect the condition describes, such as `Ready`, `ContainersReady`, `Initialized` or `PodScheduled`.',
      status: { description: 'Whether the condition holds.', enum: conditionStatuses },
      lastProbeTime: { type: 'meta.Time', description: 'When the condition was last checked.' },
      lastTransitionTime: { type: 'meta.Time', description: 'When status last changed.' },
      reason: 'A CamelCase, machine-readable reason for the last change.',
      message: 'A human-readable account of the last change.',
    },
  },

  HostIP: {
    description: "One IP address of a pod's node.",
    fields: { ip: 'The address.' },
  },

  PodIP: {
    description: 'One IP address of a pod.',
    fields: { ip: 'The address.' },
  },

  ContainerStatus: {
    description: 'The state of one container of a pod, as the kubelet reports it.',
    required: ['name', 'ready', 'restartCount', 'image', 'imageID'],
    fields: {
      name: "The container's name, as in the pod's spec.",
      state: { type: 'ContainerState', description: 'What the container is doing now.' },
      lastState: {
        type: 'ContainerState',
        description:
          'How the previous run of the container ended; empty when it has not restarted.',
      },
      ready: 'Whether the container passes its readiness probe (or has none and is running).',
      restartCount: 'How many times the container has been restarted.',
      image: "The image the container runs; it may be written differently from the spec's.",
      imageID: 'The ID of that image, usually with its digest.',
      containerID: "The container's ID in its runtime, as `<runtime>://<id>`.",
      started:
        'Whether the container has passed its startup probe (or has none) and is running; false again after a restart.',
      allocatedResources: 'The resources the node has set aside for the container.',
      resources: {
        type: 'ResourceRequirements',
        description:
          'The requests and limits the runtime applies now; they differ from the spec while a resize is under way.',
      },
      volumeMounts: {
        type: '[]VolumeMountStatus',
        description: "The state of the container's volume mounts.",
      },
    },
  },

  ContainerState: {
    description: 'What a container is doing: at most one field is set, and none means waiting.',
    fields: {
      waiting: { type: 'ContainerStateWaiting', description: 'The container has not started yet.' },
      running: { type: 'ContainerStateRunning', description: 'The container is running.' },
      terminated: { type: 'ContainerStateTerminated', description: 'The container has stopped.' },
    },
  },

  ContainerStateWaiting: {
    description: 'A container not running yet.',
    fields: {
      reason:
        'Why it waits, such as `ContainerCreating`, `ImagePullBackOff` or `CrashLoopBackOff`.',
      message: 'More about the wait.',
    },
  },

  ContainerStateRunning: {
    description: 'A running container.',
    fields: { startedAt: { type: 'meta.Time', description: 'When it last started.' } },
  },

  ContainerStateTerminated: {
    description: 'A container that has stopped.',
    fields: {
      exitCode: 'The exit status of its last run.',
      signal: 'The signal that ended it, if one did.',
      reason: 'Why it stopped, such as `Completed`, `Error` or `OOMKilled`.',
      message: 'More about how it ended.',
      startedAt: { type: 'meta.Time', description: 'When that run started.' },
      finishedAt: { type: 'meta.Time', description: 'When it ended.' },
      containerID: "The runtime's ID of the container that ran, as `<runtime>://<id>`.",
    },
  },

  VolumeMountStatus: {
    description: 'The state of one volume mount of a container.',
    fields: {
      name: 'The name of the volume mount.',
      mountPath: 'Where the volume is mounted.',
      readOnly: 'Whether it is mounted read-only.',
      recursiveReadOnly: {
        description:
          'Whether read-only applies to the mounts beneath it too: `Disabled` or `Enabled`, as IfPossible turned out.',
        enum: ['Disabled', 'Enabled', 'IfPossible'],
      },
    },
  },

  // --- Subresource bodies and options --------------------------------------------------------

  Binding: {
    description: "Binds a pod to a node: the scheduler posts it to the pod's binding subresource.",
    fields: {
      ...objectHeader,
      metadata: {
        ...objectHeader.metadata,
        description: 'The name and namespace of the pod being bound.',
      },
      target: { type: 'ObjectReference', description: 'The node to bind the pod to.' },
    },
  },

  PodLogOptions: {
    description: "The query parameters of a request for a container's log.",
    fields: {
      container: 'The container to read; may be left out when the pod has a single container.',
      follow: { type: 'boolean', description: 'Keeps streaming the log as it grows.' },
      previous: {
        type: 'boolean',
        description: 'Returns the log of the previous, terminated run of the container.',
      },
      sinceSeconds: {
        type: 'int64',
        description: 'Only lines from the last this many seconds; not together with sinceTime.',
      },
      sinceTime: {
        type: 'meta.Time',
        description:
          'Only lines written after this time (RFC 3339); not together with sinceSeconds.',
      },
      timestamps: {
        type: 'boolean',
        description: 'Puts an RFC 3339 timestamp at the start of every line.',
      },
      tailLines: { type: 'int64', description: 'Only this many lines, counted from the end.' },
      limitBytes: {
        type: 'int64',
        description: 'Stops after this many bytes, possibly in the middle of a line.',
      },
      insecureSkipTLSVerifyBackend: {
        type: 'boolean',
        description: 'Reads the log from the kubelet without checking its serving certificate.',
      },
      stream: 'Which output stream to return: `All` (the default), `Stdout` or `Stderr`.',
    },
  },

  PodExecOptions: {
    description: 'The query parameters of a request to run a command in a container.',
    fields: {
      ...streams,
      command: {
        type: '[]string',
        description: 'The command and its arguments, one parameter each; no shell is involved.',
      },
    },
  },

  PodAttachOptions: {
    description: 'The query parameters of a request to attach to a running container.',
    fields: streams,
  },

  PodPortForwardOptions: {
    description: 'The query parameters of a request to forward ports of a pod.',
    fields: { ports: { type: '[]int32', description: "The pod's ports to forward." } },
  },

  PodProxyOptions: proxyOptions('pod'),
  NodeProxyOptions: proxyOptions('node'),
  ServiceProxyOptions: proxyOptions('service'),

  // --- Node ----------------------------------------------------------------------------------

  Node: {
    description: 'A machine of the cluster that runs pods, registered by its kubelet.',
    fields: {
      ...objectHeader,
      spec: {
        type: 'NodeSpec',
        description:
          'How the node is set up: its pod address ranges, its taints, and whether it takes new pods.',
      },
      status: {
        type: 'NodeStatus',
        description:
          'What the node reports about itself: capacity, conditions, addresses and system information.',
      },
    },
  },

  NodeSpec: {
    description: 'How a node is set up.',
    fields: {
      podCIDR: "The IP range the node's pods get their addresses from.",
      podCIDRs: "The IP ranges of the node's pods, at most one per family; the first is podCIDR.",
      providerID: "The node's ID at its cloud provider, as `<provider>://<id>`.",
      unschedulable: 'Keeps new pods off the node (cordoned); pods already there keep running.',
      taints: {
        type: '[]Taint',
        description: 'Taints keeping off pods that do not tolerate them.',
      },
      configSource: {
        type: 'NodeConfigSource',
        description:
          'Deprecated: dynamic kubelet configuration no longer exists, and this is ignored.',
      },
      externalID: 'Deprecated and ignored.',
    },
  },

  NodeConfigSource: {
    description:
      "Where a kubelet's dynamic configuration came from; that feature is gone, and the object is kept as sent.",
  },

  NodeConfigStatus: {
    description:
      "How a kubelet's dynamic configuration was applied; that feature is gone, and the object is kept as sent.",
  },

  Taint: {
    description: 'A mark on a node that repels pods which do not tolerate it.',
    fields: {
      key: 'The taint key.',
      value: 'The taint value.',
      effect: {
        description:
          'What happens to pods that do not tolerate the taint: `NoSchedule` keeps new ones off, `PreferNoSchedule` avoids the node when possible, `NoExecute` also evicts those running.',
        enum: TaintEffects,
      },
      timeAdded: {
        type: 'meta.Time',
        description: 'When the taint was added; set for NoExecute taints only.',
      },
    },
  },

  NodeStatus: {
    description: 'The observed state of a node.',
    fields: {
      capacity: "The node's total resources, such as `cpu`, `memory` and `pods`.",
      allocatable:
        'The resources left for pods: capacity less what is reserved for the system. The scheduler goes by this.',
      phase: {
        description: 'Deprecated and unused.',
        enum: ['Pending', 'Running', 'Terminated'],
      },
      conditions: {
        type: '[]NodeCondition',
        description:
          'Conditions of the node, such as Ready, MemoryPressure, DiskPressure and PIDPressure.',
      },
      addresses: {
        type: '[]NodeAddress',
        description: "The node's addresses, such as its InternalIP and its Hostname.",
      },
      daemonEndpoints: {
        type: 'NodeDaemonEndpoints',
        description: 'Where the daemons of the node listen, such as the kubelet.',
      },
      nodeInfo: {
        type: 'NodeSystemInfo',
        description: "Identifiers and versions of the node's system and software.",
      },
      images: { type: '[]ContainerImage', description: 'Container images present on the node.' },
      volumesInUse: 'Volumes attached to the node and in use by it.',
      volumesAttached: {
        type: '[]AttachedVolume',
        description: 'Volumes attached to the node.',
      },
      config: {
        type: 'NodeConfigStatus',
        description:
          'Deprecated: the status of dynamic kubelet configuration, which no longer exists.',
      },
      runtimeHandlers: {
        type: '[]NodeRuntimeHandler',
        description: 'The container runtime handlers the node offers.',
      },
      features: { type: 'NodeFeatures', description: 'Optional features the node supports.' },
    },
  },

  NodeCondition: {
    description: 'One condition of a node.',
    fields: {
      type: 'The aspect the condition describes, such as `Ready`, `MemoryPressure`, `DiskPressure`, `PIDPressure` or `NetworkUnavailable`.',
      status: {
        description: 'Whether the condition holds; Unknown when the kubelet stopped reporting.',
        enum: conditionStatuses,
      },
      lastHeartbeatTime: {
        type: 'meta.Time',
        description: 'When the kubelet last reported the condition.',
      },
      lastTransitionTime: { type: 'meta.Time', description: 'When status last changed.' },
      reason: 'A CamelCase, machine-readable reason for the last change.',
      message: 'A human-readable account of the last change.',
    },
  },

  NodeAddress: {
    description: 'One address of a node.',
    fields: {
      type: 'The kind of address: `Hostname`, `InternalIP`, `ExternalIP`, `InternalDNS` or `ExternalDNS`.',
      address: 'The address itself.',
    },
  },

  NodeDaemonEndpoints: {
    description: 'Where the daemons of a node listen.',
    fields: {
      kubeletEndpoint: { type: 'DaemonEndpoint', description: "The kubelet's port." },
    },
  },

  DaemonEndpoint: {
    description: 'A port a daemon listens on.',
    fields: { Port: 'The port number.' },
  },

  NodeSystemInfo: {
    description: "Identifiers and versions of a node's system, as its kubelet reports them.",
    required: [
      'machineID',
      'systemUUID',
      'bootID',
      'kernelVersion',
      'osImage',
      'containerRuntimeVersion',
      'kubeletVersion',
      'kubeProxyVersion',
      'operatingSystem',
      'architecture',
    ],
    fields: {
      machineID: 'The machine ID of /etc/machine-id, unique to the installation.',
      systemUUID: 'The hardware UUID the firmware reports.',
      bootID: 'An ID that changes on every boot.',
      kernelVersion: 'The kernel version, as `uname -r` prints it.',
      osImage:
        'The operating system image, from /etc/os-release, such as `Debian GNU/Linux 12 (bookworm)`.',
      containerRuntimeVersion:
        'The container runtime and its version, such as `containerd://1.7.22`.',
      kubeletVersion: "The kubelet's version.",
      kubeProxyVersion: "Deprecated: kube-proxy's version, which the kubelet cannot know for sure.",
      operatingSystem: 'The operating system, such as `linux`.',
      architecture: 'The processor architecture, such as `amd64` or `arm64`.',
      swap: { type: 'NodeSwapStatus', description: "The node's swap memory." },
    },
  },

  NodeSwapStatus: {
    description: 'The swap memory of a node.',
    fields: { capacity: { type: 'int64', description: 'Total swap, in bytes.' } },
  },

  ContainerImage: {
    description: 'A container image present on a node.',
    fields: {
      names: 'The names the image is known by: its tags and digests.',
      sizeBytes: { type: 'int64', description: "The image's size in bytes." },
    },
  },

  AttachedVolume: {
    description: 'A volume attached to a node.',
    fields: {
      name: "The volume's name.",
      devicePath: 'The device the volume is attached as.',
    },
  },

  NodeRuntimeHandler: {
    description: 'A container runtime handler of a node, such as one a RuntimeClass names.',
    fields: {
      name: "The handler's name; empty for the default handler.",
      features: {
        type: 'NodeRuntimeHandlerFeatures',
        description: 'What the handler supports.',
      },
    },
  },

  NodeRuntimeHandlerFeatures: {
    description: 'Features a runtime handler supports.',
    fields: {
      recursiveReadOnlyMounts: 'Whether it supports recursive read-only mounts.',
      userNamespaces: 'Whether it supports user namespaces, volumes included.',
    },
  },

  NodeFeatures: {
    description: 'Optional features a node supports.',
    fields: {
      supplementalGroupsPolicy: "Whether the node honours a pod's supplementalGroupsPolicy.",
    },
  },

  // --- Namespace -----------------------------------------------------------------------------

  Namespace: {
    description:
      'A scope for names: most objects live in a namespace, and their names need only be unique within it.',
    fields: {
      ...objectHeader,
      spec: {
        type: 'NamespaceSpec',
        description: 'The cleanup that must happen before the namespace is removed.',
      },
      status: {
        type: 'NamespaceStatus',
        description: 'Whether the namespace is in use or being deleted.',
      },
    },
  },

  NamespaceSpec: {
    description: 'The desired state of a namespace.',
    fields: {
      finalizers:
        'Cleanup steps that must finish before the namespace is removed; `kubernetes`, which deletes everything in it, by default. Changed through the finalize subresource.',
    },
  },

  NamespaceStatus: {
    description: 'The observed state of a namespace.',
    fields: {
      phase: {
        description:
          '`Active`, or `Terminating` once deletion was requested, while its content is removed.',
        enum: NamespacePhases,
      },
      conditions: {
        type: '[]NamespaceCondition',
        description: "Conditions telling how the namespace's deletion is going.",
      },
    },
  },

  NamespaceCondition: condition(
    'namespace',
    '`NamespaceDeletionContentFailure` or `NamespaceContentRemaining`',
  ),

  // --- Event ---------------------------------------------------------------------------------

  Event: {
    description:
      'A report that something happened to an object, such as a pod being scheduled or an image failing to pull. Events are short-lived: they expire after an hour by default.',
    required: ['metadata', 'involvedObject'],
    fields: {
      ...objectHeader,
      involvedObject: { type: 'ObjectReference', description: 'The object the event is about.' },
      reason: 'A short CamelCase reason, such as `Scheduled` or `BackOff`, for programs to act on.',
      message: 'A human-readable description of what happened.',
      source: {
        type: 'EventSource',
        description: 'The component that reported the event; reportingComponent replaces it.',
      },
      firstTimestamp: { type: 'meta.Time', description: 'When the event was first seen.' },
      lastTimestamp: { type: 'meta.Time', description: 'When the event was seen last.' },
      count: 'How many times the event has been seen.',
      type: "The event's type: `Normal`, or `Warning` for something worth looking at.",
      eventTime: {
        type: 'meta.MicroTime',
        description: 'When the event first happened, to the microsecond.',
      },
      series: {
        type: 'EventSeries',
        description: 'For an event that keeps happening: how often, and when it last did.',
      },
      action: 'What was done, or failed, such as `Binding`.',
      related: {
        type: 'ObjectReference',
        description: 'A second object involved, if there is one.',
      },
      reportingComponent: 'The controller that reported the event, such as `kubelet`.',
      reportingInstance: "Which instance of that controller, such as the kubelet's node.",
    },
  },

  ObjectReference: {
    description: 'Points at an object of any kind, and possibly at a field of it.',
    fields: {
      kind: 'Kind of the object.',
      namespace: 'Namespace of the object.',
      name: 'Name of the object.',
      uid: 'UID of the object.',
      apiVersion: 'API version of the object.',
      resourceVersion: 'The resourceVersion the reference was made at, where it matters.',
      fieldPath: 'A part of the object, such as `spec.containers{web}` for one container of a pod.',
    },
  },

  EventSource: {
    description: 'The component an event came from.',
    fields: {
      component: "The component's name.",
      host: 'The node it runs on.',
    },
  },

  EventSeries: {
    description: 'How often a repeated event has happened.',
    fields: {
      count: 'How many times it has happened so far.',
      lastObservedTime: {
        type: 'meta.MicroTime',
        description: 'When it last happened.',
      },
    },
  },

  // --- ConfigMap and Secret ------------------------------------------------------------------

  ConfigMap: {
    description:
      'Configuration that is not secret, as key/value pairs, for pods to read as environment variables, files or command arguments.',
    fields: {
      ...objectHeader,
      immutable:
        'When true, data and binaryData can no longer change (the object can only be deleted), and it cannot be turned off.',
      data: 'UTF-8 values by key. Keys are made of letters, digits, `-`, `_` and `.`, and may not also appear in binaryData.',
      binaryData: {
        type: 'map[string]byte',
        description: 'Binary values by key, base64-encoded in JSON; keys as for data.',
      },
    },
  },

  Secret: {
    description:
      'A small amount of sensitive data, such as a password, a token or a key, for pods to read as files or environment variables.',
    fields: {
      ...objectHeader,
      immutable:
        'When true, data can no longer change (the object can only be deleted), and it cannot be turned off.',
      data: {
        type: 'map[string]byte',
        description:
          'Values by key, base64-encoded in JSON. Keys are made of letters, digits, `-`, `_` and `.`.',
      },
      stringData:
        'A write-only convenience: plain-text values merged into data on writes, winning over data on the same key. Never returned on reads.',
      type: 'What the secret holds, which may call for certain keys: `Opaque` (the default), `kubernetes.io/tls`, `kubernetes.io/dockerconfigjson`, `kubernetes.io/service-account-token` and others.',
    },
  },

  // --- Service and Endpoints -----------------------------------------------------------------

  Service: {
    description:
      'A stable name and virtual IP in front of a set of pods chosen by a label selector, spreading traffic over them; or an alias for an external name.',
    fields: {
      ...objectHeader,
      spec: {
        type: 'ServiceSpec',
        description: 'How the service is exposed, and which pods get its traffic.',
      },
      status: {
        type: 'ServiceStatus',
        description: 'The observed state of the service, such as its load balancer.',
      },
    },
  },

  ServiceSpec: {
    description: 'How a service is exposed and where its traffic goes.',
    fields: {
      ports: { type: '[]ServicePort', description: 'The ports the service exposes.' },
      selector:
        'Labels of the pods that get the traffic. Without a selector, endpoints are managed by hand; ExternalName services ignore it.',
      clusterIP:
        "The service's virtual IP, allocated when empty; `None` makes the service headless (DNS answers with the pods' addresses). Cannot be changed, except by turning the service into an ExternalName one.",
      clusterIPs:
        "The service's virtual IPs, at most one per family; the first is clusterIP. Same rules as clusterIP.",
      type: {
        description:
          'How the service is reachable: `ClusterIP` (the default) inside the cluster, `NodePort` also on a port of every node, `LoadBalancer` also through an external load balancer, `ExternalName` only as a DNS alias of externalName.',
        enum: ServiceTypes,
      },
      externalIPs:
        "Addresses outside the cluster's control at which the nodes also accept the service's traffic.",
      sessionAffinity: {
        description:
          "`ClientIP` sends a client's connections to the same pod each time; `None` (the default) does not.",
        enum: SessionAffinities,
      },
      loadBalancerIP:
        'Deprecated: an address to ask the load balancer for, where the provider supports it.',
      loadBalancerSourceRanges:
        'Client address ranges (CIDRs) the load balancer lets through, where the provider supports it.',
      externalName:
        "For ExternalName services: the DNS name the service's own name resolves to, as a CNAME record.",
      externalTrafficPolicy: {
        description:
          "How traffic from outside the cluster reaches the pods: `Cluster` (the default) goes to any ready pod, `Local` only to pods on the node it arrived at, which keeps the client's address.",
        enum: TrafficPolicies,
      },
      healthCheckNodePort:
        'For LoadBalancer services with the Local external traffic policy: the node port load balancers health-check, allocated when unset.',
      publishNotReadyAddresses:
        'Publishes the addresses of pods that are not ready as well, in endpoints and DNS.',
      sessionAffinityConfig: {
        type: 'SessionAffinityConfig',
        description: 'Settings of session affinity.',
      },
      ipFamilies:
        "The IP families of the service (`IPv4`, `IPv6`), in order; chosen from ipFamilyPolicy and the cluster's setup when empty.",
      ipFamilyPolicy: {
        description:
          'Whether the service has one IP family or two: `SingleStack` (when unset), `PreferDualStack` or `RequireDualStack`.',
        enum: IPFamilyPolicies,
      },
      allocateLoadBalancerNodePorts:
        'For LoadBalancer services: whether node ports are allocated; true by default. Turn it off for load balancers that reach the pods directly.',
      loadBalancerClass:
        "The load balancer implementation to use, by its class name; the cloud provider's own when unset. Cannot be changed.",
      internalTrafficPolicy: {
        description:
          "How traffic from inside the cluster reaches the pods: `Cluster` (the default) goes to any ready pod, `Local` only to pods on the sender's node.",
        enum: TrafficPolicies,
      },
      trafficDistribution:
        'A preference for how traffic is spread over the pods, such as `PreferClose` for pods topologically close to the client.',
    },
  },

  ServicePort: {
    description: 'A port a service exposes, and the port of the pods it forwards to.',
    required: ['port'],
    fields: {
      name: "The port's name, a DNS label unique in the service; required when the service has several ports.",
      protocol,
      appProtocol,
      port: 'The port the service listens on.',
      targetPort:
        'The port on the pods: a number, or the name of a container port. The same as port when unset; ignored when the service has no selector.',
      nodePort:
        'For NodePort and LoadBalancer services: the port opened on every node, allocated from the node port range when unset.',
    },
  },

  SessionAffinityConfig: {
    description: 'Settings of session affinity.',
    fields: {
      clientIP: { type: 'ClientIPConfig', description: 'Settings of ClientIP affinity.' },
    },
  },

  ClientIPConfig: {
    description: 'Settings of ClientIP session affinity.',
    fields: {
      timeoutSeconds:
        'How long a client keeps going to the same pod: 1 to 86400 seconds, 10800 (three hours) by default.',
    },
  },

  ServiceStatus: {
    description: 'The observed state of a service.',
    fields: {
      loadBalancer: {
        type: 'LoadBalancerStatus',
        description: 'The load balancer, for LoadBalancer services.',
      },
      conditions: { type: '[]meta.Condition', description: 'Conditions of the service.' },
    },
  },

  LoadBalancerStatus: {
    description: 'The state of a load balancer.',
    fields: {
      ingress: {
        type: '[]LoadBalancerIngress',
        description: 'The addresses of the load balancer.',
      },
    },
  },

  LoadBalancerIngress: {
    description: 'An address of a load balancer.',
    fields: {
      ip: 'An IP address.',
      hostname: 'A DNS name.',
      ipMode: {
        description:
          'How traffic for ip reaches the nodes: `VIP` (the default) with ip as its destination, `Proxy` with the destination rewritten by the load balancer.',
        enum: LoadBalancerIPModes,
      },
      ports: { type: '[]PortStatus', description: 'How each service port fares at this address.' },
    },
  },

  PortStatus: {
    description: 'How one service port fares.',
    fields: {
      port: 'The port number.',
      protocol: { description: "The port's protocol.", enum: Protocols },
      error: 'Why the port does not work, as a CamelCase reason; empty when it works.',
    },
  },

  Endpoints: {
    description:
      'The addresses behind a service, in subsets of addresses sharing the same ports. EndpointSlice supersedes it.',
    fields: {
      ...objectHeader,
      subsets: {
        type: '[]EndpointSubset',
        description:
          'Groups of addresses with the same ports; every address with every port of its group is an endpoint.',
      },
    },
  },

  EndpointSubset: {
    description: 'Addresses that share a set of ports.',
    fields: {
      addresses: {
        type: '[]EndpointAddress',
        description: 'Addresses ready for traffic.',
      },
      notReadyAddresses: {
        type: '[]EndpointAddress',
        description: 'Addresses not ready yet, which get no traffic.',
      },
      ports: { type: '[]EndpointPort', description: 'The ports of these addresses.' },
    },
  },

  EndpointAddress: {
    description: 'One IP address of an endpoint.',
    required: ['ip'],
    fields: {
      ip: 'The address; loopback, link-local and multicast addresses are refused.',
      hostname: "The endpoint's hostname.",
      nodeName: 'The node the endpoint is on.',
      targetRef: {
        type: 'ObjectReference',
        description: 'The object behind the endpoint, usually a pod.',
      },
    },
  },

  EndpointPort: {
    description: 'A port of the addresses of an endpoint subset.',
    required: ['port'],
    fields: {
      name: "The port's name, the same as the service port's; may be empty when there is one port.",
      port: 'The port number.',
      protocol,
      appProtocol,
    },
  },

  // --- ReplicationController -----------------------------------------------------------------

  ReplicationController: {
    description:
      'Keeps a number of copies of a pod running: the older form of ReplicaSet, with an equality-based selector.',
    fields: {
      ...objectHeader,
      spec: {
        type: 'ReplicationControllerSpec',
        description: 'How many pods to keep, and what they look like.',
      },
      status: {
        type: 'ReplicationControllerStatus',
        description: 'How many pods there are and in what state.',
      },
    },
  },

  ReplicationControllerSpec: {
    description: 'The desired state of a replication controller.',
    fields: {
      replicas: 'How many pods should run; 1 by default.',
      minReadySeconds:
        'Seconds a new pod must stay ready, with no container crashing, before it counts as available; 0 by default.',
      selector:
        "Labels of the pods the controller counts as its own; the template's labels by default.",
      template: {
        type: 'PodTemplateSpec',
        description: 'What the pods created to make up the count look like.',
      },
    },
  },

  PodTemplateSpec: {
    description: 'What a controller creates pods from: their metadata and spec.',
    fields: {
      metadata: {
        ...objectHeader.metadata,
        description: 'Labels, annotations and other metadata given to every pod created.',
      },
      spec: { type: 'PodSpec', description: 'The spec of every pod created.' },
    },
  },

  ReplicationControllerStatus: {
    description: 'The observed state of a replication controller.',
    required: ['replicas'],
    fields: {
      replicas: 'How many pods it has now.',
      fullyLabeledReplicas: 'How many of them carry every label of the template.',
      readyReplicas: 'How many of them are ready.',
      availableReplicas: 'How many of them have been ready for at least minReadySeconds.',
      observedGeneration: {
        type: 'int64',
        description: 'The generation of the spec the controller last acted on.',
      },
      conditions: {
        type: '[]ReplicationControllerCondition',
        description: 'Conditions, such as a failure to create pods.',
      },
    },
  },

  ReplicationControllerCondition: condition('replication controller', '`ReplicaFailure`'),

  // --- ResourceQuota -------------------------------------------------------------------------

  ResourceQuota: {
    description: 'Limits on the total resources and object counts a namespace may use.',
    fields: {
      ...objectHeader,
      spec: {
        type: 'ResourceQuotaSpec',
        description: 'The limits, and which objects they count.',
      },
      status: {
        type: 'ResourceQuotaStatus',
        description: 'The limits in force and how much is used.',
      },
    },
  },

  ResourceQuotaSpec: {
    description: 'What a quota limits.',
    fields: {
      hard: 'The limit of each resource, such as `requests.cpu`, `limits.memory`, `pods` or `count/deployments.apps`.',
      scopes:
        'Scopes an object must be in to be counted: `Terminating`, `NotTerminating`, `BestEffort`, `NotBestEffort`, `PriorityClass` or `CrossNamespacePodAffinity`.',
      scopeSelector: {
        type: 'ScopeSelector',
        description: 'Scope requirements an object must meet to be counted, as expressions.',
      },
    },
  },

  ScopeSelector: {
    description: 'Requirements on the quota scopes of an object, all of which must hold.',
    fields: {
      matchExpressions: {
        type: '[]ScopedResourceSelectorRequirement',
        description: 'The requirements.',
      },
    },
  },

  ScopedResourceSelectorRequirement: {
    description: 'A requirement on one quota scope.',
    fields: {
      scopeName: {
        description: 'The scope.',
        enum: [
          'BestEffort',
          'CrossNamespacePodAffinity',
          'NotBestEffort',
          'NotTerminating',
          'PriorityClass',
          'Terminating',
        ],
      },
      operator: {
        description: 'How the scope is tested.',
        enum: ['DoesNotExist', 'Exists', 'In', 'NotIn'],
      },
      values:
        'The values compared by In and NotIn, such as priority class names; empty for Exists and DoesNotExist.',
    },
  },

  ResourceQuotaStatus: {
    description: 'The observed state of a quota.',
    fields: {
      hard: 'The limits in force.',
      used: 'How much of each limited resource the namespace uses.',
    },
  },
});
