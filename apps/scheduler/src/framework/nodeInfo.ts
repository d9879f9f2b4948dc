/**
 * What the scheduler knows of one node (upstream's framework.NodeInfo): the Node, the pods on
 * it (bound and assumed), what they request in total — exactly and "non-zero" (the scheduling
 * defaults for containers without requests, used to score) — the host ports in use, and the
 * pods with (anti-)affinity, which InterPodAffinity reads.
 */
import type { Node, Pod, ResourceAmounts } from '@kubeling/api';
import { computePodRequests, nodeAllocatable } from '@kubeling/api';

export interface PodInfo {
  pod: Pod;
  key: string;
  requests: ResourceAmounts;
  nonZero: ResourceAmounts;
  hostPorts: HostPort[];
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export function podKeyOf(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

export function newPodInfo(pod: Pod): PodInfo {
  const hostPorts: HostPort[] = [];
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers])
    for (const p of c.ports ?? [])
      if (p.hostPort && p.hostPort > 0)
        hostPorts.push({
          ip: p.hostIP || '0.0.0.0',
          protocol: p.protocol || 'TCP',
          port: p.hostPort,
        });
  return {
    pod,
    key: podKeyOf(pod),
    requests: computePodRequests(pod.spec),
    nonZero: computePodRequests(pod.spec, { nonZero: true }),
    hostPorts,
  };
}

function hasAffinity(pod: Pod): boolean {
  const a = pod.spec.affinity;
  return !!(a?.podAffinity || a?.podAntiAffinity);
}

export class NodeInfo {
  node: Node | undefined;
  allocatable: ResourceAmounts = {};
  readonly pods = new Map<string, PodInfo>();
  /** Pods with pod affinity or anti-affinity terms. */
  readonly podsWithAffinity = new Map<string, PodInfo>();
  requested: ResourceAmounts = {};
  nonZeroRequested: ResourceAmounts = {};
  /** Bumped on every change (a scheduling cycle may cache per-node results by it). */
  generation = 0;

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  get name(): string {
    return this.node?.metadata.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.generation++;
  }

  addPod(info: PodInfo): void {
    this.removePod(info.key);
    this.pods.set(info.key, info);
    if (hasAffinity(info.pod)) this.podsWithAffinity.set(info.key, info);
    for (const [k, v] of Object.entries(info.requests))
      this.requested[k] = (this.requested[k] ?? 0) + v;
    for (const [k, v] of Object.entries(info.nonZero))
      this.nonZeroRequested[k] = (this.nonZeroRequested[k] ?? 0) + v;
    this.generation++;
  }

  removePod(key: string): boolean {
    const info = this.pods.get(key);
    if (!info) return false;
    this.pods.delete(key);
    this.podsWithAffinity.delete(key);
    for (const [k, v] of Object.entries(info.requests))
      this.requested[k] = (this.requested[k] ?? 0) - v;
    for (const [k, v] of Object.entries(info.nonZero))
      this.nonZeroRequested[k] = (this.nonZeroRequested[k] ?? 0) - v;
    this.generation++;
    return true;
  }

  /** Host ports used on this node by its pods. */
  *usedPorts(): Iterable<HostPort> {
    for (const p of this.pods.values()) yield* p.hostPorts;
  }

  /** A copy with the same node and pods (preemption removes victims from it). */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.allocatable = this.allocatable;
    for (const p of this.pods.values()) c.addPod(p);
    return c;
  }
}
