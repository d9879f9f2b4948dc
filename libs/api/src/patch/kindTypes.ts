/**
 * The merge types of every kind kubeling serves, transcribed from the struct tags and the
 * `+listType` / `+listMapKey` / `+mapType` / `+structType` markers of k8s.io/api
 * (core/v1, apps/v1, discovery/v1, coordination/v1) and k8s.io/apimachinery meta/v1.
 * Only lists, maps and atomic structs are listed: everything else merges as a deduced struct.
 *
 * Where strategic merge patch and apply disagree, both are kept: `tolerations` and `envFrom`
 * are replaced by both; `hostIPs` merges by ip in a patch but is atomic for apply; container
 * ports merge by containerPort in a patch but are keyed by (containerPort, protocol) for apply.
 */
import type { JsonObject, StructType, TypeNode } from './types';
import { atomicList, atomicStruct, map, mapList, scalar, setList, struct } from './types';

/** ObjectReference, LocalObjectReference, the env var selectors...: `+structType=atomic`. */
const atomicRef = atomicStruct();

const objectMeta = struct({
  labels: map(),
  annotations: map(),
  // OwnerReference is an atomic struct: each reference is owned as a whole.
  ownerReferences: mapList(['uid'], atomicRef),
  finalizers: setList({ merge: true }),
  managedFields: atomicList(),
});

const labelSelector = atomicStruct({ matchLabels: map() });

const resourceList = map();

const envVar = struct({
  valueFrom: struct({
    fieldRef: atomicRef,
    resourceFieldRef: atomicRef,
    configMapKeyRef: atomicRef,
    secretKeyRef: atomicRef,
  }),
});

const container = struct({
  ports: mapList(['containerPort', 'protocol'], struct(), {
    mergeKey: 'containerPort',
    keyDefaults: { protocol: 'TCP' },
  }),
  env: mapList(['name'], envVar),
  resources: struct({
    limits: resourceList,
    requests: resourceList,
    claims: mapList(['name'], struct(), { patch: 'replace' }),
  }),
  volumeMounts: mapList(['mountPath'], struct()),
  volumeDevices: mapList(['devicePath'], struct()),
});

const podAffinity = struct({
  requiredDuringSchedulingIgnoredDuringExecution: atomicList(struct()),
  preferredDuringSchedulingIgnoredDuringExecution: atomicList(struct()),
});

const podSpec = struct({
  volumes: mapList(['name'], struct()),
  initContainers: mapList(['name'], container),
  containers: mapList(['name'], container),
  ephemeralContainers: mapList(['name'], container),
  nodeSelector: map(scalar, { atomic: true }),
  imagePullSecrets: mapList(['name'], atomicRef),
  affinity: struct({
    nodeAffinity: struct({ requiredDuringSchedulingIgnoredDuringExecution: atomicRef }),
    podAffinity,
    podAntiAffinity: podAffinity,
  }),
  hostAliases: mapList(['ip'], struct()),
  topologySpreadConstraints: mapList(['topologyKey', 'whenUnsatisfiable'], struct()),
  overhead: resourceList,
  schedulingGates: mapList(['name'], struct()),
  resourceClaims: mapList(['name'], struct()),
});

const containerStatuses = atomicList(struct());

const podStatus = struct({
  conditions: mapList(['type'], struct()),
  // Merged by ip in a strategic patch, yet atomic for apply.
  hostIPs: { kind: 'list', items: struct(), patch: 'merge', mergeKey: 'ip', listType: 'atomic' },
  podIPs: mapList(['ip'], struct()),
  initContainerStatuses: containerStatuses,
  containerStatuses,
  ephemeralContainerStatuses: containerStatuses,
  resourceClaimStatuses: mapList(['name'], struct()),
});

const podTemplateSpec = struct({ metadata: objectMeta, spec: podSpec });

/** Status blocks that only carry conditions keyed by type. */
const conditionsStatus = struct({ conditions: mapList(['type'], struct()) });

function kindType(fields: Record<string, TypeNode>): StructType {
  return struct({ metadata: objectMeta, ...fields });
}

const kindTypes: Record<string, StructType> = {
  '/Pod': kindType({ spec: podSpec, status: podStatus }),
  '/Node': kindType({
    spec: struct({ podCIDRs: setList({ merge: true }), taints: atomicList(struct()) }),
    status: struct({
      capacity: resourceList,
      allocatable: resourceList,
      conditions: mapList(['type'], struct()),
      addresses: mapList(['type'], struct()),
    }),
  }),
  '/Namespace': kindType({ status: conditionsStatus }),
  '/Event': kindType({ involvedObject: atomicRef, related: atomicRef }),
  '/ConfigMap': kindType({ data: map(), binaryData: map() }),
  '/Secret': kindType({ data: map(), stringData: map() }),
  '/Service': kindType({
    spec: struct({
      ports: mapList(['port', 'protocol'], struct(), {
        mergeKey: 'port',
        keyDefaults: { protocol: 'TCP' },
      }),
      selector: map(scalar, { atomic: true }),
    }),
    status: conditionsStatus,
  }),
  '/Endpoints': kindType({}),
  '/ReplicationController': kindType({
    spec: struct({ selector: map(scalar, { atomic: true }), template: podTemplateSpec }),
    status: conditionsStatus,
  }),
  '/ResourceQuota': kindType({
    spec: struct({ hard: resourceList, scopeSelector: atomicRef }),
    status: struct({ hard: resourceList, used: resourceList }),
  }),
  'apps/ReplicaSet': kindType({
    spec: struct({ selector: labelSelector, template: podTemplateSpec }),
    status: conditionsStatus,
  }),
  'apps/Deployment': kindType({
    spec: struct({
      selector: labelSelector,
      template: podTemplateSpec,
      // patchStrategy retainKeys: a patch carrying $retainKeys clears the other strategy fields.
      strategy: struct(),
    }),
    status: conditionsStatus,
  }),
  'discovery.k8s.io/EndpointSlice': kindType({}),
  'coordination.k8s.io/Lease': kindType({}),
  'scheduling.k8s.io/PriorityClass': kindType({}),
  '/ServiceAccount': kindType({
    secrets: mapList(['name'], atomicRef),
    imagePullSecrets: atomicList(atomicRef),
  }),
};

const jobSpec = struct({
  selector: labelSelector,
  template: podTemplateSpec,
  podFailurePolicy: struct({ rules: atomicList(struct()) }),
  successPolicy: struct({ rules: atomicList(struct()) }),
});

Object.assign(kindTypes, {
  '/PodTemplate': kindType({ template: podTemplateSpec }),
  'apps/DaemonSet': kindType({
    spec: struct({ selector: labelSelector, template: podTemplateSpec }),
    status: conditionsStatus,
  }),
  'batch/Job': kindType({
    spec: jobSpec,
    status: struct({
      conditions: mapList(['type'], struct()),
      uncountedTerminatedPods: struct({
        succeeded: setList({ merge: false }),
        failed: setList({ merge: false }),
      }),
    }),
  }),
  'batch/CronJob': kindType({
    spec: struct({ jobTemplate: struct({ metadata: objectMeta, spec: jobSpec }) }),
    status: struct({ active: atomicList(atomicRef) }),
  }),
});

/** A kind nothing is known about: metadata merges as ObjectMeta, the rest is deduced. */
const unknownKind = kindType({});

/** The merge type of a kind; kinds not listed get ObjectMeta and deduced fields. */
export function typeOfKind(group: string, kind: string): StructType {
  return kindTypes[`${group}/${kind}`] ?? unknownKind;
}

/**
 * What Go's zero value of a kind serializes to (value-typed structs and fields without
 * omitempty are present, possibly null). Ownership computed on create starts from this object,
 * as upstream's field manager starts from `New()`: a node present here is not recorded as
 * added itself, only its new leaves are — which is why a real cluster shows `f:spec` without
 * `.` but `f:labels` with it.
 */
const zeroObjects: Record<string, JsonObject> = {
  '/Pod': { spec: { containers: null }, status: {} },
  '/Node': {
    spec: {},
    status: { daemonEndpoints: { kubeletEndpoint: {} }, nodeInfo: {} },
  },
  '/Namespace': { spec: {}, status: {} },
  '/Event': { involvedObject: {}, source: {} },
  '/Service': { spec: {}, status: { loadBalancer: {} } },
  '/ReplicationController': { spec: {}, status: {} },
  '/ResourceQuota': { spec: {}, status: {} },
  'apps/ReplicaSet': {
    spec: { selector: null, template: { metadata: {}, spec: { containers: null } } },
    status: {},
  },
  'apps/Deployment': {
    spec: {
      selector: null,
      template: { metadata: {}, spec: { containers: null } },
      strategy: {},
    },
    status: {},
  },
  'discovery.k8s.io/EndpointSlice': { endpoints: null, ports: null },
  'coordination.k8s.io/Lease': { spec: {} },
};

/** A fresh copy of the kind's zero value, with its type meta and an empty metadata. */
export function zeroObjectOf(group: string, version: string, kind: string): JsonObject {
  const body = zeroObjects[`${group}/${kind}`] ?? {};
  return {
    apiVersion: group ? `${group}/${version}` : version,
    kind,
    metadata: {},
    ...structuredClone(body),
  };
}
