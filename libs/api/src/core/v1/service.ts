/**
 * core/v1 Service: schema, SetDefaults_Service, the service strategy and the parts of the
 * service REST storage that shape the object before validation (pkg/registry/core/service), and
 * ValidateService / ValidateServiceUpdate with upstream's messages.
 *
 * ClusterIP and NodePort *allocation* is the api-server's job. What lives here is everything
 * around it that does not need the allocator: keeping clusterIP and clusterIPs in sync
 * (NormalizeClusterIPs), keeping allocated values a client did not resend on update
 * (patchAllocatedValues), and clearing fields a type change makes meaningless.
 *
 *   const svc = decode(serviceKind, body).object;
 *   applyDefaults(serviceKind, svc); serviceKind.prepareForCreate?.(svc); validateCreate(serviceKind, svc);
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import {
  duplicate,
  forbiddenField,
  invalidValue,
  notSupported,
  path,
  required,
} from '../../meta/fieldErrors';
import { IntOrString } from '../../meta/intOrString';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
} from '../../meta/names';
import type { NameValidator } from '../../meta/objectMeta';
import { ObjectMeta, StringMap, validateLabels } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { goLiteral, goQuote, goStringSliceText } from './goSyntax';
import { isDualStackIPs, isIPv6String, validateCIDR, validateIP, validateNonSpecialIP } from './ip';

export {
  isDualStackIPs,
  isIPv4String,
  isIPv6String,
  parseCIDR,
  parseIP,
  validateCIDR,
  validateIP,
  validateNonSpecialIP,
} from './ip';

export const ServiceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
export type ServiceType = (typeof ServiceTypes)[number];
export const Protocols = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof Protocols)[number];
export const SessionAffinities = ['ClientIP', 'None'] as const;
export const TrafficPolicies = ['Cluster', 'Local'] as const;
export const IPFamilies = ['IPv4', 'IPv6'] as const;
export const IPFamilyPolicies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'] as const;
export const LoadBalancerIPModes = ['Proxy', 'VIP'] as const;

/** spec.clusterIP of a headless service. */
export const ClusterIPNone = 'None';
/** DefaultClientIPServiceAffinitySeconds (3 hours) and its upper bound (1 day). */
export const DefaultClientIPServiceAffinitySeconds = 10800;
export const MaxClientIPServiceAffinitySeconds = 86400;

export const ServicePort = z
  .object({
    name: z.string().optional(),
    /** TCP | UDP | SCTP; defaults to TCP. */
    protocol: z.string().optional(),
    appProtocol: z.string().optional(),
    // Go's int32 has no omitempty: a missing port decodes as 0 and fails validation as 0.
    port: z.number().int().default(0),
    /** Defaults to `port`. */
    targetPort: IntOrString.optional(),
    nodePort: z.number().int().optional(),
  })
  .strict();
export type ServicePort = z.infer<typeof ServicePort>;

export const SessionAffinityConfig = z
  .object({
    clientIP: z.object({ timeoutSeconds: z.number().int().optional() }).strict().optional(),
  })
  .strict();
export type SessionAffinityConfig = z.infer<typeof SessionAffinityConfig>;

export const ServiceSpec = z
  .object({
    ports: z.array(ServicePort).optional(),
    selector: StringMap.optional(),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    /** ClusterIP | NodePort | LoadBalancer | ExternalName; defaults to ClusterIP. */
    type: z.string().optional(),
    externalIPs: z.array(z.string()).optional(),
    /** None | ClientIP; defaults to None. */
    sessionAffinity: z.string().optional(),
    loadBalancerIP: z.string().optional(),
    loadBalancerSourceRanges: z.array(z.string()).optional(),
    externalName: z.string().optional(),
    /** Cluster | Local; defaults to Cluster for externally reachable services. */
    externalTrafficPolicy: z.string().optional(),
    healthCheckNodePort: z.number().int().optional(),
    publishNotReadyAddresses: z.boolean().optional(),
    sessionAffinityConfig: SessionAffinityConfig.optional(),
    ipFamilies: z.array(z.string()).optional(),
    ipFamilyPolicy: z.string().optional(),
    allocateLoadBalancerNodePorts: z.boolean().optional(),
    loadBalancerClass: z.string().optional(),
    internalTrafficPolicy: z.string().optional(),
    trafficDistribution: z.string().optional(),
  })
  .strict();
export type ServiceSpec = z.infer<typeof ServiceSpec>;

export const PortStatus = z
  .object({
    port: z.number().int(),
    protocol: z.string(),
    error: z.string().optional(),
  })
  .strict();
export type PortStatus = z.infer<typeof PortStatus>;

export const LoadBalancerIngress = z
  .object({
    ip: z.string().optional(),
    hostname: z.string().optional(),
    /** VIP | Proxy; defaults to VIP when `ip` is set. */
    ipMode: z.string().optional(),
    ports: z.array(PortStatus).optional(),
  })
  .strict();
export type LoadBalancerIngress = z.infer<typeof LoadBalancerIngress>;

export const LoadBalancerStatus = z
  .object({
    ingress: z.array(LoadBalancerIngress).optional(),
  })
  .strict();
export type LoadBalancerStatus = z.infer<typeof LoadBalancerStatus>;

/** meta/v1 Condition, as Service status uses it. */
export const MetaCondition = z
  .object({
    type: z.string(),
    status: z.string(),
    observedGeneration: z.number().int().optional(),
    lastTransitionTime: z.string(),
    reason: z.string(),
    message: z.string(),
  })
  .strict();
export type MetaCondition = z.infer<typeof MetaCondition>;

export const ServiceStatus = z
  .object({
    loadBalancer: LoadBalancerStatus.optional(),
    conditions: z.array(MetaCondition).optional(),
  })
  .strict();
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export const Service = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: ServiceSpec.default({}),
    status: ServiceStatus.default({}),
  })
  .strict();
export type Service = z.infer<typeof Service>;

/** ValidateServiceName: Service names are DNS-1035 labels (they become DNS names and env vars). */
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name);

/** service.ExternallyAccessible. */
export function externallyAccessible(svc: Service): boolean {
  const t = svc.spec.type;
  return (
    t === 'LoadBalancer' ||
    t === 'NodePort' ||
    (t === 'ClusterIP' && (svc.spec.externalIPs ?? []).length > 0)
  );
}

/** service.NeedsHealthCheck: only LoadBalancers with externalTrafficPolicy Local. */
export function needsHealthCheck(svc: Service): boolean {
  return svc.spec.type === 'LoadBalancer' && svc.spec.externalTrafficPolicy === 'Local';
}

export function isHeadlessService(svc: Service): boolean {
  const ips = svc.spec.clusterIPs ?? [];
  return ips.length === 1 && ips[0] === ClusterIPNone;
}

/** SetDefaults_Service. */
function defaultService(svc: Service): void {
  const spec = svc.spec;
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (
    spec.sessionAffinity === 'ClientIP' &&
    spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined
  )
    spec.sessionAffinityConfig = {
      clientIP: { timeoutSeconds: DefaultClientIPServiceAffinitySeconds },
    };
  if (!spec.type) spec.type = 'ClusterIP';
  for (const p of spec.ports ?? []) {
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '')
      p.targetPort = p.port;
  }
  if (externallyAccessible(svc) && !spec.externalTrafficPolicy)
    spec.externalTrafficPolicy = 'Cluster';
  if (
    spec.internalTrafficPolicy === undefined &&
    ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)
  )
    spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
    // LoadBalancerIPMode (on by default since 1.30): an ingress IP is a VIP unless told otherwise.
    for (const ing of svc.status.loadBalancer?.ingress ?? [])
      if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
}

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * NormalizeClusterIPs (pkg/api/service/util): guess what a client that only knows one of
 * clusterIP / clusterIPs meant, so the two stay in sync. `old` is undefined on create.
 */
export function normalizeClusterIPs(svc: Service, old?: Service): void {
  const spec = svc.spec;
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  // An old client patched something else and did not send clusterIPs.
  if (
    old.spec.clusterIPs?.length &&
    !spec.clusterIPs?.length &&
    (old.spec.clusterIP ?? '') === (spec.clusterIP ?? '')
  )
    spec.clusterIPs = [...old.spec.clusterIPs];
  if ((old.spec.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    const pluralSame = sameStrings(old.spec.clusterIPs, spec.clusterIPs);
    if (old.spec.clusterIP && !spec.clusterIP) {
      if (pluralSame) delete spec.clusterIPs;
    } else if (pluralSame && spec.clusterIP) {
      spec.clusterIPs = [spec.clusterIP];
    }
  }
}

function needsClusterIP(svc: Service): boolean {
  return svc.spec.type !== 'ExternalName';
}

function needsNodePort(svc: Service): boolean {
  return svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer';
}

/**
 * patchAllocatedValues (service REST beginUpdate): a client that resubmits the YAML it created
 * the service from (no clusterIP, no nodePorts) keeps what the server allocated, rather than
 * being told it may not unset them. Call before allocating anything on update.
 */
export function patchAllocatedValues(svc: Service, old: Service): void {
  const spec = svc.spec;
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP && old.spec.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if (!spec.clusterIPs?.length && old.spec.clusterIPs?.length)
      spec.clusterIPs = [...old.spec.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const usedBy = (s: Service): Set<number> =>
      new Set((s.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
    const newUsed = usedBy(svc);
    const used = new Set([...usedBy(old)].filter((n) => newUsed.has(n)));
    const byName = new Map<string, number>();
    for (const p of old.spec.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0);
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const prev = byName.get(p.name ?? '') ?? 0;
      if (prev && !used.has(prev)) p.nodePort = prev;
    }
  }
  if (
    needsHealthCheck(old) &&
    needsHealthCheck(svc) &&
    !spec.healthCheckNodePort &&
    old.spec.healthCheckNodePort
  )
    spec.healthCheckNodePort = old.spec.healthCheckNodePort;
}

/**
 * dropTypeDependentFields (service strategy): when `type` changes, clear what the new type
 * cannot use, but only where the client left the old value untouched (a changed value is the
 * client's intent and goes to validation).
 */
function dropTypeDependentFields(svc: Service, old: Service): void {
  const spec = svc.spec;
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (
      (old.spec.clusterIP ?? '') === (spec.clusterIP ?? '') &&
      sameStrings(old.spec.clusterIPs, spec.clusterIPs)
    ) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameStrings(old.spec.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if ((old.spec.ipFamilyPolicy ?? '') === (spec.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc)) {
    const oldPorts = new Set((old.spec.ports ?? []).map((p) => p.nodePort ?? 0));
    const noNewNodePorts = (spec.ports ?? []).every((p) => !p.nodePort || oldPorts.has(p.nodePort));
    if (noNewNodePorts) for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (
    needsHealthCheck(old) &&
    !needsHealthCheck(svc) &&
    (old.spec.healthCheckNodePort ?? 0) === (spec.healthCheckNodePort ?? 0)
  )
    delete spec.healthCheckNodePort;
  if (old.spec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (
      spec.allocateLoadBalancerNodePorts !== undefined &&
      old.spec.allocateLoadBalancerNodePorts === spec.allocateLoadBalancerNodePorts
    )
      delete spec.allocateLoadBalancerNodePorts;
    if (old.spec.loadBalancerClass === spec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (
    externallyAccessible(old) &&
    !externallyAccessible(svc) &&
    old.spec.externalTrafficPolicy === spec.externalTrafficPolicy
  )
    delete spec.externalTrafficPolicy;
  // LB de-provisioning is asynchronous, but the user need not see a stale ingress.
  if (spec.type !== 'LoadBalancer') svc.status.loadBalancer = {};
}

/** Strategy PrepareForCreate, plus NormalizeClusterIPs(nil, svc) from the REST beginCreate. */
function prepareServiceForCreate(svc: Service): void {
  svc.status = { loadBalancer: {} };
  normalizeClusterIPs(svc);
}

/** REST beginUpdate's patch + normalize, then the strategy's PrepareForUpdate. */
function prepareServiceForUpdate(svc: Service, old: Service): void {
  svc.status = structuredClone(old.status);
  patchAllocatedValues(svc, old);
  normalizeClusterIPs(svc, old);
  dropTypeDependentFields(svc, old);
}

/** `[]string{"10.0.0.1"}` as Go's %#v prints clusterIPs in messages. */
const goStrings = (a: readonly string[] | undefined) => goLiteral(goStringSliceText(a));
const goFamilies = (a: readonly string[] | undefined) =>
  goLiteral(
    a === undefined ? '[]core.IPFamily(nil)' : `[]core.IPFamily{${a.map(goQuote).join(', ')}}`,
  );

function validateServicePort(
  sp: ServicePort,
  requireName: boolean,
  names: Set<string>,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) {
    errs.push(required(p.child('name')));
  } else if (sp.name) {
    for (const m of isDNS1123Label(sp.name)) errs.push(invalidValue(p.child('name'), sp.name, m));
    if (names.has(sp.name)) errs.push(duplicate(p.child('name'), sp.name));
    else names.add(sp.name);
  }
  for (const m of isValidPortNum(sp.port)) errs.push(invalidValue(p.child('port'), sp.port, m));
  if (!sp.protocol) errs.push(required(p.child('protocol')));
  else if (!(Protocols as readonly string[]).includes(sp.protocol))
    errs.push(notSupported(p.child('protocol'), sp.protocol, Protocols));
  errs.push(...validatePortNumOrName(sp.targetPort ?? 0, p.child('targetPort')));
  if (sp.appProtocol !== undefined)
    for (const m of isQualifiedName(sp.appProtocol))
      errs.push(invalidValue(p.child('appProtocol'), sp.appProtocol, m));
  return errs;
}

/** ValidatePortNumOrName: a port number, or an IANA_SVC_NAME. */
export function validatePortNumOrName(port: IntOrString, p: FieldPath): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalidValue(p, port, m));
  return isValidPortName(port).map((m) => invalidValue(p, port, m));
}

function validateClientIPAffinityConfig(
  cfg: SessionAffinityConfig | undefined,
  p: FieldPath,
): FieldError[] {
  const detail = 'when session affinity type is ClientIP';
  if (!cfg) return [required(p, detail)];
  if (!cfg.clientIP) return [required(p.child('clientIP'), detail)];
  const t = cfg.clientIP.timeoutSeconds;
  if (t === undefined) return [required(p.child('clientIP', 'timeoutSeconds'), detail)];
  if (t <= 0 || t > MaxClientIPServiceAffinitySeconds)
    return [
      invalidValue(
        p.child('clientIP', 'timeoutSeconds'),
        t,
        `must be greater than 0 and less than ${MaxClientIPServiceAffinitySeconds}`,
      ),
    ];
  return [];
}

/** ValidateServiceClusterIPsRelatedFields. */
function validateClusterIPsRelatedFields(svc: Service): FieldError[] {
  const spec = svc.spec;
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ipsPath = path('spec', 'clusterIPs');
  const ips = spec.clusterIPs ?? [];
  const bad = goStrings(spec.clusterIPs);
  if (spec.clusterIP) {
    if (!ips.length) errs.push(required(ipsPath));
    else if (ips[0] !== spec.clusterIP)
      errs.push(invalidValue(ipsPath, bad, 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(invalidValue(ipsPath, bad, 'must be empty when `clusterIP` is not specified'));
  }
  const families = spec.ipFamilies ?? [];
  const seen = new Set<string>();
  families.forEach((f, i) => {
    const fp = path('spec', 'ipFamilies').index(i);
    if (!(IPFamilies as readonly string[]).includes(f)) errs.push(notSupported(fp, f, IPFamilies));
    if (seen.has(f)) errs.push(duplicate(fp, f));
    seen.add(f);
  });
  if (
    spec.ipFamilyPolicy !== undefined &&
    !(IPFamilyPolicies as readonly string[]).includes(spec.ipFamilyPolicy)
  )
    errs.push(notSupported(path('spec', 'ipFamilyPolicy'), spec.ipFamilyPolicy, IPFamilyPolicies));
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === ClusterIPNone) {
      if (ips.length > 1) {
        invalidIPs = true;
        errs.push(invalidValue(ipsPath, bad, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(ipsPath.index(i), ip);
    if (e.length) invalidIPs = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(invalidValue(ipsPath, bad, 'may only hold up to 2 values'));
  // Past a bad address the dual-stack checks would only add noise, as upstream stops here too.
  if (invalidIPs) return errs;
  if (ips.length > 1 && !isDualStackIPs(ips))
    errs.push(invalidValue(ipsPath, bad, 'may specify no more than one IP for each IP family'));
  if (!isHeadlessService(svc) && ips.length && families.length) {
    ips.forEach((ip, i) => {
      if (i > families.length - 1) return;
      if (families[i] === 'IPv4' && isIPv6String(ip))
        errs.push(
          invalidValue(
            ipsPath.index(i),
            ip,
            `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``,
          ),
        );
      if (families[i] === 'IPv6' && !isIPv6String(ip))
        errs.push(
          invalidValue(
            ipsPath.index(i),
            ip,
            `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``,
          ),
        );
    });
  }
  return errs;
}

const topologyModeAnnotation = 'service.kubernetes.io/topology-mode';
const topologyHintsAnnotation = 'service.kubernetes.io/topology-aware-hints';
const sourceRangesAnnotation = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const onlyForLoadBalancer = "may only be used when `type` is 'LoadBalancer'";

/** ValidateService (ObjectMeta aside, which the api-server validates generically). */
function validateService(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec;
  const specPath = path('spec');
  const annotations = svc.metadata.annotations ?? {};
  const mode = annotations[topologyModeAnnotation];
  const hints = annotations[topologyHintsAnnotation];
  if (mode !== undefined && hints !== undefined && mode !== hints)
    errs.push(
      invalidValue(
        path('metadata', 'annotations').key(topologyModeAnnotation),
        mode,
        `must match annotations[${topologyHintsAnnotation}] when both are specified`,
      ),
    );

  const ports = spec.ports ?? [];
  const headless = isHeadlessService(svc);
  if (!ports.length && !headless && spec.type !== 'ExternalName')
    errs.push(required(specPath.child('ports')));
  switch (spec.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless)
        errs.push(
          invalidValue(
            specPath.child('clusterIPs').index(0),
            ClusterIPNone,
            `may not be set to 'None' for ${spec.type} services`,
          ),
        );
      break;
    case 'ExternalName': {
      const notForExternalName = 'may not be set for ExternalName services';
      if (spec.clusterIPs?.length)
        errs.push(forbiddenField(specPath.child('clusterIPs'), notForExternalName));
      if (spec.ipFamilies?.length)
        errs.push(forbiddenField(specPath.child('ipFamilies'), notForExternalName));
      if (spec.ipFamilyPolicy !== undefined)
        errs.push(forbiddenField(specPath.child('ipFamilyPolicy'), notForExternalName));
      // A trailing dot marks the CNAME as fully qualified.
      const cname = (spec.externalName ?? '').replace(/\.$/, '');
      if (cname)
        for (const m of isDNS1123Subdomain(cname))
          errs.push(invalidValue(specPath.child('externalName'), cname, m));
      else errs.push(required(specPath.child('externalName')));
      break;
    }
    default:
      break;
  }

  const names = new Set<string>();
  ports.forEach((sp, i) =>
    errs.push(
      ...validateServicePort(sp, ports.length > 1, names, specPath.child('ports').index(i)),
    ),
  );

  if (spec.selector) errs.push(...validateLabels(spec.selector, specPath.child('selector')));

  if (!spec.sessionAffinity) errs.push(required(specPath.child('sessionAffinity')));
  else if (!(SessionAffinities as readonly string[]).includes(spec.sessionAffinity))
    errs.push(
      notSupported(specPath.child('sessionAffinity'), spec.sessionAffinity, SessionAffinities),
    );
  if (spec.sessionAffinity === 'ClientIP')
    errs.push(
      ...validateClientIPAffinityConfig(
        spec.sessionAffinityConfig,
        specPath.child('sessionAffinityConfig'),
      ),
    );
  else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig)
    errs.push(
      forbiddenField(
        specPath.child('sessionAffinityConfig'),
        'must not be set when session affinity is None',
      ),
    );

  errs.push(...validateClusterIPsRelatedFields(svc));

  (spec.externalIPs ?? []).forEach((ip, i) => {
    const ep = specPath.child('externalIPs').index(i);
    const e = validateIP(ep, ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(ep, ip)));
  });

  if (!spec.type) errs.push(required(specPath.child('type')));
  else if (!(ServiceTypes as readonly string[]).includes(spec.type))
    errs.push(notSupported(specPath.child('type'), spec.type, ServiceTypes));

  if (spec.type === 'ClusterIP')
    ports.forEach((sp, i) => {
      if (sp.nodePort)
        errs.push(
          forbiddenField(
            specPath.child('ports').index(i).child('nodePort'),
            "may not be used when `type` is 'ClusterIP'",
          ),
        );
    });

  // Duplicates are (protocol, nodePort) and (protocol, port) pairs.
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((sp, i) => {
    const pp = specPath.child('ports').index(i);
    if (sp.nodePort) {
      const k = `${sp.protocol ?? ''}/${sp.nodePort}`;
      if (nodePorts.has(k)) errs.push(duplicate(pp.child('nodePort'), sp.nodePort));
      nodePorts.add(k);
    }
    const k = `${sp.protocol ?? ''}/${sp.port}`;
    // Upstream reports the map key, a ServicePort holding only protocol and port.
    if (portKeys.has(k))
      errs.push(
        duplicate(
          pp,
          goLiteral(
            `core.ServicePort{Name:"", Protocol:${goQuote(sp.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${sp.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
          ),
        ),
      );
    portKeys.add(k);
  });

  const ranges = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length) {
    // The capital L is upstream's (historical) field path.
    const rp = specPath.child('LoadBalancerSourceRanges');
    if (spec.type !== 'LoadBalancer') errs.push(forbiddenField(rp, onlyForLoadBalancer));
    // Values may be space-padded, a leftover from the annotation they replaced.
    ranges.forEach((r, i) => errs.push(...validateCIDR(rp.index(i), r.trim())));
  } else if (annotations[sourceRangesAnnotation] !== undefined) {
    const ap = path('metadata', 'annotations').key(sourceRangesAnnotation);
    if (spec.type !== 'LoadBalancer') errs.push(forbiddenField(ap, onlyForLoadBalancer));
    const val = (annotations[sourceRangesAnnotation] ?? '').trim();
    if (val) for (const c of val.split(',')) errs.push(...validateCIDR(ap, c.trim()));
  }

  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer')
    errs.push(forbiddenField(specPath.child('allocateLoadBalancerNodePorts'), onlyForLoadBalancer));
  // Upstream's path really has no `spec.` here.
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined)
    errs.push(required(path('allocateLoadBalancerNodePorts')));

  if (spec.loadBalancerClass !== undefined) {
    if (spec.type === 'LoadBalancer')
      for (const m of isQualifiedName(spec.loadBalancerClass))
        errs.push(invalidValue(specPath.child('loadBalancerClass'), spec.loadBalancerClass, m));
    else errs.push(forbiddenField(specPath.child('loadBalancerClass'), onlyForLoadBalancer));
  }

  errs.push(...validateExternalTrafficPolicy(svc));

  if (spec.internalTrafficPolicy === undefined) {
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')
      errs.push(required(specPath.child('internalTrafficPolicy')));
  } else if (!(TrafficPolicies as readonly string[]).includes(spec.internalTrafficPolicy)) {
    errs.push(
      notSupported(
        specPath.child('internalTrafficPolicy'),
        spec.internalTrafficPolicy,
        TrafficPolicies,
      ),
    );
  }

  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== 'PreferClose')
    errs.push(
      notSupported(specPath.child('trafficDistribution'), spec.trafficDistribution, [
        'PreferClose',
      ]),
    );
  return errs;
}

/** validateServiceExternalTrafficPolicy, healthCheckNodePort included. */
function validateExternalTrafficPolicy(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec;
  const p = path('spec', 'externalTrafficPolicy');
  if (!externallyAccessible(svc)) {
    if (spec.externalTrafficPolicy)
      errs.push(
        invalidValue(
          p,
          spec.externalTrafficPolicy,
          'may only be set for externally-accessible services',
        ),
      );
  } else if (!spec.externalTrafficPolicy) {
    errs.push(required(p));
  } else if (!(TrafficPolicies as readonly string[]).includes(spec.externalTrafficPolicy)) {
    errs.push(notSupported(p, spec.externalTrafficPolicy, TrafficPolicies));
  }
  const hp = path('spec', 'healthCheckNodePort');
  const hc = spec.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(svc)) {
    if (hc !== 0)
      errs.push(
        invalidValue(
          hp,
          hc,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
      );
  } else if (hc === 0) {
    // The api-server allocates healthCheckNodePort before validation, as upstream's REST does.
    errs.push(required(hp));
  } else {
    for (const m of isValidPortNum(hc)) errs.push(invalidValue(hp, hc, m));
  }
  return errs;
}

const mayNotChange = 'may not change once set';

/** validateUpgradeDowngradeClusterIPs: the primary IP is fixed once allocated, except via ExternalName. */
function validateClusterIPsUpdate(svc: Service, old: Service): FieldError[] {
  if (svc.spec.type === 'ExternalName' || old.spec.type === 'ExternalName') return [];
  if (isHeadlessService(svc) && isHeadlessService(old)) return [];
  const errs: FieldError[] = [];
  const ipsPath = path('spec', 'clusterIPs');
  const ips = svc.spec.clusterIPs ?? [];
  const bad = goStrings(svc.spec.clusterIPs);
  const oldIPs = old.spec.clusterIPs ?? [];
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(invalidValue(ipsPath.index(i), bad, mayNotChange));
    });
  } else if (oldIPs.length > ips.length) {
    if (!ips.length)
      errs.push(invalidValue(ipsPath.index(0), bad, 'primary clusterIP can not be unset'));
    if (oldIPs.length && ips.length && ips[0] !== oldIPs[0])
      errs.push(invalidValue(ipsPath.index(0), bad, mayNotChange));
    if (ips.length === 1 && svc.spec.ipFamilyPolicy !== 'SingleStack')
      errs.push(
        invalidValue(
          path('spec', 'ipFamilyPolicy'),
          svc.spec.ipFamilyPolicy ?? null,
          "must be set to 'SingleStack' when releasing the secondary clusterIP",
        ),
      );
  } else if (oldIPs.length && ips[0] !== oldIPs[0]) {
    errs.push(invalidValue(ipsPath.index(0), bad, mayNotChange));
  }
  return errs;
}

/** validateUpgradeDowngradeIPFamilies. */
function validateIPFamiliesUpdate(svc: Service, old: Service): FieldError[] {
  if (svc.spec.type === 'ExternalName' || old.spec.type === 'ExternalName') return [];
  if (isHeadlessService(svc) || isHeadlessService(old)) return [];
  const errs: FieldError[] = [];
  const fp = path('spec', 'ipFamilies').index(0);
  const fams = svc.spec.ipFamilies ?? [];
  const oldFams = old.spec.ipFamilies ?? [];
  if (oldFams.length === fams.length) {
    oldFams.forEach((f, i) => {
      if (f !== fams[i]) errs.push(invalidValue(fp, goFamilies(svc.spec.ipFamilies), mayNotChange));
    });
  } else if (oldFams.length > fams.length) {
    if (!(svc.spec.clusterIPs ?? []).length)
      errs.push(
        invalidValue(fp, goFamilies(svc.spec.ipFamilies), 'primary ipFamily can not be unset'),
      );
    if (fams.length && fams[0] !== oldFams[0])
      errs.push(invalidValue(fp, goStrings(svc.spec.clusterIPs), mayNotChange));
    if (fams.length === 1 && svc.spec.ipFamilyPolicy !== 'SingleStack')
      errs.push(
        invalidValue(
          path('spec', 'ipFamilyPolicy'),
          svc.spec.ipFamilyPolicy ?? null,
          "must be set to 'SingleStack' when releasing the secondary ipFamily",
        ),
      );
  } else if (oldFams.length && fams.length && fams[0] !== oldFams[0]) {
    errs.push(invalidValue(fp, goStrings(svc.spec.clusterIPs), mayNotChange));
  }
  return errs;
}

/** The update-only parts of ValidateServiceUpdate (ValidateService itself runs as `validate`). */
function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const errs = [...validateClusterIPsUpdate(svc, old), ...validateIPFamiliesUpdate(svc, old)];
  if (
    old.spec.type === 'LoadBalancer' &&
    svc.spec.type === 'LoadBalancer' &&
    old.spec.loadBalancerClass !== svc.spec.loadBalancerClass
  )
    errs.push(
      invalidValue(
        path('spec', 'loadBalancerClass'),
        svc.spec.loadBalancerClass ?? null,
        mayNotChange,
      ),
    );
  if (
    needsHealthCheck(old) &&
    needsHealthCheck(svc) &&
    (old.spec.healthCheckNodePort ?? 0) !== (svc.spec.healthCheckNodePort ?? 0)
  )
    errs.push(forbiddenField(path('spec', 'healthCheckNodePort'), 'field is immutable'));
  return errs;
}

/** ValidateLoadBalancerStatus: what PUT services/{name}/status checks beyond ObjectMeta. */
export function validateServiceStatus(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  (svc.status.loadBalancer?.ingress ?? []).forEach((ing, i) => {
    const ip = path('status', 'loadBalancer', 'ingress').index(i);
    if (ing.ip) errs.push(...validateIP(ip.child('ip'), ing.ip));
    if (ing.ipMode !== undefined && !ing.ip)
      errs.push(forbiddenField(ip.child('ipMode'), 'may not be specified when `ip` is not set'));
    else if (
      ing.ipMode !== undefined &&
      !(LoadBalancerIPModes as readonly string[]).includes(ing.ipMode)
    )
      errs.push(notSupported(ip.child('ipMode'), ing.ipMode, LoadBalancerIPModes));
    if (ing.hostname) {
      for (const m of isDNS1123Subdomain(ing.hostname))
        errs.push(invalidValue(ip.child('hostname'), ing.hostname, m));
      if (validateIP(ip.child('hostname'), ing.hostname).length === 0)
        errs.push(
          invalidValue(ip.child('hostname'), ing.hostname, 'must be a DNS name, not an IP address'),
        );
    }
  });
  return errs;
}

export const serviceKind: KindInfo<Service> = {
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  schema: Service,
  validateName: nameIsDNS1035Label,
  defaults: defaultService,
  validate: validateService,
  validateUpdate: validateServiceUpdate,
  fieldLabels: (svc) => ({
    'spec.clusterIP': svc.spec?.clusterIP ?? '',
    'spec.type': svc.spec?.type ?? '',
  }),
  subresources: ['status', 'proxy'],
  tracksGeneration: false,
  prepareForCreate: prepareServiceForCreate,
  prepareForUpdate: prepareServiceForUpdate,
};
