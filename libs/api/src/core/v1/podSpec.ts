/**
 * core/v1 PodSpec and PodTemplateSpec: schemas in Go field order, SetDefaults_PodSpec (and the
 * nested container/volume defaults), ValidatePodSpec and ValidatePodTemplateSpec with
 * upstream's messages. Pods and every workload template share these.
 *
 *   defaultPodTemplateSpec(deploy.spec.template);
 *   errs.push(...validatePodTemplateSpec(deploy.spec.template, path('spec', 'template')));
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import {
  duplicate,
  forbiddenField,
  invalidValue,
  notSupported,
  required,
} from '../../meta/fieldErrors';
import { isQualifiedName } from '../../meta/names';
import {
  nameIsDNSSubdomain,
  ObjectMeta,
  StringMap,
  validateAnnotations,
  validateLabels,
} from '../../meta/objectMeta';
import {
  Affinity,
  Toleration,
  TopologySpreadConstraint,
  validateAffinity,
  validateTolerations,
  validateTopologySpreadConstraints,
} from './affinity';
import type { ContainerContext } from './container';
import {
  AppArmorProfile,
  checkHostPortConflicts,
  Container,
  defaultContainer,
  inclusiveRangeError,
  SeccompProfile,
  SELinuxOptions,
  validateContainerCommon,
  validateDNS1123Label,
  validateID,
  validateProbesAndLifecycle,
  validateSeccompProfile,
  WindowsSecurityContextOptions,
} from './container';
import { goStringSliceText, goLiteral } from './goSyntax';
import { validateIP } from './ip';
import { ResourceList } from './resourceQuota';
import { defaultVolume, validateVolumes, Volume } from './volume';

const int = () => z.number().int();

export const Sysctl = z.object({ name: z.string(), value: z.string() }).strict();

export const PodSecurityContext = z
  .object({
    seLinuxOptions: SELinuxOptions.optional(),
    windowsOptions: WindowsSecurityContextOptions.optional(),
    runAsUser: int().optional(),
    runAsGroup: int().optional(),
    runAsNonRoot: z.boolean().optional(),
    supplementalGroups: z.array(int()).optional(),
    supplementalGroupsPolicy: z.string().optional(),
    fsGroup: int().optional(),
    sysctls: z.array(Sysctl).optional(),
    fsGroupChangePolicy: z.string().optional(),
    seccompProfile: SeccompProfile.optional(),
    appArmorProfile: AppArmorProfile.optional(),
    seLinuxChangePolicy: z.string().optional(),
  })
  .strict();
export type PodSecurityContext = z.infer<typeof PodSecurityContext>;

export const HostAlias = z
  .object({ ip: z.string().optional(), hostnames: z.array(z.string()).optional() })
  .strict();

export const PodDNSConfig = z
  .object({
    nameservers: z.array(z.string()).optional(),
    searches: z.array(z.string()).optional(),
    options: z
      .array(z.object({ name: z.string().optional(), value: z.string().optional() }).strict())
      .optional(),
  })
  .strict();
export type PodDNSConfig = z.infer<typeof PodDNSConfig>;

export const PodReadinessGate = z.object({ conditionType: z.string() }).strict();

export const PodSpec = z
  .object({
    volumes: z.array(Volume).optional(),
    initContainers: z.array(Container).optional(),
    containers: z.array(Container),
    /** Always | OnFailure | Never; defaulted to Always. */
    restartPolicy: z.string().optional(),
    terminationGracePeriodSeconds: int().optional(),
    activeDeadlineSeconds: int().optional(),
    /** ClusterFirst | ClusterFirstWithHostNet | Default | None; defaulted to ClusterFirst. */
    dnsPolicy: z.string().optional(),
    nodeSelector: StringMap.optional(),
    serviceAccountName: z.string().optional(),
    /** Deprecated alias of serviceAccountName, kept in step with it. */
    serviceAccount: z.string().optional(),
    automountServiceAccountToken: z.boolean().optional(),
    nodeName: z.string().optional(),
    hostNetwork: z.boolean().optional(),
    hostPID: z.boolean().optional(),
    hostIPC: z.boolean().optional(),
    shareProcessNamespace: z.boolean().optional(),
    securityContext: PodSecurityContext.optional(),
    imagePullSecrets: z.array(z.object({ name: z.string().optional() }).strict()).optional(),
    hostname: z.string().optional(),
    subdomain: z.string().optional(),
    affinity: Affinity.optional(),
    schedulerName: z.string().optional(),
    tolerations: z.array(Toleration).optional(),
    hostAliases: z.array(HostAlias).optional(),
    priorityClassName: z.string().optional(),
    priority: int().optional(),
    dnsConfig: PodDNSConfig.optional(),
    readinessGates: z.array(PodReadinessGate).optional(),
    runtimeClassName: z.string().optional(),
    enableServiceLinks: z.boolean().optional(),
    /** PreemptLowerPriority | Never */
    preemptionPolicy: z.string().optional(),
    overhead: ResourceList.optional(),
    topologySpreadConstraints: z.array(TopologySpreadConstraint).optional(),
    setHostnameAsFQDN: z.boolean().optional(),
    os: z.object({ name: z.string().optional() }).strict().optional(),
    hostUsers: z.boolean().optional(),
    schedulingGates: z.array(z.object({ name: z.string().optional() }).strict()).optional(),
  })
  .strict();
export type PodSpec = z.infer<typeof PodSpec>;

export const PodTemplateSpec = z
  .object({
    metadata: ObjectMeta.default({}),
    spec: PodSpec.default({} as z.input<typeof PodSpec>),
  })
  .strict();
export type PodTemplateSpec = z.infer<typeof PodTemplateSpec>;

export const DefaultTerminationGracePeriodSeconds = 30;
export const DefaultSchedulerName = 'default-scheduler';

/**
 * SetDefaults_PodSpec and the nested defaults (volumes, containers, probes...). Shared by Pods
 * and templates; what only Pods get is in defaultPod.
 */
export function defaultPodSpec(spec: PodSpec): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!spec.securityContext) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined)
    spec.terminationGracePeriodSeconds = DefaultTerminationGracePeriodSeconds;
  if (!spec.schedulerName) spec.schedulerName = DefaultSchedulerName;
  // v1 conversion: the deprecated serviceAccount fills in serviceAccountName, and is written
  // back as a copy of it.
  if (!spec.serviceAccountName && spec.serviceAccount)
    spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const v of spec.volumes ?? []) defaultVolume(v);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers) defaultContainer(c);
}

/** Defaults of a workload's pod template (its metadata has none). */
export function defaultPodTemplateSpec(tmpl: PodTemplateSpec): void {
  defaultPodSpec(tmpl.spec);
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const preemptionPolicies = ['PreemptLowerPriority', 'Never'];

/** validateContainers: at least one, names unique, probes and hooks checked. */
function validateContainers(
  containers: readonly Container[],
  ctx: ContainerContext,
  p: FieldPath,
): FieldError[] {
  if (containers.length === 0) return [required(p)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const ip = p.index(i);
    errs.push(...validateContainerCommon(c, ctx, ip));
    if (names.has(c.name)) errs.push(duplicate(ip.child('name'), c.name));
    else names.add(c.name);
    errs.push(...validateProbesAndLifecycle(c, ctx.gracePeriod, ip));
    if (c.restartPolicy !== undefined)
      errs.push(
        forbiddenField(ip.child('restartPolicy'), 'may not be set for non-init containers'),
      );
  });
  // Regular containers run together, so their host ports may not collide.
  errs.push(...checkHostPortConflicts(containers, p));
  return errs;
}

const notForInit = 'may not be set for init containers without restartPolicy=Always';

/** validateInitContainers: names unique across init and regular containers. */
function validateInitContainers(
  inits: readonly Container[],
  regular: readonly Container[],
  ctx: ContainerContext,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(regular.map((c) => c.name));
  inits.forEach((c, i) => {
    const ip = p.index(i);
    errs.push(...validateContainerCommon(c, ctx, ip));
    let sidecar = false;
    if (c.restartPolicy !== undefined) {
      if (c.restartPolicy === 'Always') sidecar = true;
      else errs.push(notSupported(ip.child('restartPolicy'), c.restartPolicy, ['Always']));
    }
    if (names.has(c.name)) errs.push(duplicate(ip.child('name'), c.name));
    else if (c.name) names.add(c.name);
    // Init containers run one by one, so only ports within one of them can collide.
    errs.push(...checkHostPortConflicts([c], p));
    if (sidecar) errs.push(...validateProbesAndLifecycle(c, ctx.gracePeriod, ip));
    else
      for (const key of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const)
        if (c[key]) errs.push(forbiddenField(ip.child(key), notForInit));
    if (c.resizePolicy?.length)
      errs.push(
        invalidValue(
          ip.child('resizePolicy'),
          c.resizePolicy,
          'must not be set for init containers',
        ),
      );
  });
  return errs;
}

const sysctlFmt = '([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const sysctlRe = new RegExp(`^${sysctlFmt}$`);
const fsGroupChangePolicies = ['Always', 'OnRootMismatch'];
const supplementalGroupsPolicies = ['Merge', 'Strict'];

/** validatePodSpecSecurityContext: ids, sysctls, policies, and the host namespaces beside it. */
function validatePodSecurityContext(spec: PodSpec, specPath: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const sc = spec.securityContext;
  const p = specPath.child('securityContext');
  if (sc) {
    errs.push(...validateID(sc.fsGroup, p.child('fsGroup')));
    errs.push(...validateID(sc.runAsUser, p.child('runAsUser')));
    errs.push(...validateID(sc.runAsGroup, p.child('runAsGroup')));
    (sc.supplementalGroups ?? []).forEach((g, i) =>
      errs.push(...validateID(g, p.child('supplementalGroups').index(i))),
    );
    const seen = new Set<string>();
    (sc.sysctls ?? []).forEach((s, i) => {
      const np = p.child('sysctls').index(i).child('name');
      if (!s.name) errs.push(required(np));
      else if (s.name.length > 253 || !sysctlRe.test(s.name))
        errs.push(
          invalidValue(
            np,
            s.name,
            `must have at most 253 characters and match regex ^${sysctlFmt}$`,
          ),
        );
      else if (seen.has(s.name)) errs.push(duplicate(np, s.name));
      seen.add(s.name);
    });
    if (
      sc.fsGroupChangePolicy !== undefined &&
      !fsGroupChangePolicies.includes(sc.fsGroupChangePolicy)
    )
      errs.push(
        notSupported(p.child('fsGroupChangePolicy'), sc.fsGroupChangePolicy, fsGroupChangePolicies),
      );
    if (
      sc.supplementalGroupsPolicy !== undefined &&
      !supplementalGroupsPolicies.includes(sc.supplementalGroupsPolicy)
    )
      errs.push(
        notSupported(
          p.child('supplementalGroupsPolicy'),
          sc.supplementalGroupsPolicy,
          supplementalGroupsPolicies,
        ),
      );
    errs.push(...validateSeccompProfile(sc.seccompProfile, p.child('seccompProfile')));
  }
  if (spec.shareProcessNamespace && spec.hostPID)
    errs.push(
      invalidValue(
        specPath.child('shareProcessNamespace'),
        true,
        'ShareProcessNamespace and HostPID cannot both be enabled',
      ),
    );
  // validateHostNetwork: with the host's network a container port is a host port.
  if (spec.hostNetwork)
    spec.containers.forEach((c, i) =>
      (c.ports ?? []).forEach((port, j) => {
        if (port.hostPort && port.hostPort !== port.containerPort)
          errs.push(
            invalidValue(
              specPath.child('containers').index(i).child('ports').index(j).child('hostPort'),
              port.hostPort,
              'must match `containerPort` when `hostNetwork` is true',
            ),
          );
      }),
    );
  return errs;
}

function validateDNSConfig(spec: PodSpec, p: FieldPath): FieldError[] {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [required(p, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!cfg.nameservers?.length)
      return [
        required(
          p.child('nameservers'),
          'must provide at least one DNS nameserver when `dnsPolicy` is None',
        ),
      ];
  }
  if (!cfg) return [];
  const errs: FieldError[] = [];
  const ns = cfg.nameservers ?? [];
  if (ns.length > 3)
    errs.push(
      invalidValue(
        p.child('nameservers'),
        goLiteral(goStringSliceText(ns)),
        'must not have more than 3 nameservers',
      ),
    );
  ns.forEach((n, i) => errs.push(...validateIP(p.child('nameservers').index(i), n)));
  const searches = cfg.searches ?? [];
  if (searches.length > 32)
    errs.push(
      invalidValue(
        p.child('searches'),
        goLiteral(goStringSliceText(searches)),
        'must not have more than 32 search paths',
      ),
    );
  searches.forEach((s, i) => {
    // A trailing dot (an absolute name) is allowed.
    const name = s.endsWith('.') ? s.slice(0, -1) : s;
    for (const m of nameIsDNSSubdomain(name, false))
      errs.push(invalidValue(p.child('searches').index(i), name, m));
  });
  (cfg.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(required(p.child('options').index(i), 'Option.Name must not be empty'));
  });
  return errs;
}

function validateNamed(value: string | undefined, p: FieldPath): FieldError[] {
  if (!value) return [];
  return nameIsDNSSubdomain(value, false).map((m) => invalidValue(p, value, m));
}

/**
 * ValidatePodSpec: everything about a pod's spec that does not depend on an older version of it.
 * Pods and templates alike.
 */
export function validatePodSpec(spec: PodSpec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const { volumes, errs: volErrs } = validateVolumes(spec.volumes ?? [], p.child('volumes'));
  errs.push(...volErrs);
  const ctx: ContainerContext = { volumes, gracePeriod: spec.terminationGracePeriodSeconds ?? 0 };
  errs.push(...validateContainers(spec.containers, ctx, p.child('containers')));
  errs.push(
    ...validateInitContainers(
      spec.initContainers ?? [],
      spec.containers,
      ctx,
      p.child('initContainers'),
    ),
  );
  const rp = spec.restartPolicy ?? '';
  if (!rp) errs.push(required(p.child('restartPolicy')));
  else if (!restartPolicies.includes(rp))
    errs.push(notSupported(p.child('restartPolicy'), rp, restartPolicies));
  const dp = spec.dnsPolicy ?? '';
  if (!dp) errs.push(required(p.child('dnsPolicy')));
  else if (!dnsPolicies.includes(dp))
    errs.push(notSupported(p.child('dnsPolicy'), dp, dnsPolicies));
  errs.push(...validateLabels(spec.nodeSelector, p.child('nodeSelector')));
  errs.push(...validatePodSecurityContext(spec, p));
  errs.push(...validateAffinity(spec.affinity, p.child('affinity')));
  errs.push(...validateDNSConfig(spec, p.child('dnsConfig')));
  (spec.readinessGates ?? []).forEach((g, i) => {
    const gp = p.child('readinessGates').index(i).child('conditionType');
    for (const m of isQualifiedName(g.conditionType))
      errs.push(invalidValue(gp, g.conditionType, m));
  });
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    const name = g.name ?? '';
    for (const m of isQualifiedName(name))
      errs.push(invalidValue(p.child('schedulingGates').index(i), name, m));
    if (gates.has(name)) errs.push(duplicate(p.child('schedulingGates').index(i), name));
    gates.add(name);
  });
  errs.push(
    ...validateTopologySpreadConstraints(
      spec.topologySpreadConstraints ?? [],
      p.child('topologySpreadConstraints'),
    ),
  );
  errs.push(...validateNamed(spec.serviceAccountName, p.child('serviceAccountName')));
  errs.push(...validateNamed(spec.nodeName, p.child('nodeName')));
  if (spec.activeDeadlineSeconds !== undefined) {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > 2147483647)
      errs.push(
        invalidValue(p.child('activeDeadlineSeconds'), v, inclusiveRangeError(1, 2147483647)),
      );
  }
  if (spec.hostname) errs.push(...validateDNS1123Label(spec.hostname, p.child('hostname')));
  if (spec.subdomain) errs.push(...validateDNS1123Label(spec.subdomain, p.child('subdomain')));
  if (spec.tolerations?.length)
    errs.push(...validateTolerations(spec.tolerations, p.child('tolerations')));
  (spec.hostAliases ?? []).forEach((a, i) => {
    const ap = p.child('hostAliases').index(i);
    errs.push(...validateIP(ap.child('ip'), a.ip ?? ''));
    (a.hostnames ?? []).forEach((h, j) => {
      for (const m of nameIsDNSSubdomain(h, false))
        errs.push(invalidValue(ap.child('hostnames').index(j), h, m));
    });
  });
  errs.push(...validateNamed(spec.priorityClassName, p.child('priorityClassName')));
  if (spec.preemptionPolicy !== undefined) {
    const pp = p.child('preemptionPolicy');
    if (!spec.preemptionPolicy) errs.push(required(pp));
    else if (!preemptionPolicies.includes(spec.preemptionPolicy))
      errs.push(notSupported(pp, spec.preemptionPolicy, preemptionPolicies));
  }
  if (spec.os) {
    const op = p.child('os', 'name');
    if (!spec.os.name) errs.push(required(op));
    else if (!['linux', 'windows'].includes(spec.os.name))
      errs.push(notSupported(op, spec.os.name, ['linux', 'windows']));
  }
  return errs;
}

/**
 * ValidatePodTemplateSpec: the template's labels and annotations (reported under
 * `<path>.labels`, as upstream does) and its pod spec.
 */
export function validatePodTemplateSpec(tmpl: PodTemplateSpec, p: FieldPath): FieldError[] {
  return [
    ...validateLabels(tmpl.metadata.labels, p.child('labels')),
    ...validateAnnotations(tmpl.metadata.annotations, p.child('annotations')),
    ...validatePodSpec(tmpl.spec, p.child('spec')),
  ];
}
