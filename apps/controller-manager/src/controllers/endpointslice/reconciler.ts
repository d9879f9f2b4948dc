/**
 * What EndpointSlices a Service should have (upstream's endpointslice reconciler, in its
 * observable rules): one endpoint per pod, grouped by the ports the pod resolves the service
 * ports to, at most `maxEndpointsPerSlice` per slice, IPv4 addresses; a Service without any
 * endpoint keeps one empty placeholder slice. Endpoints are sorted by address and cut into
 * slices in that order; existing slices of the same port set are reused in name order, so a
 * steady Service is never rewritten.
 */
import type { Endpoint, EndpointSlice, EndpointSlicePort, Node, Pod, Service } from '@kubeling/api';
import { isPodReady } from '@kubeling/client';
import { findPort, podHostname } from '../../util/endpoint';

/** The zone label on Nodes that endpoints carry as `zone`. */
export const ZoneLabel = 'topology.kubernetes.io/zone';

/** A pod's endpoint: conditions as upstream's podToEndpoint sets them. */
export function podToEndpoint(pod: Pod, svc: Service, node: Node | undefined): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // publishNotReadyAddresses: ready whatever the pod says (and even while terminating).
  const ready = svc.spec?.publishNotReadyAddresses ? true : serving && !terminating;
  const hostname = podHostname(pod, svc);
  const zone = node?.metadata.labels?.[ZoneLabel];
  return {
    addresses: [pod.status?.podIP ?? ''],
    conditions: { ready, serving, terminating },
    ...(hostname ? { hostname } : {}),
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(zone ? { zone } : {}),
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
    },
  } as Endpoint;
}

/** The ports of a pod's endpoint, undefined when a port is required and none resolves. */
export function podPorts(pod: Pod, svc: Service): EndpointSlicePort[] | undefined {
  const out: EndpointSlicePort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({
      name: sp.name ?? '',
      port,
      protocol: sp.protocol ?? 'TCP',
      ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
    } as EndpointSlicePort);
  }
  if ((svc.spec?.ports ?? []).length && !out.length) return undefined;
  return out.sort(
    (a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.port ?? 0) - (b.port ?? 0),
  );
}

export const portsKey = (ports: readonly EndpointSlicePort[] | undefined) =>
  JSON.stringify(
    [...(ports ?? [])].sort(
      (a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.port ?? 0) - (b.port ?? 0),
    ),
  );

/** One wanted slice: its ports and endpoints (labels, owner and name are the controller's). */
export interface DesiredSlice {
  ports: EndpointSlicePort[];
  endpoints: Endpoint[];
  /** IPv4 unless said (the mirroring controller also mirrors IPv6 addresses). */
  addressType?: string;
}

export function desiredSlices(
  svc: Service,
  pods: readonly Pod[],
  nodeOf: (name: string) => Node | undefined,
  maxEndpointsPerSlice: number,
): DesiredSlice[] {
  const groups = new Map<string, DesiredSlice>();
  for (const pod of pods) {
    const ip = pod.status?.podIP ?? '';
    if (ip.includes(':')) continue; // addressType IPv4
    const ports = podPorts(pod, svc);
    if (!ports) continue;
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(podToEndpoint(pod, svc, nodeOf(pod.spec.nodeName ?? '')));
  }
  const out: DesiredSlice[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    g.endpoints.sort(
      (a, b) =>
        (a.addresses[0] ?? '').localeCompare(b.addresses[0] ?? '') ||
        (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? ''),
    );
    for (let i = 0; i < g.endpoints.length; i += maxEndpointsPerSlice)
      out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + maxEndpointsPerSlice) });
  }
  // The placeholder: a Service with nothing to serve still has one (empty) slice.
  if (!out.length) out.push({ ports: [], endpoints: [] });
  return out;
}

/** Pairs wanted slices with existing ones of the same port set, in name order. */
export function planSlices(
  desired: readonly DesiredSlice[],
  existing: readonly EndpointSlice[],
): {
  update: Array<[EndpointSlice, DesiredSlice]>;
  create: DesiredSlice[];
  remove: EndpointSlice[];
} {
  const pool = new Map<string, EndpointSlice[]>();
  for (const s of [...existing].sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  )) {
    const k = `${s.addressType}|${portsKey(s.ports)}`;
    pool.set(k, [...(pool.get(k) ?? []), s]);
  }
  const update: Array<[EndpointSlice, DesiredSlice]> = [];
  const create: DesiredSlice[] = [];
  for (const d of desired) {
    const reuse = pool.get(`${d.addressType ?? 'IPv4'}|${portsKey(d.ports)}`)?.shift();
    if (reuse) update.push([reuse, d]);
    else create.push(d);
  }
  return { update, create, remove: [...pool.values()].flat() };
}
