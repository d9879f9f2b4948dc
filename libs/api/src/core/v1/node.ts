/**
 * core/v1 Node: schema, SetDefaults_NodeStatus, the node strategy (pkg/registry/core/node) and
 * ValidateNode / ValidateNodeUpdate with upstream's messages.
 *
 * Unlike most kinds, a Node keeps the status it is created with: the kubelet registers its node
 * with capacity, addresses and nodeInfo in one POST. A plain update keeps the stored status;
 * status changes go through nodes/{name}/status, which the kubelet uses for heartbeats.
 */
import { z } from 'zod';
import { statusCondition } from './condition';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import {
  duplicate,
  forbiddenField,
  invalidValue,
  notSupported,
  path,
  required,
} from '../../meta/fieldErrors';
import { isQualifiedName, isValidLabelValue } from '../../meta/names';
import { ObjectMeta, validateObjectMetaUpdate } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { goLiteral, goQuote, goStringSliceText } from './goSyntax';
import { isDualStackCIDRs, validateCIDR } from './ip';
import { ResourceList, validateResourceQuantityValue } from './resourceQuota';

export const TaintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TaintEffects)[number];

export const Taint = z
  .object({
    key: z.string(),
    value: z.string().optional(),
    /** NoSchedule | PreferNoSchedule | NoExecute, checked by validation (as upstream). */
    effect: z.string(),
    /** metav1.Time; only meaningful for NoExecute. */
    timeAdded: z.string().optional(),
  })
  .strict();
export type Taint = z.infer<typeof Taint>;

export const NodeSpec = z
  .object({
    podCIDR: z.string().optional(),
    podCIDRs: z.array(z.string()).optional(),
    providerID: z.string().optional(),
    unschedulable: z.boolean().optional(),
    taints: z.array(Taint).optional(),
    /** Deprecated dynamic kubelet config; dropped on create, as upstream. */
    configSource: z.record(z.unknown()).optional(),
    /** Deprecated; kept only so old clients decode. */
    externalID: z.string().optional(),
  })
  .strict();
export type NodeSpec = z.infer<typeof NodeSpec>;

export const NodeConditionTypes = [
  'Ready',
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
] as const;

export const NodeCondition = statusCondition('lastHeartbeatTime');
export type NodeCondition = z.infer<typeof NodeCondition>;

export const NodeAddressTypes = [
  'Hostname',
  'InternalIP',
  'ExternalIP',
  'InternalDNS',
  'ExternalDNS',
] as const;

export const NodeAddress = z
  .object({
    /** Hostname | InternalIP | ExternalIP | InternalDNS | ExternalDNS */
    type: z.string(),
    address: z.string(),
  })
  .strict();
export type NodeAddress = z.infer<typeof NodeAddress>;

export const NodeDaemonEndpoints = z
  .object({
    kubeletEndpoint: z
      .object({
        // The capital P is the real JSON name (DaemonEndpoint.Port has no lower-case tag).
        Port: z.number().int(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type NodeDaemonEndpoints = z.infer<typeof NodeDaemonEndpoints>;

export const NodeSystemInfo = z
  .object({
    machineID: z.string().optional(),
    systemUUID: z.string().optional(),
    bootID: z.string().optional(),
    kernelVersion: z.string().optional(),
    osImage: z.string().optional(),
    containerRuntimeVersion: z.string().optional(),
    kubeletVersion: z.string().optional(),
    kubeProxyVersion: z.string().optional(),
    operatingSystem: z.string().optional(),
    architecture: z.string().optional(),
    swap: z.object({ capacity: z.number().int().optional() }).strict().optional(),
  })
  .strict();
export type NodeSystemInfo = z.infer<typeof NodeSystemInfo>;

export const ContainerImage = z
  .object({
    names: z.array(z.string()).optional(),
    sizeBytes: z.number().int().optional(),
  })
  .strict();
export type ContainerImage = z.infer<typeof ContainerImage>;

export const AttachedVolume = z.object({ name: z.string(), devicePath: z.string() }).strict();
export type AttachedVolume = z.infer<typeof AttachedVolume>;

export const NodeRuntimeHandler = z
  .object({
    name: z.string().optional(),
    features: z
      .object({
        recursiveReadOnlyMounts: z.boolean().optional(),
        userNamespaces: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type NodeRuntimeHandler = z.infer<typeof NodeRuntimeHandler>;

export const NodeStatus = z
  .object({
    capacity: ResourceList.optional(),
    allocatable: ResourceList.optional(),
    /** Pending | Running | Terminated (deprecated, unused by the kubelet). */
    phase: z.string().optional(),
    conditions: z.array(NodeCondition).optional(),
    addresses: z.array(NodeAddress).optional(),
    daemonEndpoints: NodeDaemonEndpoints.optional(),
    nodeInfo: NodeSystemInfo.optional(),
    images: z.array(ContainerImage).optional(),
    volumesInUse: z.array(z.string()).optional(),
    volumesAttached: z.array(AttachedVolume).optional(),
    /** Deprecated dynamic kubelet config status; dropped on create. */
    config: z.record(z.unknown()).optional(),
    runtimeHandlers: z.array(NodeRuntimeHandler).optional(),
    features: z.object({ supplementalGroupsPolicy: z.boolean().optional() }).strict().optional(),
  })
  .strict();
export type NodeStatus = z.infer<typeof NodeStatus>;

export const Node = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: NodeSpec.default({}),
    status: NodeStatus.default({}),
  })
  .strict();
export type Node = z.infer<typeof Node>;

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
function defaultNode(node: Node): void {
  if (node.status.allocatable === undefined && node.status.capacity !== undefined)
    node.status.allocatable = { ...node.status.capacity };
}

/** validateNodeTaints: key a qualified name, value a label value, known effect, unique key+effect. */
export function validateTaints(taints: readonly Taint[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const tp = p.index(i);
    for (const m of isQualifiedName(t.key)) errs.push(invalidValue(tp.child('key'), t.key, m));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length)
      errs.push(invalidValue(tp.child('value'), t.value ?? '', valueErrs.join(';')));
    if (!t.effect) errs.push(required(tp.child('effect')));
    else if (!(TaintEffects as readonly string[]).includes(t.effect))
      // Upstream lists these in declaration order, not sorted.
      errs.push(notSupported(tp.child('effect'), t.effect, TaintEffects));
    const k = `${t.effect}\u0000${t.key}`;
    if (seen.has(k)) {
      // Go prints the taint with %#v; a set timeAdded is a pointer whose address nobody can match.
      const added = t.timeAdded === undefined ? '(*v1.Time)(nil)' : '(*v1.Time)(0xc000000000)';
      const bad = goLiteral(
        `core.Taint{Key:${goQuote(t.key)}, Value:${goQuote(t.value ?? '')}, Effect:${goQuote(t.effect)}, TimeAdded:${added}}`,
      );
      errs.push({ ...duplicate(tp, bad), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(k);
  });
  return errs;
}

function validateNodeResources(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  // Upstream uses child (status.capacity.cpu), not a key (status.capacity[cpu]), here.
  for (const [k, v] of Object.entries(node.status.capacity ?? {}))
    errs.push(...validateResourceQuantityValue(k, v, path('status', 'capacity', k)));
  for (const [k, v] of Object.entries(node.status.allocatable ?? {}))
    errs.push(...validateResourceQuantityValue(k, v, path('status', 'allocatable', k)));
  return errs;
}

/** ValidateNode. */
function validateNode(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  // `metadata.taints` is really upstream's path for spec.taints errors.
  if (node.spec.taints?.length)
    errs.push(...validateTaints(node.spec.taints, path('metadata', 'taints')));
  errs.push(...validateNodeResources(node));
  const cidrs = node.spec.podCIDRs ?? [];
  if (cidrs.length) {
    const cp = path('spec', 'podCIDRs');
    cidrs.forEach((c, i) => errs.push(...validateCIDR(cp.index(i), c)));
    if (cidrs.length > 1) {
      if (!isDualStackCIDRs(cidrs) || cidrs.length > 2)
        errs.push(
          invalidValue(
            cp,
            goLiteral(goStringSliceText(cidrs)),
            'may specify no more than one CIDR for each IP family',
          ),
        );
      const seen = new Set<string>();
      cidrs.forEach((c, i) => {
        if (seen.has(c)) errs.push(duplicate(cp.index(i), c));
        seen.add(c);
      });
    }
  }
  return errs;
}

const podCIDRChange = 'node updates may not change podCIDR except from "" to valid';

/**
 * The update-only part of ValidateNodeUpdate (ValidateNode runs too, as `validate`): unique
 * addresses, podCIDRs and providerID settable once. Also what nodes/{name}/status checks.
 */
export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (node.status.addresses ?? []).forEach((a, i) => {
    const k = `${a.type}\u0000${a.address}`;
    if (seen.has(k))
      errs.push(
        duplicate(
          path('status', 'addresses').index(i),
          goLiteral(`core.NodeAddress{Type:${goQuote(a.type)}, Address:${goQuote(a.address)}}`),
        ),
      );
    seen.add(k);
  });
  const oldCIDRs = old.spec.podCIDRs ?? [];
  const newCIDRs = node.spec.podCIDRs ?? [];
  if (oldCIDRs.length) {
    if (oldCIDRs.length !== newCIDRs.length)
      errs.push(forbiddenField(path('spec', 'podCIDRs'), podCIDRChange));
    else
      oldCIDRs.forEach((c, i) => {
        if (c !== newCIDRs[i]) errs.push(forbiddenField(path('spec', 'podCIDRs'), podCIDRChange));
      });
  }
  if (old.spec.providerID && old.spec.providerID !== node.spec.providerID)
    errs.push(
      forbiddenField(
        path('spec', 'providerID'),
        'node updates may not change providerID except from "" to valid',
      ),
    );
  if ((node.spec.externalID ?? '') !== (old.spec.externalID ?? ''))
    errs.push(forbiddenField(path('spec', 'externalID'), 'may not be updated'));
  return errs;
}

/** ValidateNodeUpdate as the status subresource runs it (no ValidateNode there upstream). */
export function validateNodeStatusUpdate(node: Node, old: Node): FieldError[] {
  return [
    ...validateObjectMetaUpdate(node.metadata, old.metadata),
    ...validateNodeResources(node),
    ...validateNodeUpdate(node, old),
    ...validateTaints(node.spec.taints ?? [], path('metadata', 'taints')),
  ];
}

export const nodeKind: KindInfo<Node> = {
  group: '',
  version: 'v1',
  kind: 'Node',
  resource: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  categories: [],
  schema: Node,
  defaults: defaultNode,
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
  fieldLabels: (node) => ({ 'spec.unschedulable': String(node.spec?.unschedulable ?? false) }),
  subresources: ['status', 'proxy'],
  tracksGeneration: false,
  // Status is kept on create (kubelet registration); only the deprecated config fields go.
  prepareForCreate: (node) => {
    delete node.spec.configSource;
    delete node.status.config;
  },
  prepareForUpdate: (node, old) => {
    node.status = structuredClone(old.status);
    if (!old.spec.configSource) delete node.spec.configSource;
  },
};
