/**
 * The EndpointSlice controller (kubernetes pkg/controller/endpointslice): for every Service
 * with a selector, EndpointSlices (discovery.k8s.io/v1, addressType IPv4) listing its pods with
 * the conditions ready / serving / terminating, nodeName, zone (the node's
 * topology.kubernetes.io/zone label), hostname and targetRef, at most --max-endpoints-per-slice
 * per slice (./reconciler.ts). Each slice is labelled `kubernetes.io/service-name` and
 * `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`, owned by the
 * Service (so the garbage collector removes them with it, as upstream relies on), and
 * annotated with `endpoints.kubernetes.io/last-change-trigger-time`.
 *
 * Slices are created with generateName, so expectations keep a sync from creating them twice
 * before the informer has seen the first ones (upstream's endpointSliceTracker plays this part).
 */
import type { Clock, EndpointSlice, Node, Pod, Service } from '@kubeling/api';
import {
  deepEqual,
  endpointSliceControllerName,
  endpointSliceKind,
  hasReason,
  labelManagedBy,
  labelServiceName,
  nodeKind,
  podKind,
  realClock,
  serviceKind,
} from '@kubeling/api';
import type { Client, EventRecorder, SharedInformerFactory } from '@kubeling/client';
import {
  Controller,
  ControllerExpectations,
  enqueueObject,
  lastKnownState,
  NamespaceIndex,
  newControllerRef,
  splitKey,
} from '@kubeling/client';
import {
  enqueueServicesOfPod,
  HeadlessServiceLabel,
  isHeadless,
  lastChangeTriggerTime,
  LastChangeTriggerTime,
  podsForService,
  serviceSelector,
  shouldPodBeInEndpoints,
} from '../../util/endpoint';
import type { DesiredSlice } from './reconciler';
import { desiredSlices, planSlices } from './reconciler';

export interface EndpointSliceControllerOptions {
  client: Client;
  factory: SharedInformerFactory;
  recorder: EventRecorder;
  maxEndpointsPerSlice?: number;
  workers?: number;
  clock?: Clock;
  onError?: (key: string, err: unknown) => void;
}

export class EndpointSliceController {
  private readonly opts: EndpointSliceControllerOptions;
  private readonly controller: Controller;
  private readonly expectations: ControllerExpectations;
  private readonly services;
  private readonly pods;
  private readonly nodes;
  private readonly slices;

  constructor(opts: EndpointSliceControllerOptions) {
    this.opts = opts;
    const { factory } = opts;
    const clock = opts.clock ?? realClock;
    this.services = factory.informerFor<Service>(serviceKind);
    this.pods = factory.informerFor<Pod>(podKind);
    this.nodes = factory.informerFor<Node>(nodeKind);
    this.slices = factory.informerFor<EndpointSlice>(endpointSliceKind, {
      labelSelector: `${labelManagedBy}=${endpointSliceControllerName}`,
    });
    this.expectations = new ControllerExpectations({ clock });
    this.controller = new Controller({
      name: 'endpointslice',
      workers: opts.workers ?? 5,
      clock,
      reconcile: (key) => this.sync(key),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
    const enqueue = this.controller.enqueueKey;
    this.controller.watch(this.services, enqueueObject(enqueue));
    this.controller.watch(this.pods, enqueueServicesOfPod(this.services, enqueue));
    const serviceOf = (s: EndpointSlice) => {
      const svc = s.metadata.labels?.[labelServiceName];
      return svc ? `${s.metadata.namespace}/${svc}` : undefined;
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
    // A node's zone label is what its endpoints carry.
    this.controller.watch(this.nodes, {
      onUpdate: (old, n) => {
        if (
          old.metadata.labels?.['topology.kubernetes.io/zone'] ===
          n.metadata.labels?.['topology.kubernetes.io/zone']
        )
          return;
        for (const svc of this.services.store.list())
          enqueue(`${svc.metadata.namespace}/${svc.metadata.name}`);
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
    if (!svc) {
      // Its slices are owned by it: the garbage collector removes them, as upstream relies on.
      this.expectations.deleteExpectations(key);
      return;
    }
    if (!serviceSelector(svc)) return;
    if (!this.expectations.satisfied(key)) return;

    const pods = podsForService(this.pods, svc).filter((p) => shouldPodBeInEndpoints(p, true));
    const desired = desiredSlices(
      svc,
      pods,
      (n) => this.nodes.store.get(n),
      this.opts.maxEndpointsPerSlice ?? 100,
    );
    const existing = this.slices.store
      .byIndex(NamespaceIndex, ns)
      .filter((s) => s.metadata.labels?.[labelServiceName] === name);
    const plan = planSlices(desired, existing);

    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    labels[labelServiceName] = name;
    labels[labelManagedBy] = endpointSliceControllerName;
    if (isHeadless(svc)) labels[HeadlessServiceLabel] = '';
    else delete labels[HeadlessServiceLabel];
    const ownerReferences = [newControllerRef(svc, serviceKind)];
    const trigger = lastChangeTriggerTime(svc, pods);
    const client = this.opts.client.resource(endpointSliceKind).namespace(ns);
    const build = (d: DesiredSlice, base?: EndpointSlice): EndpointSlice => {
      const s: EndpointSlice = base
        ? structuredClone(base)
        : ({
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { generateName: `${name.slice(0, 57)}-`, namespace: ns },
          } as EndpointSlice);
      s.metadata.labels = labels;
      s.metadata.ownerReferences = ownerReferences;
      s.metadata.annotations = {
        ...(s.metadata.annotations ?? {}),
        ...(trigger ? { [LastChangeTriggerTime]: trigger } : {}),
      };
      s.addressType = 'IPv4';
      s.endpoints = d.endpoints;
      s.ports = d.ports;
      return s;
    };

    try {
      for (const [slice, d] of plan.update) {
        const same =
          deepEqual(slice.endpoints ?? [], d.endpoints) &&
          deepEqual(slice.ports ?? [], d.ports) &&
          deepEqual(slice.metadata.labels ?? {}, labels) &&
          deepEqual(slice.metadata.ownerReferences ?? [], ownerReferences) &&
          slice.addressType === 'IPv4';
        if (!same) await client.update(build(d, slice));
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
      for (const s of plan.remove) {
        try {
          await client.delete(s.metadata.name ?? '', {
            preconditions: { uid: s.metadata.uid ?? '' },
          });
        } catch (e) {
          if (!hasReason(e, 'NotFound')) throw e;
        }
      }
    } catch (e) {
      const terminating =
        hasReason(e, 'Forbidden') && String((e as Error).message).includes('terminat');
      if (!terminating)
        this.opts.recorder.eventf(
          svc,
          'Warning',
          'FailedToUpdateEndpointSlices',
          'Error updating Endpoint Slices for Service %s/%s: %v',
          ns,
          name,
          (e as Error).message,
        );
      throw e;
    }
  }
}
