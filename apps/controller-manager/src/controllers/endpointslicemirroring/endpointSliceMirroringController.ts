/**
 * The EndpointSlice mirroring controller (kubernetes pkg/controller/endpointslicemirroring):
 * a Service without a selector has Endpoints written by its user; this controller mirrors
 * them into EndpointSlices, so consumers of slices (kube-proxy, DNS) see them too.
 *
 * Mirrored: Endpoints whose Service exists and has no selector, unless labelled
 * `endpointslice.kubernetes.io/skip-mirror: "true"`. Each subset becomes slices of its
 * address type (IPv4 or IPv6; other addresses are skipped) with the subset's ports, its
 * addresses ready and its notReadyAddresses not ready, at most
 * --mirroring-max-endpoints-per-subset endpoints each. The slices are labelled
 * `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by:
 * endpointslicemirroring-controller.k8s.io` (plus the Endpoints' labels), carry its annotations
 * (except kubectl's last-applied-configuration and the trigger time) and are owned by the
 * Endpoints object. When mirroring no longer applies, the mirrored slices are deleted.
 */
import type {
  Clock,
  Endpoint,
  EndpointSlice,
  EndpointSlicePort,
  Endpoints,
  Service,
} from '@kubeling/api';
import {
  deepEqual,
  endpointsKind,
  endpointSliceKind,
  hasReason,
  labelManagedBy,
  labelServiceName,
  realClock,
  serviceKind,
} from '@kubeling/api';
import type { Client, ResourceClient, SharedInformerFactory } from '@kubeling/client';
import {
  Controller,
  ControllerExpectations,
  enqueueObject,
  lastKnownState,
  NamespaceIndex,
  newControllerRef,
  splitKey,
} from '@kubeling/client';
import { serviceSelector } from '../../util/endpoint';
import type { DesiredSlice } from '../endpointslice/reconciler';
import { planSlices, portsKey } from '../endpointslice/reconciler';

export const mirroringControllerName = 'endpointslicemirroring-controller.k8s.io';
export const LabelSkipMirror = 'endpointslice.kubernetes.io/skip-mirror';
const droppedAnnotations = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'endpoints.kubernetes.io/last-change-trigger-time',
]);

export interface EndpointSliceMirroringOptions {
  client: Client;
  factory: SharedInformerFactory;
  maxEndpointsPerSubset?: number;
  workers?: number;
  clock?: Clock;
  onError?: (key: string, err: unknown) => void;
}

const addressType = (ip: string): 'IPv4' | 'IPv6' | undefined =>
  /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) ? 'IPv4' : ip.includes(':') ? 'IPv6' : undefined;

/** The slices an Endpoints object mirrors to: per subset and address type. */
export function mirroredSlices(ep: Endpoints, maxPerSlice: number): DesiredSlice[] {
  const out: DesiredSlice[] = [];
  for (const subset of ep.subsets ?? []) {
    const ports: EndpointSlicePort[] = (subset.ports ?? []).map(
      (p) =>
        ({
          name: p.name ?? '',
          port: p.port,
          protocol: p.protocol ?? 'TCP',
          ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
        }) as EndpointSlicePort,
    );
    const byType = new Map<string, Endpoint[]>();
    const add = (ready: boolean) => (a: NonNullable<typeof subset.addresses>[number]) => {
      const type = addressType(a.ip);
      if (!type) return;
      const e = {
        addresses: [a.ip],
        conditions: { ready },
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      } as Endpoint;
      byType.set(type, [...(byType.get(type) ?? []), e]);
    };
    (subset.addresses ?? []).forEach(add(true));
    (subset.notReadyAddresses ?? []).forEach(add(false));
    for (const [type, endpoints] of [...byType].sort(([a], [b]) => a.localeCompare(b)))
      for (let i = 0; i < endpoints.length; i += maxPerSlice)
        out.push({ addressType: type, ports, endpoints: endpoints.slice(i, i + maxPerSlice) });
  }
  return out.sort((a, b) =>
    `${a.addressType}|${portsKey(a.ports)}`.localeCompare(`${b.addressType}|${portsKey(b.ports)}`),
  );
}

export class EndpointSliceMirroringController {
  private readonly opts: EndpointSliceMirroringOptions;
  private readonly controller: Controller;
  private readonly expectations: ControllerExpectations;
  private readonly services;
  private readonly endpoints;
  private readonly slices;

  constructor(opts: EndpointSliceMirroringOptions) {
    this.opts = opts;
    const clock = opts.clock ?? realClock;
    this.services = opts.factory.informerFor<Service>(serviceKind);
    this.endpoints = opts.factory.informerFor<Endpoints>(endpointsKind);
    this.slices = opts.factory.informerFor<EndpointSlice>(endpointSliceKind, {
      labelSelector: `${labelManagedBy}=${mirroringControllerName}`,
    });
    this.expectations = new ControllerExpectations({ clock });
    this.controller = new Controller({
      name: 'endpointslicemirroring',
      workers: opts.workers ?? 5,
      clock,
      reconcile: (key) => this.sync(key),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
    const enqueue = this.controller.enqueueKey;
    this.controller.watch(this.services, enqueueObject(enqueue));
    this.controller.watch(this.endpoints, enqueueObject(enqueue));
    const serviceOf = (s: EndpointSlice) => {
      const name = s.metadata.labels?.[labelServiceName];
      return name ? `${s.metadata.namespace}/${name}` : undefined;
    };
    this.controller.watch(this.slices, {
      onAdd: (s) => {
        const key = serviceOf(s);
        if (!key) return;
        this.expectations.creationObserved(key);
        enqueue(key);
      },
      onUpdate: (_o, s) => {
        const key = serviceOf(s);
        if (key) enqueue(key);
      },
      onDelete: (s) => {
        const key = serviceOf(lastKnownState(s));
        if (key) enqueue(key);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ns = namespace ?? '';
    const svc = this.services.store.getObject(ns, name);
    const ep = this.endpoints.store.getObject(ns, name);
    const existing = this.slices.store
      .byIndex(NamespaceIndex, ns)
      .filter((s) => s.metadata.labels?.[labelServiceName] === name);
    const client = this.opts.client.resource(endpointSliceKind).namespace(ns);
    const mirror =
      svc && !serviceSelector(svc) && ep && ep.metadata.labels?.[LabelSkipMirror] !== 'true';
    if (!mirror) {
      this.expectations.deleteExpectations(key);
      for (const s of existing) await this.remove(client, s);
      return;
    }
    if (!this.expectations.satisfied(key)) return;

    const desired = mirroredSlices(ep, this.opts.maxEndpointsPerSubset ?? 1000);
    const plan = planSlices(desired, existing);
    const labels: Record<string, string> = {
      ...(ep.metadata.labels ?? {}),
      [labelServiceName]: name,
      [labelManagedBy]: mirroringControllerName,
    };
    const annotations = Object.fromEntries(
      Object.entries(ep.metadata.annotations ?? {}).filter(([k]) => !droppedAnnotations.has(k)),
    );
    const ownerReferences = [newControllerRef(ep, endpointsKind)];
    const build = (d: DesiredSlice, base?: EndpointSlice): EndpointSlice => {
      const s: EndpointSlice = base
        ? structuredClone(base)
        : ({
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { generateName: `${name.slice(0, 57)}-`, namespace: ns },
          } as EndpointSlice);
      s.metadata.labels = labels;
      s.metadata.annotations = annotations;
      s.metadata.ownerReferences = ownerReferences;
      s.addressType = d.addressType ?? 'IPv4';
      s.endpoints = d.endpoints;
      s.ports = d.ports;
      return s;
    };
    for (const [slice, d] of plan.update) {
      const next = build(d, slice);
      if (
        !deepEqual(slice.endpoints ?? [], next.endpoints) ||
        !deepEqual(slice.ports ?? [], next.ports) ||
        !deepEqual(slice.metadata.labels ?? {}, labels) ||
        !deepEqual(slice.metadata.annotations ?? {}, annotations) ||
        !deepEqual(slice.metadata.ownerReferences ?? [], ownerReferences)
      )
        await client.update(next);
    }
    if (plan.create.length) {
      this.expectations.expectCreations(key, plan.create.length);
      for (const d of plan.create) {
        try {
          await client.create(build(d));
        } catch (e) {
          this.expectations.creationObserved(key);
          throw e;
        }
      }
    }
    for (const s of plan.remove) await this.remove(client, s);
  }

  private async remove(client: ResourceClient<EndpointSlice>, s: EndpointSlice): Promise<void> {
    try {
      await client.delete(s.metadata.name ?? '', {
        preconditions: { uid: s.metadata.uid ?? '' },
      });
    } catch (e) {
      if (!hasReason(e, 'NotFound') && !hasReason(e, 'Conflict')) throw e;
    }
  }
}
