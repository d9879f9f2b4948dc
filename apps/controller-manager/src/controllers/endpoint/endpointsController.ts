/**
 * The endpoints controller (kubernetes pkg/controller/endpoint): for every Service with a
 * selector, an Endpoints object of the same name listing the matching pods — ready ones under
 * `addresses`, the others under `notReadyAddresses` (all of them ready with
 * publishNotReadyAddresses) — with hostname, nodeName and a targetRef to the pod, and per
 * service port the number its targetPort names on that pod. Pods whose named port resolves
 * differently land in different subsets (upstream's RepackSubsets). Selectorless Services are
 * left alone: their Endpoints belong to the user.
 *
 * sync(namespace/name): the Service gone deletes its Endpoints; otherwise the wanted subsets are
 * computed from the caches and written only when they (or the labels) differ, with the
 * `endpoints.kubernetes.io/last-change-trigger-time` annotation.
 */
import type {
  Clock,
  EndpointAddress,
  EndpointPort,
  Endpoints,
  EndpointSubset,
  Pod,
  Service,
} from '@kubeling/api';
import {
  deepEqual,
  endpointsKind,
  hasReason,
  podKind,
  realClock,
  serviceKind,
} from '@kubeling/api';
import type { Client, EventRecorder, SharedInformerFactory } from '@kubeling/client';
import { Controller, enqueueObject, splitKey } from '@kubeling/client';
import {
  enqueueServicesOfPod,
  findPort,
  HeadlessServiceLabel,
  isHeadless,
  lastChangeTriggerTime,
  LastChangeTriggerTime,
  podHostname,
  podReadyForService,
  podsForService,
  serviceSelector,
  shouldPodBeInEndpoints,
} from '../../util/endpoint';

export interface EndpointsControllerOptions {
  client: Client;
  factory: SharedInformerFactory;
  recorder: EventRecorder;
  workers?: number;
  clock?: Clock;
  onError?: (key: string, err: unknown) => void;
}

export class EndpointsController {
  private readonly opts: EndpointsControllerOptions;
  private readonly controller: Controller;
  private readonly services;
  private readonly pods;
  private readonly endpoints;

  constructor(opts: EndpointsControllerOptions) {
    this.opts = opts;
    const { factory } = opts;
    this.services = factory.informerFor<Service>(serviceKind);
    this.pods = factory.informerFor<Pod>(podKind);
    this.endpoints = factory.informerFor<Endpoints>(endpointsKind);
    this.controller = new Controller({
      name: 'endpoint',
      workers: opts.workers ?? 5,
      clock: opts.clock ?? realClock,
      reconcile: (key) => this.sync(key),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
    const enqueue = this.controller.enqueueKey;
    this.controller.watch(this.services, enqueueObject(enqueue));
    this.controller.watch(this.pods, enqueueServicesOfPod(this.services, enqueue));
    // An Endpoints object edited or deleted by someone else is put back.
    this.controller.watch(this.endpoints, enqueueObject(enqueue));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ns = namespace ?? '';
    const client = this.opts.client.resource(endpointsKind).namespace(ns);
    const svc = this.services.store.getObject(ns, name);
    const current = this.endpoints.store.getObject(ns, name);
    if (!svc) {
      if (!current) return;
      try {
        await client.delete(name, { preconditions: { uid: current.metadata.uid ?? '' } });
      } catch (e) {
        if (!hasReason(e, 'NotFound') && !hasReason(e, 'Conflict')) throw e;
      }
      return;
    }
    // Selectorless: the user's Endpoints (mirrored to slices by endpointslicemirroring).
    if (!serviceSelector(svc)) return;

    const pods = podsForService(this.pods, svc).filter((p) => shouldPodBeInEndpoints(p, false));
    const { subsets, truncated } = truncateEndpoints(endpointSubsets(svc, pods), MaxEndpoints);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (isHeadless(svc)) labels[HeadlessServiceLabel] = '';
    else delete labels[HeadlessServiceLabel];

    const wasTruncated = current?.metadata.annotations?.[OverCapacity] === 'truncated';
    if (
      current &&
      deepEqual(current.subsets ?? [], subsets) &&
      deepEqual(current.metadata.labels ?? {}, labels) &&
      wasTruncated === truncated
    )
      return;
    const annotations = { ...(current?.metadata.annotations ?? {}) };
    if (truncated) annotations[OverCapacity] = 'truncated';
    else delete annotations[OverCapacity];
    const trigger = lastChangeTriggerTime(svc, pods);
    if (trigger) annotations[LastChangeTriggerTime] = trigger;
    try {
      if (!current) {
        await client.create({
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name, namespace: ns, labels, annotations },
          subsets,
        } as Endpoints);
      } else {
        const next = structuredClone(current);
        next.metadata.labels = labels;
        next.metadata.annotations = annotations;
        next.subsets = subsets;
        await client.update(next);
      }
    } catch (e) {
      // Upstream's events; a namespace being deleted refuses new content, which is expected.
      if (!hasReason(e, 'Forbidden') || !String((e as Error).message).includes('terminat'))
        this.opts.recorder.eventf(
          svc,
          'Warning',
          current ? 'FailedToUpdateEndpoint' : 'FailedToCreateEndpoint',
          'Failed to %s endpoint %v/%v: %v',
          current ? 'update' : 'create',
          ns,
          name,
          (e as Error).message,
        );
      throw e;
    }
  }
}

/** maxCapacity: an Endpoints object lists at most this many addresses. */
export const MaxEndpoints = 1000;
/** Set to "truncated" on an Endpoints object holding only the first MaxEndpoints addresses. */
export const OverCapacity = 'endpoints.kubernetes.io/over-capacity';

/**
 * At most `max` addresses: ready ones first, then not-ready ones, in subset order (upstream
 * spreads the cut over the subsets in proportion; the rule "ready first" is the same).
 */
export function truncateEndpoints(
  subsets: EndpointSubset[],
  max: number,
): { subsets: EndpointSubset[]; truncated: boolean } {
  const total = subsets.reduce(
    (n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0),
    0,
  );
  if (total <= max) return { subsets, truncated: false };
  let left = max;
  const out = subsets.map((s) => ({ ...s }));
  for (const list of ['addresses', 'notReadyAddresses'] as const)
    for (const s of out) {
      const items = s[list];
      if (!items) continue;
      const kept = items.slice(0, left);
      left -= kept.length;
      if (kept.length) s[list] = kept;
      else delete s[list];
    }
  return {
    subsets: out.filter((s) => s.addresses?.length || s.notReadyAddresses?.length),
    truncated: true,
  };
}

/**
 * The subsets for these pods: one address per pod, grouped by the ports it resolves to, each
 * subset's addresses sorted by IP and ports by name (upstream's RepackSubsets + SortSubsets).
 */
export function endpointSubsets(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const bySignature = new Map<string, EndpointSubset>();
  const servicePorts = svc.spec?.ports ?? [];
  for (const pod of pods) {
    const address: EndpointAddress = {
      ip: pod.status?.podIP ?? '',
      ...(podHostname(pod, svc) ? { hostname: podHostname(pod, svc) } : {}),
      ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: {
        kind: 'Pod',
        namespace: pod.metadata.namespace ?? '',
        name: pod.metadata.name ?? '',
        uid: pod.metadata.uid ?? '',
      },
    } as EndpointAddress;
    const ports: EndpointPort[] = [];
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      // A named targetPort this pod does not have: the pod does not serve that port.
      if (port === undefined) continue;
      ports.push({
        ...(sp.name ? { name: sp.name } : {}),
        port,
        protocol: sp.protocol ?? 'TCP',
        ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
      } as EndpointPort);
    }
    // A headless Service without ports still lists its pods; others need a port.
    if (servicePorts.length && !ports.length) continue;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const sig = JSON.stringify(ports);
    let subset = bySignature.get(sig);
    if (!subset) bySignature.set(sig, (subset = ports.length ? { ports } : {}));
    const list = podReadyForService(pod, svc) ? 'addresses' : 'notReadyAddresses';
    (subset[list] ??= []).push(address);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress) =>
    a.ip.localeCompare(b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
  const subsets = [...bySignature.values()];
  for (const s of subsets) {
    s.addresses?.sort(byIp);
    s.notReadyAddresses?.sort(byIp);
  }
  return subsets.sort((a, b) =>
    JSON.stringify(a.ports ?? []).localeCompare(JSON.stringify(b.ports ?? [])),
  );
}
