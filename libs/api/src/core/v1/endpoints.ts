/**
 * core/v1 Endpoints: schema, SetDefaults_Endpoints and ValidateEndpoints with upstream's
 * messages. The endpoints controller writes one per Service (same name); kube-proxy reads the
 * EndpointSlices instead, but `kubectl get ep` and `describe svc` read these.
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import { invalidValue, notSupported, path, required } from '../../meta/fieldErrors';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortNum,
} from '../../meta/names';
import { ObjectMeta } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';
import { ObjectReference } from './event';
import { validateIP, validateNonSpecialIP } from './ip';
import { Protocols } from './service';

export const EndpointAddress = z
  .object({
    ip: z.string().default(''),
    hostname: z.string().optional(),
    nodeName: z.string().optional(),
    targetRef: ObjectReference.optional(),
  })
  .strict();
export type EndpointAddress = z.infer<typeof EndpointAddress>;

export const EndpointPort = z
  .object({
    name: z.string().optional(),
    // int32 without omitempty in Go: absent decodes as 0 and fails as 0.
    port: z.number().int().default(0),
    /** TCP | UDP | SCTP; defaults to TCP. */
    protocol: z.string().optional(),
    appProtocol: z.string().optional(),
  })
  .strict();
export type EndpointPort = z.infer<typeof EndpointPort>;

export const EndpointSubset = z
  .object({
    addresses: z.array(EndpointAddress).optional(),
    notReadyAddresses: z.array(EndpointAddress).optional(),
    ports: z.array(EndpointPort).optional(),
  })
  .strict();
export type EndpointSubset = z.infer<typeof EndpointSubset>;

export const Endpoints = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    subsets: z.array(EndpointSubset).optional(),
  })
  .strict();
export type Endpoints = z.infer<typeof Endpoints>;

/** SetDefaults_Endpoints: port protocol TCP. */
function defaultEndpoints(ep: Endpoints): void {
  for (const ss of ep.subsets ?? [])
    for (const p of ss.ports ?? []) if (!p.protocol) p.protocol = 'TCP';
}

/** validateEndpointAddress. Loopback is allowed: see validateNonSpecialIP in ./ip. */
function validateEndpointAddress(a: EndpointAddress, p: FieldPath): FieldError[] {
  const errs = validateIP(p.child('ip'), a.ip);
  if (a.hostname)
    for (const m of isDNS1123Label(a.hostname))
      errs.push(invalidValue(p.child('hostname'), a.hostname, m));
  if (a.nodeName !== undefined)
    for (const m of isDNS1123Subdomain(a.nodeName))
      errs.push(invalidValue(p.child('nodeName'), a.nodeName, m));
  errs.push(...validateNonSpecialIP(p.child('ip'), a.ip));
  return errs;
}

function validateEndpointPort(
  port: EndpointPort,
  requireName: boolean,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(required(p.child('name')));
  else if (port.name)
    for (const m of isDNS1123Label(port.name))
      errs.push(invalidValue(p.child('name'), port.name, m));
  for (const m of isValidPortNum(port.port)) errs.push(invalidValue(p.child('port'), port.port, m));
  if (!port.protocol) errs.push(required(p.child('protocol')));
  else if (!(Protocols as readonly string[]).includes(port.protocol))
    errs.push(notSupported(p.child('protocol'), port.protocol, Protocols));
  if (port.appProtocol !== undefined)
    for (const m of isQualifiedName(port.appProtocol))
      errs.push(invalidValue(p.child('appProtocol'), port.appProtocol, m));
  return errs;
}

/** ValidateEndpoints (validateEndpointSubsets). */
function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const sp = path('subsets').index(i);
    // A headless service's endpoints may have no ports, but every subset needs an address.
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length)
      errs.push(required(sp, 'must specify `addresses` or `notReadyAddresses`'));
    (ss.addresses ?? []).forEach((a, j) =>
      errs.push(...validateEndpointAddress(a, sp.child('addresses').index(j))),
    );
    (ss.notReadyAddresses ?? []).forEach((a, j) =>
      errs.push(...validateEndpointAddress(a, sp.child('notReadyAddresses').index(j))),
    );
    const ports = ss.ports ?? [];
    ports.forEach((port, j) =>
      errs.push(...validateEndpointPort(port, ports.length > 1, sp.child('ports').index(j))),
    );
  });
  return errs;
}

export const endpointsKind: KindInfo<Endpoints> = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  resource: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  categories: [],
  schema: Endpoints,
  defaults: defaultEndpoints,
  validate: validateEndpoints,
  subresources: [],
  tracksGeneration: false,
};
