/**
 * What the endpoints, endpointslice and endpointslicemirroring controllers share (upstream's
 * pkg/controller/util/endpoint and pkg/api/v1/pod's port lookup): which pods back a Service,
 * how a service port's targetPort becomes a number on a given pod, and the trigger time.
 */
import type { KubeObject, Pod, Service, ServicePort } from '@kubeling/api';
import { labelSelectorAsSelector } from '@kubeling/api';
import type { EventHandler, SharedInformer } from '@kubeling/client';
import { getPodReadyCondition, isPodReady, lastKnownState, NamespaceIndex } from '@kubeling/client';

/** The annotation on Endpoints and EndpointSlices: when the change they reflect happened. */
export const LastChangeTriggerTime = 'endpoints.kubernetes.io/last-change-trigger-time';
/** On the Endpoints/EndpointSlices of a headless Service (clusterIP None). */
export const HeadlessServiceLabel = 'service.kubernetes.io/headless';

export const isHeadless = (svc: Service) => svc.spec?.clusterIP === 'None';

/** The Service's selector as a label selector; undefined when it has none (selectorless). */
export function serviceSelector(svc: Service) {
  const sel = svc.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return labelSelectorAsSelector({ matchLabels: sel });
}

/**
 * ShouldPodBeInEndpoints: a pod with an IP that has not finished; a pod being deleted only
 * when `includeTerminating` (EndpointSlices carry terminating endpoints, Endpoints do not).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** The pods of `svc`'s namespace its selector matches. */
export function podsForService(pods: SharedInformer<Pod>, svc: Service): Pod[] {
  const sel = serviceSelector(svc);
  if (!sel) return [];
  return pods.store
    .byIndex(NamespaceIndex, svc.metadata.namespace ?? '')
    .filter((p) => sel.matches(p.metadata.labels ?? {}));
}

/**
 * FindPort: the service port's target on this pod — a number as is, a name looked up among the
 * pod's container ports of the same protocol. Undefined when the pod has no such port.
 */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec.containers ?? [])
    for (const cp of c.ports ?? [])
      if (cp.name === target && (cp.protocol ?? 'TCP') === protocol) return cp.containerPort;
  return undefined;
}

/** The hostname a pod gets in the Service's DNS: its spec.hostname when its subdomain is the Service. */
export function podHostname(pod: Pod, svc: Service): string | undefined {
  return pod.spec.hostname &&
    pod.spec.subdomain === svc.metadata.name &&
    pod.metadata.namespace === svc.metadata.namespace
    ? pod.spec.hostname
    : undefined;
}

/** isPodReady, or every pod when the Service publishes not-ready addresses. */
export const podReadyForService = (pod: Pod, svc: Service) =>
  !!svc.spec?.publishNotReadyAddresses || isPodReady(pod);

/**
 * The trigger time (upstream's TriggerTimeTracker, simplified to its observable rule): the
 * latest of the Service's creation and the Ready transitions of its pods; the annotation says
 * when the newest change the object reflects happened.
 */
export function lastChangeTriggerTime(svc: Service, pods: readonly Pod[]): string | undefined {
  let latest = svc.metadata.creationTimestamp;
  for (const p of pods) {
    const t = getPodReadyCondition(p)?.lastTransitionTime ?? p.metadata.creationTimestamp;
    if (t && (!latest || t > latest)) latest = t;
  }
  return latest;
}

/** A pod handler enqueueing the keys of the Services whose selectors match it, before and after. */
export function enqueueServicesOfPod(
  services: SharedInformer<Service>,
  enqueue: (key: string) => void,
): EventHandler<Pod> {
  const forPod = (pod: KubeObject) => {
    const ns = pod.metadata.namespace ?? '';
    for (const svc of services.store.byIndex(NamespaceIndex, ns)) {
      const sel = serviceSelector(svc);
      if (sel?.matches(pod.metadata.labels ?? {})) enqueue(`${ns}/${svc.metadata.name}`);
    }
  };
  return {
    onAdd: forPod,
    onUpdate: (old, pod) => {
      forPod(pod);
      forPod(old);
    },
    onDelete: (pod) => forPod(lastKnownState(pod)),
  };
}
