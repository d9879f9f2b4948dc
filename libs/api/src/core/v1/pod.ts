/**
 * core/v1 Pod: the schema, SetDefaults_Pod, the pod strategy (pkg/registry/core/pod: status is
 * reset on create with the QoS class computed, kept on update) and ValidatePod /
 * ValidatePodUpdate with upstream's messages. The pieces (containers, volumes, affinity, status)
 * live beside this file and are re-exported here.
 *
 *   const { object } = decode(podKind, body);
 *   applyDefaults(podKind, object);
 *   podKind.prepareForCreate?.(object);
 *   validateCreate(podKind, object);
 */
import { semanticEqual } from '../../meta/equality';
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { forbiddenField, invalidValue, path, required } from '../../meta/fieldErrors';
import { ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { validateTolerations } from './affinity';
import type { Toleration } from './affinity';
import { defaultRequestsFromLimits, inclusiveRangeError } from './container';
import type { Container } from './container';
import { defaultPodSpec, PodSpec, validatePodSpec } from './podSpec';
import { defaultPodStatus, PodStatus } from './podStatus';
import { computePodQOS } from './qos';

export {
  PodSecurityContext,
  PodDNSConfig,
  PodSpec,
  PodTemplateSpec,
  DefaultSchedulerName,
  DefaultTerminationGracePeriodSeconds,
  defaultPodSpec,
  defaultPodTemplateSpec,
  validatePodSpec,
  validatePodTemplateSpec,
} from './podSpec';
export {
  Container,
  ContainerPort,
  EnvFromSource,
  EnvVar,
  EnvVarSource,
  ExecAction,
  GRPCAction,
  HTTPGetAction,
  Lifecycle,
  LifecycleHandler,
  ObjectFieldSelector,
  Probe,
  ResourceFieldSelector,
  ResourceRequirements,
  SecurityContext,
  TCPSocketAction,
  TerminationMessagePathDefault,
  VolumeMount,
  defaultContainer,
  defaultPullPolicy,
  imageTag,
} from './container';
export {
  DefaultVolumeMode,
  DownwardAPIVolumeFile,
  KeyToPath,
  Volume,
  VolumeProjection,
  defaultVolume,
} from './volume';
export {
  Affinity,
  NodeAffinity,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodAffinity,
  PodAffinityTerm,
  PreferredSchedulingTerm,
  Toleration,
  TopologySpreadConstraint,
  WeightedPodAffinityTerm,
  validateTolerations,
} from './affinity';
export {
  ContainerState,
  ContainerStatus,
  PodCondition,
  PodIP,
  PodPhases,
  PodQOSClasses,
  PodStatus,
} from './podStatus';
export type { PodPhase, PodQOSClass } from './podStatus';
export { computePodQOS } from './qos';

export const Pod = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: PodSpec.default({} as z.input<typeof PodSpec>),
    status: PodStatus.default({}),
  })
  .strict();
export type Pod = z.infer<typeof Pod>;

/** DefaultEnableServiceLinks. */
export const DefaultEnableServiceLinks = true;

/** SetDefaults_Pod on top of the pod spec's defaults; what templates do not get. */
export function defaultPod(pod: Pod): void {
  const spec = pod.spec;
  defaultPodSpec(spec);
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])])
    defaultRequestsFromLimits(c);
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = DefaultEnableServiceLinks;
  // With the host's network every container port is also a host port.
  if (spec.hostNetwork)
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])])
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
  // Negative grace periods are treated as 1s since 1.27 (kubernetes#115606).
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0)
    spec.terminationGracePeriodSeconds = 1;
  defaultPodStatus(pod.status);
}

/** ValidatePodCreate's spec rules (ObjectMeta is validated generically). */
export function validatePod(pod: Pod): FieldError[] {
  const errs = validatePodSpec(pod.spec, path('spec'));
  if (pod.spec.nodeName && pod.spec.schedulingGates?.length)
    errs.push(
      forbiddenField(
        path('spec', 'nodeName'),
        'cannot be set until all schedulingGates have been cleared',
      ),
    );
  return errs;
}

/** The fields ValidatePodUpdate lets change, as its Forbidden message lists them. */
export const podUpdatableFieldsText = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

const maxInt32 = 2147483647;

/**
 * The field-by-field difference appended to the Forbidden message. Upstream appends
 * cmp.Diff(old, new) (whose layout is deliberately unstable); this lists the top-level fields
 * that differ in the same -/+ style.
 */
function specDiff(old: PodSpec, munged: PodSpec): string {
  const lines = ['  core.PodSpec{'];
  const o = old as Record<string, unknown>;
  const n = munged as Record<string, unknown>;
  for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (semanticEqual(o[k], n[k])) continue;
    const goName = k.charAt(0).toUpperCase() + k.slice(1);
    lines.push(`- \t${goName}: ${JSON.stringify(o[k] ?? null)},`);
    lines.push(`+ \t${goName}: ${JSON.stringify(n[k] ?? null)},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/** ValidatePodUpdate's own rules (the new pod's spec is validated as on create as well). */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const specPath = path('spec');
  // ValidateContainerUpdates: same containers, only images may change.
  for (const key of ['containers', 'initContainers'] as const) {
    const now: Container[] = pod.spec[key] ?? [];
    const before: Container[] = old.spec[key] ?? [];
    const kp = specPath.child(key);
    if (now.length !== before.length) {
      errs.push(forbiddenField(kp, 'pod updates may not add or remove containers'));
      return errs;
    }
    now.forEach((c, i) => {
      if (!c.image) errs.push(required(kp.index(i).child('image')));
      if (c.image.trim() !== c.image)
        errs.push(
          invalidValue(
            kp.index(i).child('image'),
            c.image,
            'must not have leading or trailing whitespace',
          ),
        );
    });
  }
  // activeDeadlineSeconds may be set, or lowered, never raised or removed.
  const adsPath = specPath.child('activeDeadlineSeconds');
  const ads = pod.spec.activeDeadlineSeconds;
  const oldAds = old.spec.activeDeadlineSeconds;
  if (ads !== undefined) {
    if (ads < 0 || ads > maxInt32) {
      errs.push(invalidValue(adsPath, ads, inclusiveRangeError(0, maxInt32)));
      return errs;
    }
    if (oldAds !== undefined && oldAds < ads) {
      errs.push(invalidValue(adsPath, ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldAds !== undefined) {
    errs.push(
      invalidValue(adsPath, undefined, 'must not update from a positive integer to nil value'),
    );
  }
  // validateOnlyAddedTolerations: existing tolerations stay (their tolerationSeconds may change).
  const tp = specPath.child('tolerations');
  const tolerations = pod.spec.tolerations ?? [];
  if ((old.spec.tolerations ?? []).some((t) => !tolerations.some((n) => sameToleration(t, n))))
    errs.push(
      forbiddenField(tp, 'existing toleration can not be modified except its tolerationSeconds'),
    );
  else errs.push(...validateTolerations(tolerations, tp));
  // validateOnlyDeletedSchedulingGates.
  const oldGates = new Set((old.spec.schedulingGates ?? []).map((g) => g.name ?? ''));
  (pod.spec.schedulingGates ?? []).forEach((g, i) => {
    const name = g.name ?? '';
    if (!oldGates.has(name))
      errs.push(
        forbiddenField(
          specPath.child('schedulingGates').index(i).child('name'),
          `only deletion is allowed, but found new scheduling gate '${name}'`,
        ),
      );
  });
  if (semanticEqual(pod.spec, old.spec)) return errs;

  const oldQOS = old.status.qosClass || computePodQOS(old.spec);
  if (oldQOS !== computePodQOS(pod.spec))
    errs.push(invalidValue(path('metadata'), pod.status.qosClass ?? '', 'Pod QoS is immutable'));

  // Put back what may change, then whatever still differs may not.
  const munged = structuredClone(pod.spec);
  munged.containers.forEach((c, i) => (c.image = old.spec.containers[i]?.image ?? c.image));
  (munged.initContainers ?? []).forEach(
    (c, i) => (c.image = old.spec.initContainers?.[i]?.image ?? c.image),
  );
  munged.activeDeadlineSeconds = old.spec.activeDeadlineSeconds;
  munged.schedulingGates = old.spec.schedulingGates;
  munged.tolerations = old.spec.tolerations;
  const oldGrace = old.spec.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldGrace;
  if (!semanticEqual(munged, old.spec))
    errs.push(
      forbiddenField(
        specPath,
        `pod updates may not change fields other than ${podUpdatableFieldsText}\n${specDiff(old.spec, munged)}`,
      ),
    );
  return errs;
}

/**
 * podStrategy.PrepareForCreate: the status starts over as Pending with the QoS class.
 * spec.priority and spec.preemptionPolicy are the Priority admission plugin's (the api-server's
 * registry/admission/priority.ts, after libs/api scheduling/v1 admitPodPriority).
 */
export function preparePodForCreate(pod: Pod): void {
  pod.status = { phase: 'Pending', qosClass: computePodQOS(pod.spec) };
}

/**
 * podStrategy.PrepareForUpdate: the status is the kubelet's (pods/status), so an update keeps
 * the stored one; the priority admission set on create is carried over when the client left it out.
 */
export function preparePodForUpdate(pod: Pod, old: Pod): void {
  pod.status = structuredClone(old.status);
  if (pod.spec.priority === undefined && old.spec.priority !== undefined)
    pod.spec.priority = old.spec.priority;
  if (pod.spec.preemptionPolicy === undefined && old.spec.preemptionPolicy !== undefined)
    pod.spec.preemptionPolicy = old.spec.preemptionPolicy;
}

/** pod.ToSelectableFields beyond metadata: what `--field-selector` may name for pods. */
export function podFieldLabels(pod: Pod): Record<string, string> {
  // Called with a bare `{ metadata: {} }` to learn the supported names (scheme.ts), so no field is assumed.
  const spec: Partial<Pod['spec']> = pod.spec ?? {};
  const status: Partial<Pod['status']> = pod.status ?? {};
  return {
    'spec.nodeName': spec.nodeName ?? '',
    'spec.restartPolicy': spec.restartPolicy ?? '',
    'spec.schedulerName': spec.schedulerName ?? '',
    'spec.serviceAccountName': spec.serviceAccountName ?? '',
    'spec.hostNetwork': String(spec.hostNetwork ?? false),
    'status.phase': status.phase ?? '',
    'status.podIP': status.podIPs?.[0]?.ip ?? status.podIP ?? '',
    'status.nominatedNodeName': status.nominatedNodeName ?? '',
  };
}

export const podKind: KindInfo<Pod> = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  schema: Pod,
  defaults: defaultPod,
  validate: validatePod,
  validateUpdate: validatePodUpdate,
  fieldLabels: podFieldLabels,
  subresources: ['status', 'binding', 'log', 'exec', 'attach', 'portforward', 'proxy', 'eviction'],
  tracksGeneration: false,
  prepareForCreate: preparePodForCreate,
  prepareForUpdate: preparePodForUpdate,
};
