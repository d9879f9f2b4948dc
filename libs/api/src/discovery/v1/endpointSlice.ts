/**
 * discovery.k8s.io/v1 EndpointSlice: schema, SetDefaults_EndpointPort, the strategy's generation
 * bookkeeping (pkg/registry/discovery/endpointslice) and ValidateEndpointSlice* with upstream's
 * messages. The EndpointSlice controller writes them for each Service, labelled
 * `kubernetes.io/service-name`; kube-proxy routes from them.
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import {
  duplicate,
  invalidValue,
  notSupported,
  path,
  required,
  tooMany,
} from '../../meta/fieldErrors';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
} from '../../meta/names';
import { ObjectMeta, StringMap, validateLabels } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { ObjectReference } from '../../core/v1/event';
import { validateIPv4Address, validateIPv6Address, validateNonSpecialIP } from '../../core/v1/ip';
import { Protocols } from '../../core/v1/service';

/** LabelServiceName: the Service a slice belongs to. */
export const labelServiceName = 'kubernetes.io/service-name';
/** LabelManagedBy: which controller owns a slice. */
export const labelManagedBy = 'endpointslice.kubernetes.io/managed-by';
/** The value the in-tree EndpointSlice controller uses for LabelManagedBy. */
export const endpointSliceControllerName = 'endpointslice-controller.k8s.io';

export const AddressTypes = ['FQDN', 'IPv4', 'IPv6'] as const;
export type AddressType = (typeof AddressTypes)[number];

export const MaxEndpoints = 1000;
export const MaxAddresses = 100;
export const MaxPorts = 20000;
const maxTopologyLabels = 16;
const maxZoneHints = 8;

export const EndpointConditions = z
  .object({
    ready: z.boolean().optional(),
    serving: z.boolean().optional(),
    terminating: z.boolean().optional(),
  })
  .strict();
export type EndpointConditions = z.infer<typeof EndpointConditions>;

export const EndpointHints = z
  .object({
    forZones: z.array(z.object({ name: z.string() }).strict()).optional(),
  })
  .strict();
export type EndpointHints = z.infer<typeof EndpointHints>;

export const Endpoint = z
  .object({
    addresses: z.array(z.string()).default([]),
    conditions: EndpointConditions.optional(),
    hostname: z.string().optional(),
    targetRef: ObjectReference.optional(),
    deprecatedTopology: StringMap.optional(),
    nodeName: z.string().optional(),
    zone: z.string().optional(),
    hints: EndpointHints.optional(),
  })
  .strict();
export type Endpoint = z.infer<typeof Endpoint>;

export const EndpointSlicePort = z
  .object({
    /** Defaults to "" (the unnamed port). */
    name: z.string().optional(),
    /** Defaults to TCP. */
    protocol: z.string().optional(),
    /** Unset means "all ports", as for a headless service without ports. */
    port: z.number().int().optional(),
    appProtocol: z.string().optional(),
  })
  .strict();
export type EndpointSlicePort = z.infer<typeof EndpointSlicePort>;

export const EndpointSlice = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    /** IPv4 | IPv6 | FQDN; required and immutable. */
    addressType: z.string().default(''),
    endpoints: z.array(Endpoint).optional(),
    ports: z.array(EndpointSlicePort).optional(),
  })
  .strict();
export type EndpointSlice = z.infer<typeof EndpointSlice>;

/** SetDefaults_EndpointPort: name "" and protocol TCP. */
function defaultEndpointSlice(eps: EndpointSlice): void {
  for (const p of eps.ports ?? []) {
    if (p.name === undefined) p.name = '';
    if (p.protocol === undefined) p.protocol = 'TCP';
  }
}

/** IsFullyQualifiedDomainName. */
function validateFQDN(p: FieldPath, value: string): FieldError[] {
  if (!value) return [required(p)];
  const name = value.replace(/\.$/, '');
  const sub = isDNS1123Subdomain(name);
  if (sub.length) return [invalidValue(p, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2)
    return [
      invalidValue(p, name, 'should be a domain with at least two segments separated by dots'),
    ];
  for (const l of labels) {
    const e = isDNS1123Label(l);
    if (e.length) return [invalidValue(p, l, e.join(','))];
  }
  return [];
}

function validateEndpoints(
  endpoints: readonly Endpoint[],
  addressType: string,
  p: FieldPath,
): FieldError[] {
  if (endpoints.length > MaxEndpoints) return [tooMany(p, endpoints.length, MaxEndpoints)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const ip = p.index(i);
    const ap = ip.child('addresses');
    if (!ep.addresses.length) errs.push(required(ap, 'must contain at least 1 address'));
    else if (ep.addresses.length > MaxAddresses)
      errs.push(tooMany(ap, ep.addresses.length, MaxAddresses));
    ep.addresses.forEach((a, j) => {
      // Unknown address types are reported once, on addressType; their addresses go unchecked.
      if (addressType === 'IPv4')
        errs.push(...validateIPv4Address(ap.index(j), a), ...validateNonSpecialIP(ap.index(j), a));
      else if (addressType === 'IPv6')
        errs.push(...validateIPv6Address(ap.index(j), a), ...validateNonSpecialIP(ap.index(j), a));
      else if (addressType === 'FQDN') errs.push(...validateFQDN(ap.index(j), a));
    });
    if (ep.nodeName !== undefined)
      for (const m of isDNS1123Subdomain(ep.nodeName))
        errs.push(invalidValue(ip.child('nodeName'), ep.nodeName, m));
    const tp = ip.child('deprecatedTopology');
    const topo = ep.deprecatedTopology ?? {};
    if (Object.keys(topo).length > maxTopologyLabels)
      errs.push(tooMany(tp, Object.keys(topo).length, maxTopologyLabels));
    errs.push(...validateLabels(topo, tp));
    if (ep.hostname !== undefined)
      for (const m of isDNS1123Label(ep.hostname))
        errs.push(invalidValue(ip.child('hostname'), ep.hostname, m));
    if (ep.hints) errs.push(...validateHints(ep.hints, ip.child('hints')));
  });
  return errs;
}

function validateHints(hints: EndpointHints, p: FieldPath): FieldError[] {
  const zones = hints.forZones ?? [];
  const zp = p.child('forZones');
  if (zones.length > maxZoneHints) return [tooMany(zp, zones.length, maxZoneHints)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  zones.forEach((z, i) => {
    const np = zp.index(i).child('name');
    if (seen.has(z.name)) errs.push(duplicate(np, z.name));
    else seen.add(z.name);
    for (const m of isValidLabelValue(z.name)) errs.push(invalidValue(np, z.name, m));
  });
  return errs;
}

function validatePorts(ports: readonly EndpointSlicePort[], p: FieldPath): FieldError[] {
  if (ports.length > MaxPorts) return [tooMany(p, ports.length, MaxPorts)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const pp = p.index(i);
    const name = port.name ?? '';
    if (name)
      for (const m of isDNS1123Label(name)) errs.push(invalidValue(pp.child('name'), name, m));
    if (names.has(name)) errs.push(duplicate(pp.child('name'), name));
    else names.add(name);
    if (port.protocol === undefined) errs.push(required(pp.child('protocol')));
    else if (!(Protocols as readonly string[]).includes(port.protocol))
      errs.push(notSupported(pp.child('protocol'), port.protocol, Protocols));
    if (port.appProtocol !== undefined)
      for (const m of isQualifiedName(port.appProtocol))
        errs.push(invalidValue(pp.child('appProtocol'), port.appProtocol, m));
  });
  return errs;
}

/** ValidateEndpointSlice. */
function validateEndpointSlice(eps: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  if (!eps.addressType) errs.push(required(path('addressType')));
  else if (!(AddressTypes as readonly string[]).includes(eps.addressType))
    errs.push(notSupported(path('addressType'), eps.addressType, AddressTypes));
  errs.push(...validateEndpoints(eps.endpoints ?? [], eps.addressType, path('endpoints')));
  errs.push(...validatePorts(eps.ports ?? [], path('ports')));
  return errs;
}

/** ValidateEndpointSliceUpdate: addressType is immutable. */
function validateEndpointSliceUpdate(eps: EndpointSlice, old: EndpointSlice): FieldError[] {
  return eps.addressType === old.addressType
    ? []
    : [invalidValue(path('addressType'), eps.addressType, 'field is immutable')];
}

/** Everything but metadata, for the "did anything change" generation rule. */
function content(eps: EndpointSlice): string {
  return JSON.stringify([eps.addressType, eps.endpoints ?? [], eps.ports ?? []]);
}

function sameLabels(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => b?.[k] === a?.[k]);
}

export const endpointSliceKind: KindInfo<EndpointSlice> = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  resource: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  shortNames: [],
  categories: [],
  schema: EndpointSlice,
  defaults: defaultEndpointSlice,
  validate: validateEndpointSlice,
  validateUpdate: validateEndpointSliceUpdate,
  subresources: [],
  // EndpointSlice has no spec, so the generic "bump on spec change" does not apply; the
  // strategy hooks below keep generation the way upstream's strategy does.
  tracksGeneration: false,
  prepareForCreate: (eps) => {
    eps.metadata.generation = 1;
  },
  prepareForUpdate: (eps, old) => {
    // Upstream bumps on any change outside metadata, and on label changes.
    const gen = old.metadata.generation ?? 0;
    const changed =
      content(eps) !== content(old) || !sameLabels(eps.metadata.labels, old.metadata.labels);
    eps.metadata.generation = changed ? gen + 1 : gen;
  },
};
