/**
 * core/v1 Container and what hangs off it: ports, env, resources, volume mounts, probes,
 * lifecycle hooks and the container SecurityContext. Schemas in Go field order, the container
 * part of SetDefaults_* (pkg/apis/core/v1/defaults.go) and of pkg/apis/core/validation, with
 * upstream's messages.
 *
 *   defaultContainer(c);
 *   errs.push(...validateContainerCommon(c, volumes, path('spec', 'containers').index(0), ctx));
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import {
  duplicate,
  forbiddenField,
  invalidValue,
  notFoundField,
  notSupported,
  required,
} from '../../meta/fieldErrors';
import { IntOrString } from '../../meta/intOrString';
import { nameIsDNSSubdomain } from '../../meta/objectMeta';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
} from '../../meta/names';
import {
  canonicalQuantity,
  compareQuantities,
  parseQuantity,
  Quantity,
  quantityFormatError,
} from '../../meta/quantity';
import { isConfigMapKey } from './configMap';
import { goLiteral, goQuote } from './goSyntax';
import {
  isExtendedResourceName,
  isHugePageResourceName,
  isNativeResource,
  ResourceList,
  validateResourceName,
  validateResourceQuantityValue,
} from './resourceQuota';

const int = () => z.number().int();

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

export const ContainerPort = z
  .object({
    name: z.string().optional(),
    hostPort: int().optional(),
    containerPort: int(),
    /** TCP | UDP | SCTP; defaulted to TCP. */
    protocol: z.string().optional(),
    hostIP: z.string().optional(),
  })
  .strict();
export type ContainerPort = z.infer<typeof ContainerPort>;

export const ObjectFieldSelector = z
  .object({ apiVersion: z.string().optional(), fieldPath: z.string().optional() })
  .strict();
export type ObjectFieldSelector = z.infer<typeof ObjectFieldSelector>;

export const ResourceFieldSelector = z
  .object({
    containerName: z.string().optional(),
    resource: z.string().optional(),
    divisor: Quantity.optional(),
  })
  .strict();
export type ResourceFieldSelector = z.infer<typeof ResourceFieldSelector>;

export const ConfigMapKeySelector = z
  .object({
    name: z.string().optional(),
    key: z.string().optional(),
    optional: z.boolean().optional(),
  })
  .strict();
export type ConfigMapKeySelector = z.infer<typeof ConfigMapKeySelector>;

export const SecretKeySelector = z
  .object({
    name: z.string().optional(),
    key: z.string().optional(),
    optional: z.boolean().optional(),
  })
  .strict();
export type SecretKeySelector = z.infer<typeof SecretKeySelector>;

export const EnvVarSource = z
  .object({
    fieldRef: ObjectFieldSelector.optional(),
    resourceFieldRef: ResourceFieldSelector.optional(),
    configMapKeyRef: ConfigMapKeySelector.optional(),
    secretKeyRef: SecretKeySelector.optional(),
  })
  .strict();
export type EnvVarSource = z.infer<typeof EnvVarSource>;

export const EnvVar = z
  .object({
    name: z.string(),
    value: z.string().optional(),
    valueFrom: EnvVarSource.optional(),
  })
  .strict();
export type EnvVar = z.infer<typeof EnvVar>;

export const ConfigMapEnvSource = z
  .object({ name: z.string().optional(), optional: z.boolean().optional() })
  .strict();
export const SecretEnvSource = z
  .object({ name: z.string().optional(), optional: z.boolean().optional() })
  .strict();

export const EnvFromSource = z
  .object({
    prefix: z.string().optional(),
    configMapRef: ConfigMapEnvSource.optional(),
    secretRef: SecretEnvSource.optional(),
  })
  .strict();
export type EnvFromSource = z.infer<typeof EnvFromSource>;

export const ResourceClaim = z
  .object({ name: z.string(), request: z.string().optional() })
  .strict();

export const ResourceRequirements = z
  .object({
    limits: ResourceList.optional(),
    requests: ResourceList.optional(),
    claims: z.array(ResourceClaim).optional(),
  })
  .strict();
export type ResourceRequirements = z.infer<typeof ResourceRequirements>;

export const ContainerResizePolicy = z
  .object({ resourceName: z.string(), restartPolicy: z.string() })
  .strict();

export const VolumeMount = z
  .object({
    name: z.string(),
    readOnly: z.boolean().optional(),
    recursiveReadOnly: z.string().optional(),
    mountPath: z.string(),
    subPath: z.string().optional(),
    mountPropagation: z.string().optional(),
    subPathExpr: z.string().optional(),
  })
  .strict();
export type VolumeMount = z.infer<typeof VolumeMount>;

export const VolumeDevice = z.object({ name: z.string(), devicePath: z.string() }).strict();

export const ExecAction = z.object({ command: z.array(z.string()).optional() }).strict();
export type ExecAction = z.infer<typeof ExecAction>;

export const HTTPHeader = z
  .object({ name: z.string().optional(), value: z.string().optional() })
  .strict();

export const HTTPGetAction = z
  .object({
    path: z.string().optional(),
    /** A number or an IANA_SVC_NAME naming a container port. */
    port: IntOrString.optional(),
    host: z.string().optional(),
    /** HTTP | HTTPS; defaulted to HTTP. */
    scheme: z.string().optional(),
    httpHeaders: z.array(HTTPHeader).optional(),
  })
  .strict();
export type HTTPGetAction = z.infer<typeof HTTPGetAction>;

export const TCPSocketAction = z
  .object({ port: IntOrString.optional(), host: z.string().optional() })
  .strict();
export type TCPSocketAction = z.infer<typeof TCPSocketAction>;

export const GRPCAction = z
  .object({ port: int().optional(), service: z.string().optional() })
  .strict();
export type GRPCAction = z.infer<typeof GRPCAction>;

export const SleepAction = z.object({ seconds: int().optional() }).strict();

export const Probe = z
  .object({
    exec: ExecAction.optional(),
    httpGet: HTTPGetAction.optional(),
    tcpSocket: TCPSocketAction.optional(),
    grpc: GRPCAction.optional(),
    initialDelaySeconds: int().optional(),
    timeoutSeconds: int().optional(),
    periodSeconds: int().optional(),
    successThreshold: int().optional(),
    failureThreshold: int().optional(),
    terminationGracePeriodSeconds: int().optional(),
  })
  .strict();
export type Probe = z.infer<typeof Probe>;

export const LifecycleHandler = z
  .object({
    exec: ExecAction.optional(),
    httpGet: HTTPGetAction.optional(),
    tcpSocket: TCPSocketAction.optional(),
    sleep: SleepAction.optional(),
  })
  .strict();
export type LifecycleHandler = z.infer<typeof LifecycleHandler>;

export const Lifecycle = z
  .object({ postStart: LifecycleHandler.optional(), preStop: LifecycleHandler.optional() })
  .strict();
export type Lifecycle = z.infer<typeof Lifecycle>;

export const Capabilities = z
  .object({ add: z.array(z.string()).optional(), drop: z.array(z.string()).optional() })
  .strict();

export const SELinuxOptions = z
  .object({
    user: z.string().optional(),
    role: z.string().optional(),
    type: z.string().optional(),
    level: z.string().optional(),
  })
  .strict();

export const WindowsSecurityContextOptions = z
  .object({
    gmsaCredentialSpecName: z.string().optional(),
    gmsaCredentialSpec: z.string().optional(),
    runAsUserName: z.string().optional(),
    hostProcess: z.boolean().optional(),
  })
  .strict();

export const SeccompProfile = z
  .object({ type: z.string().optional(), localhostProfile: z.string().optional() })
  .strict();
export type SeccompProfile = z.infer<typeof SeccompProfile>;

export const AppArmorProfile = z
  .object({ type: z.string().optional(), localhostProfile: z.string().optional() })
  .strict();

export const SecurityContext = z
  .object({
    capabilities: Capabilities.optional(),
    privileged: z.boolean().optional(),
    seLinuxOptions: SELinuxOptions.optional(),
    windowsOptions: WindowsSecurityContextOptions.optional(),
    runAsUser: int().optional(),
    runAsGroup: int().optional(),
    runAsNonRoot: z.boolean().optional(),
    readOnlyRootFilesystem: z.boolean().optional(),
    allowPrivilegeEscalation: z.boolean().optional(),
    procMount: z.string().optional(),
    seccompProfile: SeccompProfile.optional(),
    appArmorProfile: AppArmorProfile.optional(),
  })
  .strict();
export type SecurityContext = z.infer<typeof SecurityContext>;

export const Container = z
  .object({
    name: z.string(),
    image: z.string(),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    workingDir: z.string().optional(),
    ports: z.array(ContainerPort).optional(),
    envFrom: z.array(EnvFromSource).optional(),
    env: z.array(EnvVar).optional(),
    resources: ResourceRequirements.optional(),
    resizePolicy: z.array(ContainerResizePolicy).optional(),
    /** Only `Always`, and only on init containers (sidecars). */
    restartPolicy: z.string().optional(),
    volumeMounts: z.array(VolumeMount).optional(),
    volumeDevices: z.array(VolumeDevice).optional(),
    livenessProbe: Probe.optional(),
    readinessProbe: Probe.optional(),
    startupProbe: Probe.optional(),
    lifecycle: Lifecycle.optional(),
    terminationMessagePath: z.string().optional(),
    /** File | FallbackToLogsOnError; defaulted to File. */
    terminationMessagePolicy: z.string().optional(),
    /** Always | IfNotPresent | Never; defaulted from the image tag. */
    imagePullPolicy: z.string().optional(),
    securityContext: SecurityContext.optional(),
    stdin: z.boolean().optional(),
    stdinOnce: z.boolean().optional(),
    tty: z.boolean().optional(),
  })
  .strict();
export type Container = z.infer<typeof Container>;

// ---------------------------------------------------------------------------------------------
// Defaults (SetDefaults_Container, _ContainerPort, _Probe, _HTTPGetAction, _ObjectFieldSelector)
// ---------------------------------------------------------------------------------------------

export const TerminationMessagePathDefault = '/dev/termination-log';

// The docker reference grammar (distribution/reference), which ParseImageName applies.
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const imageRefRe = new RegExp(
  `^(?:${domain}/)?${pathComponent}(?:/${pathComponent})*` +
    '(?::([\\w][\\w.-]{0,127}))?' +
    '(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$',
);

/**
 * The tag ParseImageName reports: the explicit tag, `latest` when neither tag nor digest is
 * given, and "" for a digest-only reference or a name that does not parse.
 */
export function imageTag(image: string): string {
  const m = imageRefRe.exec(image);
  if (!m) return '';
  const [, tag, digest] = m;
  if (tag) return tag;
  return digest ? '' : 'latest';
}

/** SetDefaults_Container's pull policy: Always for `:latest` (or no tag), else IfNotPresent. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHTTPGet(h: HTTPGetAction | undefined): void {
  if (!h) return;
  if (!h.path) h.path = '/';
  if (!h.scheme) h.scheme = 'HTTP';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHTTPGet(p.httpGet);
}

/** SetDefaults_ObjectFieldSelector: apiVersion v1. Shared with downward API volumes. */
export function defaultObjectFieldSelector(f: ObjectFieldSelector | undefined): void {
  if (f && !f.apiVersion) f.apiVersion = 'v1';
}

/**
 * A ResourceFieldSelector's divisor is a non-pointer Quantity in Go, so the api-server always
 * writes it back, as "0" when unset.
 */
export function defaultResourceFieldSelector(f: ResourceFieldSelector | undefined): void {
  if (f && f.divisor === undefined) f.divisor = '0';
}

/** The container part of defaulting, for containers and init containers alike. */
export function defaultContainer(c: Container): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image);
  if (!c.terminationMessagePath) c.terminationMessagePath = TerminationMessagePathDefault;
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  // ResourceRequirements is a struct, not a pointer: Go always serializes `resources: {}`.
  if (!c.resources) c.resources = {};
  for (const p of c.ports ?? []) if (!p.protocol) p.protocol = 'TCP';
  for (const e of c.env ?? []) {
    defaultObjectFieldSelector(e.valueFrom?.fieldRef);
    defaultResourceFieldSelector(e.valueFrom?.resourceFieldRef);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHTTPGet(c.lifecycle?.postStart?.httpGet);
  defaultHTTPGet(c.lifecycle?.preStop?.httpGet);
}

/**
 * SetDefaults_Pod's resource rule: a container with limits but no request for a resource
 * requests its limit. Pods only; templates keep what the user wrote.
 */
export function defaultRequestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  if (!limits) return;
  const resources = (c.resources ??= {});
  const requests = (resources.requests ??= {});
  for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** What container validation needs from the pod around it. */
export interface ContainerContext {
  /** Volumes that validated, by name (volumeMounts must name one of them). */
  volumes: ReadonlyMap<string, unknown>;
  /** The pod's terminationGracePeriodSeconds (0 when unset), for sleep hooks. */
  gracePeriod: number;
}

export const isNegativeErrorMsg = 'must be greater than or equal to 0';
export const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export function validateNonnegativeField(v: number, p: FieldPath): FieldError[] {
  return v < 0 ? [invalidValue(p, v, isNegativeErrorMsg)] : [];
}

export function validateDNS1123Label(v: string, p: FieldPath): FieldError[] {
  return isDNS1123Label(v).map((m) => invalidValue(p, v, m));
}

/** ValidateLabelName: a qualified name (label keys, topology keys, toleration keys). */
export function validateLabelName(v: string, p: FieldPath): FieldError[] {
  return isQualifiedName(v).map((m) => invalidValue(p, v, m));
}

/** validatePathNoBacksteps. */
export function validatePathNoBacksteps(target: string, p: FieldPath): FieldError[] {
  return target.split('/').includes('..') ? [invalidValue(p, target, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, without `..`. */
export function validateLocalDescendingPath(target: string, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalidValue(p, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, p));
  return errs;
}

/** ValidateLocalNonReservedPath: a local descending path that does not start with `..`. */
export function validateLocalNonReservedPath(target: string, p: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, p);
  if (target.startsWith('..') && !target.startsWith('../'))
    errs.push(invalidValue(p, target, "must not start with '..'"));
  return errs;
}

const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];

/** validateContainerPorts: names are IANA_SVC_NAMEs unique per container, numbers in range. */
function validateContainerPorts(ports: readonly ContainerPort[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const ip = p.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length)
        for (const m of msgs) errs.push(invalidValue(ip.child('name'), port.name, m));
      else if (names.has(port.name)) errs.push(duplicate(ip.child('name'), port.name));
      else names.add(port.name);
    }
    if (port.containerPort === 0) errs.push(required(ip.child('containerPort')));
    else
      for (const m of isValidPortNum(port.containerPort))
        errs.push(invalidValue(ip.child('containerPort'), port.containerPort, m));
    if (port.hostPort)
      for (const m of isValidPortNum(port.hostPort))
        errs.push(invalidValue(ip.child('hostPort'), port.hostPort, m));
    if (!port.protocol) errs.push(required(ip.child('protocol')));
    else if (!supportedPortProtocols.includes(port.protocol))
      errs.push(notSupported(ip.child('protocol'), port.protocol, supportedPortProtocols));
  });
  return errs;
}

const relaxedEnvVarNameMsg =
  "a valid environment variable name must consist only of printable ASCII characters other than '='";

/**
 * IsRelaxedEnvVarName. RelaxedEnvironmentVariableValidation is beta and on in 1.32, so any
 * printable ASCII name without '=' is accepted.
 */
export function isRelaxedEnvVarName(name: string): string[] {
  const errs: string[] = [];
  if (name.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of name) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || c > 0x7e || ch === '=') {
      errs.push(relaxedEnvVarNameMsg);
      break;
    }
  }
  return errs;
}

/** validEnvDownwardAPIFieldPathExpressions, sorted as sets.List returns them. */
const envFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

/** validVolumeDownwardAPIFieldPathExpressions. */
export const volumeFieldPaths = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
];

/** ConvertDownwardAPIFieldLabel's list of pod fields v1 accepts. */
const convertibleFieldLabels = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['app']` → [`metadata.labels`, `app`]. */
function splitSubscript(fp: string): [string, string] | undefined {
  if (!fp.endsWith("']")) return undefined;
  const s = fp.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

/** validateObjectFieldSelector for env vars and downward API volume files. */
export function validateObjectFieldSelector(
  fs: ObjectFieldSelector,
  expressions: readonly string[],
  p: FieldPath,
): FieldError[] {
  if (!fs.apiVersion) return [required(p.child('apiVersion'))];
  if (!fs.fieldPath) return [required(p.child('fieldPath'))];
  // ConvertDownwardAPIFieldLabel
  let convertError: string | undefined;
  let internal = fs.fieldPath;
  if (fs.apiVersion !== 'v1') convertError = `unsupported pod version: ${fs.apiVersion}`;
  else {
    const sub = splitSubscript(fs.fieldPath);
    if (sub) {
      if (sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels')
        convertError = `field label does not support subscript: ${fs.fieldPath}`;
    } else if (fs.fieldPath === 'spec.host') internal = 'spec.nodeName';
    else if (!convertibleFieldLabels.has(fs.fieldPath))
      convertError = `field label not supported: ${fs.fieldPath}`;
  }
  if (convertError)
    return [
      invalidValue(
        p.child('fieldPath'),
        fs.fieldPath,
        `error converting fieldPath: ${convertError}`,
      ),
    ];
  const sub = splitSubscript(internal);
  if (sub) {
    const [fieldPath, key] = sub;
    if (fieldPath === 'metadata.annotations')
      return isQualifiedName(key.toLowerCase()).map((m) => invalidValue(p, key.toLowerCase(), m));
    if (fieldPath === 'metadata.labels')
      return isQualifiedName(key).map((m) => invalidValue(p, key, m));
    return [invalidValue(p, fieldPath, 'does not support subscript')];
  }
  if (!expressions.includes(internal))
    return [notSupported(p.child('fieldPath'), internal, expressions)];
  return [];
}

/** validContainerResourceFieldPathExpressions. */
const resourceFieldPaths = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];
const cpuDivisors = new Set(['1m', '1']);
const memoryDivisors = new Set([
  '1',
  '1k',
  '1M',
  '1G',
  '1T',
  '1P',
  '1E',
  '1Ki',
  '1Mi',
  '1Gi',
  '1Ti',
  '1Pi',
  '1Ei',
]);

function validateContainerResourceDivisor(
  resource: string,
  divisor: string | undefined,
  p: FieldPath,
): FieldError[] {
  if (divisor === undefined) return [];
  const parsed = parseQuantity(divisor);
  if (!parsed || parsed.milli === 0n) return [];
  const canonical = canonicalQuantity(divisor);
  switch (resource) {
    case 'limits.cpu':
    case 'requests.cpu':
      return cpuDivisors.has(canonical)
        ? []
        : [
            invalidValue(
              p.child('divisor'),
              resource,
              "only divisor's values 1m and 1 are supported with the cpu resource",
            ),
          ];
    case 'limits.memory':
    case 'requests.memory':
      return memoryDivisors.has(canonical)
        ? []
        : [
            invalidValue(
              p.child('divisor'),
              resource,
              "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource",
            ),
          ];
    case 'limits.ephemeral-storage':
    case 'requests.ephemeral-storage':
      return memoryDivisors.has(canonical)
        ? []
        : [
            invalidValue(
              p.child('divisor'),
              resource,
              "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the local ephemeral storage resource",
            ),
          ];
    default:
      return [];
  }
}

/** validateContainerResourceFieldSelector (`volume`: a downward API file, which must name its container). */
export function validateResourceFieldSelector(
  fs: ResourceFieldSelector,
  p: FieldPath,
  volume: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  if (volume && !fs.containerName) errs.push(required(p.child('containerName')));
  else if (!fs.resource) errs.push(required(p.child('resource')));
  else if (
    !resourceFieldPaths.includes(fs.resource) &&
    !/^(limits|requests)\.hugepages-/.test(fs.resource)
  )
    errs.push(notSupported(p.child('resource'), fs.resource, resourceFieldPaths));
  errs.push(...validateContainerResourceDivisor(fs.resource ?? '', fs.divisor, p));
  return errs;
}

function validateKeySelector(
  s: { name?: string | undefined; key?: string | undefined },
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = s.name ?? '';
  for (const m of isDNS1123Subdomain(name)) errs.push(invalidValue(p.child('name'), name, m));
  if (!s.key) errs.push(required(p.child('key')));
  else for (const m of isConfigMapKey(s.key)) errs.push(invalidValue(p.child('key'), s.key, m));
  return errs;
}

function validateEnvVarValueFrom(ev: EnvVar, p: FieldPath): FieldError[] {
  const from = ev.valueFrom;
  if (!from) return [];
  const errs: FieldError[] = [];
  let n = 0;
  if (from.fieldRef) {
    n++;
    errs.push(...validateObjectFieldSelector(from.fieldRef, envFieldPaths, p.child('fieldRef')));
  }
  if (from.resourceFieldRef) {
    n++;
    errs.push(
      ...validateResourceFieldSelector(from.resourceFieldRef, p.child('resourceFieldRef'), false),
    );
  }
  if (from.configMapKeyRef) {
    n++;
    errs.push(...validateKeySelector(from.configMapKeyRef, p.child('configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    n++;
    errs.push(...validateKeySelector(from.secretKeyRef, p.child('secretKeyRef')));
  }
  if (n === 0)
    errs.push(
      invalidValue(
        p,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  else if (ev.value)
    errs.push(invalidValue(p, '', 'may not be specified when `value` is not empty'));
  else if (n > 1)
    errs.push(invalidValue(p, '', 'may not have more than one field specified at a time'));
  return errs;
}

/** ValidateEnv. */
export function validateEnv(env: readonly EnvVar[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((ev, i) => {
    const ip = p.index(i);
    if (!ev.name) errs.push(required(ip.child('name')));
    else
      for (const m of isRelaxedEnvVarName(ev.name))
        errs.push(invalidValue(ip.child('name'), ev.name, m));
    errs.push(...validateEnvVarValueFrom(ev, ip.child('valueFrom')));
  });
  return errs;
}

/** ValidateEnvFrom. */
export function validateEnvFrom(envFrom: readonly EnvFromSource[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  envFrom.forEach((ev, i) => {
    const ip = p.index(i);
    if (ev.prefix)
      for (const m of isRelaxedEnvVarName(ev.prefix))
        errs.push(invalidValue(ip.child('prefix'), ev.prefix, m));
    let n = 0;
    for (const [key, ref] of [
      ['configMapRef', ev.configMapRef],
      ['secretRef', ev.secretRef],
    ] as const) {
      if (!ref) continue;
      n++;
      const rp = ip.child(key);
      if (!ref.name) errs.push(required(rp.child('name')));
      // Upstream validates these names as generateName prefixes (a trailing '-' passes).
      else
        for (const m of nameIsDNSSubdomain(ref.name, true))
          errs.push(invalidValue(rp.child('name'), ref.name, m));
    }
    if (n === 0)
      errs.push(invalidValue(p, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1)
      errs.push(invalidValue(p, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

const mountPropagationModes = ['Bidirectional', 'HostToContainer', 'None'];

/** ValidateVolumeMounts: each mount names a volume of the pod, at a unique path. */
function validateVolumeMounts(
  c: Container,
  volumes: ReadonlyMap<string, unknown>,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const ip = p.index(i);
    if (!m.name) errs.push(required(ip.child('name')));
    if (!volumes.has(m.name)) errs.push(notFoundField(ip.child('name'), m.name));
    if (!m.mountPath) errs.push(required(ip.child('mountPath')));
    if (mountPoints.has(m.mountPath))
      errs.push(invalidValue(ip.child('mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    // Upstream reports subPath problems under the list's path, not the item's.
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, p.child('subPath')));
    if (m.subPathExpr) {
      if (m.subPath)
        errs.push(
          invalidValue(
            ip.child('subPathExpr'),
            m.subPathExpr,
            'subPathExpr and subPath are mutually exclusive',
          ),
        );
      errs.push(...validateLocalDescendingPath(m.subPathExpr, p.child('subPathExpr')));
    }
    if (m.mountPropagation !== undefined) {
      const mp = p.child('mountPropagation');
      if (!mountPropagationModes.includes(m.mountPropagation))
        errs.push(notSupported(mp, m.mountPropagation, mountPropagationModes));
      else if (m.mountPropagation === 'Bidirectional' && !c.securityContext?.privileged)
        errs.push(
          forbiddenField(
            mp,
            'Bidirectional mount propagation is available only to privileged containers',
          ),
        );
    }
  });
  return errs;
}

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];

function validatePullPolicy(policy: string | undefined, p: FieldPath): FieldError[] {
  if (!policy) return [required(p)];
  return pullPolicies.includes(policy) ? [] : [notSupported(p, policy, pullPolicies)];
}

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** helper.IsOvercommitAllowed: native resources other than huge pages. */
function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

/** validateContainerResourceName (validateResourceName plus the container list). */
function validateContainerResourceName(name: string, p: FieldPath): FieldError[] {
  const errs = validateResourceName(name, p);
  if (!name.includes('/')) {
    if (!standardContainerResources.has(name) && !isHugePageResourceName(name))
      errs.push(invalidValue(p, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push(invalidValue(p, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function checkQuantity(value: string, p: FieldPath): FieldError[] {
  return parseQuantity(value) ? [] : [invalidValue(p, value, quantityFormatError)];
}

/** ValidateContainerResourceRequirements: names, quantities, requests ≤ limits. */
export function validateResources(r: ResourceRequirements | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!r) return errs;
  const limPath = p.child('limits');
  const reqPath = p.child('requests');
  let limCpuOrMem = false;
  let reqCpuOrMem = false;
  let hugePages = false;
  const limits = r.limits ?? {};
  for (const [name, q] of Object.entries(limits)) {
    const fp = limPath.key(name);
    errs.push(...validateContainerResourceName(name, fp));
    errs.push(...checkQuantity(q, fp));
    errs.push(...validateResourceQuantityValue(name, q, fp));
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') limCpuOrMem = true;
  }
  for (const [name, q] of Object.entries(r.requests ?? {})) {
    const fp = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, fp));
    errs.push(...checkQuantity(q, fp));
    errs.push(...validateResourceQuantityValue(name, q, fp));
    const limit = limits[name];
    if (limit !== undefined) {
      if (parseQuantity(q) && parseQuantity(limit)) {
        const cmp = compareQuantities(q, limit);
        // Resources that cannot be overcommitted must request exactly their limit.
        if (cmp !== 0 && !isOvercommitAllowed(name))
          errs.push(
            invalidValue(
              reqPath,
              canonicalQuantity(q),
              `must be equal to ${name} limit of ${canonicalQuantity(limit)}`,
            ),
          );
        else if (cmp > 0)
          errs.push(
            invalidValue(
              reqPath,
              canonicalQuantity(q),
              `must be less than or equal to ${name} limit of ${canonicalQuantity(limit)}`,
            ),
          );
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') reqCpuOrMem = true;
  }
  if (hugePages && !limCpuOrMem && !reqCpuOrMem)
    errs.push(forbiddenField(p, 'HugePages require cpu or memory'));
  return errs;
}

/** validateSeccompProfileField (pod and container security contexts). */
export function validateSeccompProfile(sp: SeccompProfile | undefined, p: FieldPath): FieldError[] {
  if (!sp) return [];
  const errs: FieldError[] = [];
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!sp.type) errs.push(required(p.child('type'), 'type is required when seccompProfile is set'));
  else if (!types.includes(sp.type)) errs.push(notSupported(p.child('type'), sp.type, types));
  if (sp.type === 'Localhost') {
    if (sp.localhostProfile === undefined)
      errs.push(
        required(p.child('localhostProfile'), 'must be set when seccomp type is Localhost'),
      );
    else
      errs.push(...validateLocalDescendingPath(sp.localhostProfile, p.child('localhostProfile')));
  } else if (sp.localhostProfile !== undefined) {
    errs.push(
      invalidValue(
        p.child('localhostProfile'),
        goLiteral(
          `core.SeccompProfile{Type:${goQuote(sp.type ?? '')}, LocalhostProfile:(*string)(${goQuote(sp.localhostProfile)})}`,
        ),
        'can only be set when seccomp type is Localhost',
      ),
    );
  }
  return errs;
}

/** IsValidUserID / IsValidGroupID. */
export function validateID(v: number | undefined, p: FieldPath): FieldError[] {
  if (v === undefined || (v >= 0 && v <= 2147483647)) return [];
  return [invalidValue(p, v, inclusiveRangeError(0, 2147483647))];
}

/**
 * Upstream prints the whole struct here, pointers as addresses (`Privileged:(*bool)(0xc0...)`),
 * which no one can reproduce; the fields are shown as JSON instead.
 */
function securityContextLiteral(sc: SecurityContext): unknown {
  return goLiteral(`core.SecurityContext${JSON.stringify(sc)}`);
}

/** ValidateSecurityContext (the basics: ids, procMount, privilege escalation, seccomp). */
export function validateSecurityContext(
  sc: SecurityContext | undefined,
  p: FieldPath,
): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  errs.push(...validateID(sc.runAsUser, p.child('runAsUser')));
  errs.push(...validateID(sc.runAsGroup, p.child('runAsGroup')));
  if (sc.procMount !== undefined && !['Default', 'Unmasked'].includes(sc.procMount))
    errs.push(notSupported(p.child('procMount'), sc.procMount, ['Default', 'Unmasked']));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged)
      errs.push(
        invalidValue(
          p,
          securityContextLiteral(sc),
          'cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
        ),
      );
    if (sc.capabilities?.add?.includes('CAP_SYS_ADMIN'))
      errs.push(
        invalidValue(
          p,
          securityContextLiteral(sc),
          'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
        ),
      );
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, p.child('seccompProfile')));
  return errs;
}

/** ValidatePortNumOrName: a port number in range, or a valid port name. */
export function validatePortNumOrName(port: IntOrString | undefined, p: FieldPath): FieldError[] {
  const v = port ?? 0;
  if (typeof v === 'number') return isValidPortNum(v).map((m) => invalidValue(p, v, m));
  return isValidPortName(v).map((m) => invalidValue(p, v, m));
}

const httpHeaderNameFmt = '[-A-Za-z0-9]+';

function validateHTTPGet(h: HTTPGetAction, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!h.path) errs.push(required(p.child('path')));
  errs.push(...validatePortNumOrName(h.port, p.child('port')));
  const schemes = ['HTTP', 'HTTPS'];
  if (!schemes.includes(h.scheme ?? ''))
    errs.push(notSupported(p.child('scheme'), h.scheme ?? '', schemes));
  for (const header of h.httpHeaders ?? []) {
    const name = header.name ?? '';
    if (!new RegExp(`^${httpHeaderNameFmt}$`).test(name))
      errs.push(
        invalidValue(
          p.child('httpHeaders'),
          name,
          `a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '${httpHeaderNameFmt}')`,
        ),
      );
  }
  return errs;
}

type AnyHandler = LifecycleHandler & { grpc?: GRPCAction | undefined };

/** validateHandler: exactly one handler, each checked (probe and lifecycle handlers alike). */
function validateHandler(h: AnyHandler, gracePeriod: number, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const one = (key: string, check: () => FieldError[]): void => {
    if (n > 0) errs.push(forbiddenField(p.child(key), 'may not specify more than 1 handler type'));
    else {
      n++;
      errs.push(...check());
    }
  };
  if (h.exec)
    one('exec', () => (h.exec?.command?.length ? [] : [required(p.child('exec', 'command'))]));
  if (h.httpGet) {
    const g = h.httpGet;
    one('httpGet', () => validateHTTPGet(g, p.child('httpGet')));
  }
  if (h.tcpSocket) {
    const t = h.tcpSocket;
    one('tcpSocket', () => validatePortNumOrName(t.port, p.child('tcpSocket', 'port')));
  }
  if (h.grpc) {
    const port = h.grpc.port ?? 0;
    one('grpc', () =>
      isValidPortNum(port).map((m) => invalidValue(p.child('grpc', 'port'), port, m)),
    );
  }
  if (h.sleep) {
    const seconds = h.sleep.seconds ?? 0;
    one('sleep', () =>
      seconds <= 0 || seconds > gracePeriod
        ? [
            invalidValue(
              p.child('sleep'),
              seconds,
              `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod})`,
            ),
          ]
        : [],
    );
  }
  if (n === 0) errs.push(required(p, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: Probe, p: FieldPath): FieldError[] {
  const errs = validateHandler(probe, 0, p);
  errs.push(
    ...validateNonnegativeField(probe.initialDelaySeconds ?? 0, p.child('initialDelaySeconds')),
  );
  errs.push(...validateNonnegativeField(probe.timeoutSeconds ?? 0, p.child('timeoutSeconds')));
  errs.push(...validateNonnegativeField(probe.periodSeconds ?? 0, p.child('periodSeconds')));
  errs.push(...validateNonnegativeField(probe.successThreshold ?? 0, p.child('successThreshold')));
  errs.push(...validateNonnegativeField(probe.failureThreshold ?? 0, p.child('failureThreshold')));
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0)
    errs.push(
      invalidValue(
        p.child('terminationGracePeriodSeconds'),
        probe.terminationGracePeriodSeconds,
        'must be greater than 0',
      ),
    );
  return errs;
}

/** Liveness and startup probes decide a restart: one success is all they may ask for. */
function validateRestartingProbe(probe: Probe, p: FieldPath): FieldError[] {
  const errs = validateProbe(probe, p);
  if (probe.successThreshold !== 1)
    errs.push(invalidValue(p.child('successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  return errs;
}

function validateReadinessProbe(probe: Probe, p: FieldPath): FieldError[] {
  const errs = validateProbe(probe, p);
  if (probe.terminationGracePeriodSeconds !== undefined)
    errs.push(
      invalidValue(
        p.child('terminationGracePeriodSeconds'),
        probe.terminationGracePeriodSeconds,
        'must not be set for readinessProbes',
      ),
    );
  return errs;
}

/** The probes and hooks of a regular container (or a sidecar init container). */
export function validateProbesAndLifecycle(
  c: Container,
  gracePeriod: number,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (c.lifecycle?.postStart)
    errs.push(
      ...validateHandler(c.lifecycle.postStart, gracePeriod, p.child('lifecycle', 'postStart')),
    );
  if (c.lifecycle?.preStop)
    errs.push(
      ...validateHandler(c.lifecycle.preStop, gracePeriod, p.child('lifecycle', 'preStop')),
    );
  if (c.livenessProbe)
    errs.push(...validateRestartingProbe(c.livenessProbe, p.child('livenessProbe')));
  if (c.readinessProbe)
    errs.push(...validateReadinessProbe(c.readinessProbe, p.child('readinessProbe')));
  if (c.startupProbe)
    errs.push(...validateRestartingProbe(c.startupProbe, p.child('startupProbe')));
  return errs;
}

/** validateContainerCommon: what every container kind shares. */
export function validateContainerCommon(
  c: Container,
  ctx: ContainerContext,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(p.child('name')));
  else errs.push(...validateDNS1123Label(c.name, p.child('name')));
  if (!c.image) errs.push(required(p.child('image')));
  const policies = ['File', 'FallbackToLogsOnError'];
  if (!c.terminationMessagePolicy) errs.push(required(p.child('terminationMessagePolicy')));
  else if (!policies.includes(c.terminationMessagePolicy))
    errs.push(
      notSupported(p.child('terminationMessagePolicy'), c.terminationMessagePolicy, policies),
    );
  errs.push(...validateContainerPorts(c.ports ?? [], p.child('ports')));
  errs.push(...validateEnv(c.env ?? [], p.child('env')));
  errs.push(...validateEnvFrom(c.envFrom ?? [], p.child('envFrom')));
  errs.push(...validateVolumeMounts(c, ctx.volumes, p.child('volumeMounts')));
  errs.push(...validatePullPolicy(c.imagePullPolicy, p.child('imagePullPolicy')));
  errs.push(...validateResources(c.resources, p.child('resources')));
  errs.push(...validateSecurityContext(c.securityContext, p.child('securityContext')));
  return errs;
}

/**
 * AccumulateUniqueHostPorts: two ports of the same protocol and host IP may not claim one host
 * port. `seen` carries over between the containers that run together.
 */
export function checkHostPortConflicts(
  containers: readonly Container[],
  p: FieldPath,
  seen = new Set<string>(),
): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const key = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(key))
        errs.push(duplicate(p.index(ci).child('ports').index(pi).child('hostPort'), key));
      else seen.add(key);
    });
  });
  return errs;
}
