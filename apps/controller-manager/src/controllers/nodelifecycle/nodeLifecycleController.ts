/**
 * The node lifecycle controller (kubernetes pkg/controller/nodelifecycle): watches node health
 * through each node's Lease in kube-node-lease (and its status heartbeats) and
 *
 * - monitorNodeHealth: every --node-monitor-period a node is looked at; when neither its Lease
 *   was renewed nor its status posted for --node-monitor-grace-period (--node-startup-grace-period
 *   for a node that never reported Ready), every condition it has goes Unknown (reason
 *   NodeStatusUnknown, "Kubelet stopped posting node status."; one it never posted gets
 *   NodeStatusNeverUpdated, "Kubelet never posted node status."), with a NodeNotReady event;
 * - marks the pods of a node that is not Ready as Ready=False (MarkPodsNotReady, event
 *   NodeNotReady on each pod);
 * - taints: node.kubernetes.io/not-ready:NoExecute for Ready=False, unreachable:NoExecute for
 *   Ready=Unknown (the taint-eviction controller evicts by them), and the NoSchedule taints of
 *   TaintNodesByCondition (./taints.ts).
 *
 * "Renewed" is judged on this controller's clock, as upstream's probeTimestamp: the time at
 * which it saw the renewTime or heartbeat change, so skew between kubelet and controller clocks
 * does not matter. Zone disruption (./disruption.ts) decides whether NoExecute taints are
 * added; eviction rate limits (--node-eviction-rate) are left out.
 */
import type { Clock, Lease, Node, NodeCondition, Pod } from '@kubeling/api';
import {
  deepEqual,
  hasReason,
  leaseKind,
  nodeKind,
  podKind,
  realClock,
  rfc3339,
} from '@kubeling/api';
import type {
  Client,
  EventRecorder,
  ReconcileResult,
  SharedInformerFactory,
} from '@kubeling/client';
import {
  Controller,
  enqueueObject,
  indexByNodeName,
  isPodReady,
  lastKnownState,
  NodeNameIndex,
} from '@kubeling/client';
import { noExecutePolicy } from './disruption';
import { reconcileTaints } from './taints';

export const NodeLeaseNamespace = 'kube-node-lease';
/** The conditions a kubelet posts, which all go Unknown with it. */
const nodeConditionTypes = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export interface NodeLifecycleOptions {
  client: Client;
  factory: SharedInformerFactory;
  recorder: EventRecorder;
  nodeMonitorPeriodMs?: number;
  nodeMonitorGracePeriodMs?: number;
  nodeStartupGracePeriodMs?: number;
  /** --unhealthy-zone-threshold (0.55) and --large-cluster-size-threshold (50): ./disruption.ts. */
  unhealthyZoneThreshold?: number;
  largeClusterSizeThreshold?: number;
  clock?: Clock;
  onError?: (key: string, err: unknown) => void;
}

interface Health {
  /** When this controller last saw the node alive (its clock). */
  probe: number;
  heartbeat: string | undefined;
  renewTime: string | undefined;
}

export class NodeLifecycleController {
  private readonly opts: NodeLifecycleOptions;
  private readonly clock: Clock;
  private readonly controller: Controller;
  private readonly nodes;
  private readonly leases;
  private readonly pods;
  private readonly health = new Map<string, Health>();

  constructor(opts: NodeLifecycleOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.nodes = opts.factory.informerFor<Node>(nodeKind);
    this.leases = opts.factory.informerFor<Lease>(leaseKind, { namespace: NodeLeaseNamespace });
    this.pods = opts.factory.informerFor<Pod>(podKind, {
      indexers: { [NodeNameIndex]: indexByNodeName },
    });
    this.controller = new Controller({
      name: 'node-lifecycle',
      workers: 1,
      clock: this.clock,
      reconcile: (name) => this.sync(name),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
    const enqueue = this.controller.enqueueKey;
    this.controller.watch(this.nodes, enqueueObject(enqueue));
    // A lease is named after its node.
    this.controller.watch(this.leases, {
      onAdd: (l) => enqueue(l.metadata.name ?? ''),
      onUpdate: (_o, l) => enqueue(l.metadata.name ?? ''),
      onDelete: (l) => enqueue(lastKnownState(l).metadata.name ?? ''),
    });
    this.controller.watch(this.pods, {
      onAdd: (p) => {
        // A pod landing on a node already not Ready is marked at once.
        if (p.spec.nodeName) enqueue(p.spec.nodeName);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }

  private get period() {
    return this.opts.nodeMonitorPeriodMs ?? 5_000;
  }

  async sync(name: string): Promise<ReconcileResult | void> {
    const node = this.nodes.store.get(name);
    if (!node) {
      this.health.delete(name);
      return;
    }
    const now = this.clock.now();
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const renewTime = this.leases.store.getObject(NodeLeaseNamespace, name)?.spec?.renewTime;
    const heartbeat = ready?.lastHeartbeatTime;
    const seen = this.health.get(name);
    // First sight, or a renewal / status post since: the node is alive now.
    if (!seen || seen.renewTime !== renewTime || seen.heartbeat !== heartbeat)
      this.health.set(name, { probe: now, heartbeat, renewTime });
    const health = this.health.get(name)!;
    let current = node;
    if (now > health.probe + this.grace(node)) current = await this.markUnknown(node, now);
    const readyNow = current.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    if (readyNow && readyNow !== 'True') await this.markPodsNotReady(current, now);
    await this.writeTaints(current, now);
    return { requeueAfter: this.period };
  }

  /** The node's grace period: the startup one until it ever posted Ready. */
  private grace(node: Node): number {
    return node.status?.conditions?.some((c) => c.type === 'Ready')
      ? (this.opts.nodeMonitorGracePeriodMs ?? 50_000)
      : (this.opts.nodeStartupGracePeriodMs ?? 60_000);
  }

  /** Seen alive longer ago than its grace period (whether or not its sync has marked it yet). */
  private expired(node: Node, now: number): boolean {
    const h = this.health.get(node.metadata.name ?? '');
    if (!h) return false;
    const renewTime = this.leases.store.getObject(NodeLeaseNamespace, node.metadata.name ?? '')
      ?.spec?.renewTime;
    const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    if (renewTime !== h.renewTime || heartbeat !== h.heartbeat) return false;
    return now > h.probe + this.grace(node);
  }

  /** tryUpdateNodeHealth: every posted condition Unknown; those never posted added as Unknown. */
  private async markUnknown(node: Node, now: number): Promise<Node> {
    const stamp = rfc3339(now);
    const conditions = structuredClone(node.status?.conditions ?? []);
    let changed = false;
    const wasReady = conditions.find((c) => c.type === 'Ready')?.status === 'True';
    for (const type of nodeConditionTypes) {
      const c = conditions.find((x) => x.type === type);
      if (!c) {
        conditions.push({
          type,
          status: 'Unknown',
          reason: 'NodeStatusNeverUpdated',
          message: 'Kubelet never posted node status.',
          lastHeartbeatTime: node.metadata.creationTimestamp ?? stamp,
          lastTransitionTime: stamp,
        } as NodeCondition);
        changed = true;
      } else if (c.status !== 'Unknown') {
        c.status = 'Unknown';
        c.reason = 'NodeStatusUnknown';
        c.message = 'Kubelet stopped posting node status.';
        c.lastTransitionTime = stamp;
        changed = true;
      }
    }
    if (!changed) return node;
    const next = structuredClone(node);
    next.status = { ...next.status, conditions };
    const written = await this.opts.client.resource(nodeKind).updateStatus(next);
    // What the kubelet last posted is what this controller just wrote over: not a heartbeat.
    const h = this.health.get(node.metadata.name ?? '');
    if (h)
      h.heartbeat = written.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    if (wasReady)
      this.opts.recorder.eventf(
        nodeRef(node),
        'Normal',
        'NodeNotReady',
        'Node %s status is now: %s',
        node.metadata.name,
        'NodeNotReady',
      );
    return written;
  }

  /** MarkPodsNotReady: the pods of a node that is not Ready stop being Ready. */
  private async markPodsNotReady(node: Node, now: number): Promise<void> {
    const pods = this.opts.client.resource(podKind);
    for (const pod of this.pods.store.byIndex(NodeNameIndex, node.metadata.name ?? '')) {
      if (!isPodReady(pod)) continue;
      const next = structuredClone(pod);
      for (const c of next.status?.conditions ?? [])
        if (c.type === 'Ready') {
          c.status = 'False';
          c.lastTransitionTime = rfc3339(now);
        }
      try {
        await pods.namespace(pod.metadata.namespace ?? '').updateStatus(next);
      } catch (e) {
        if (hasReason(e, 'NotFound')) continue;
        throw e;
      }
      this.opts.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  private async writeTaints(node: Node, now: number): Promise<void> {
    // Every node as this sync sees it: the cache, with this node as just written and any
    // other node past its grace period as Unknown already. Upstream updates every node's
    // health before it computes the zone states; syncing per node, this is the same view.
    const nodes = this.nodes.store.list().map((n) => {
      if (n.metadata.name === node.metadata.name) return node;
      if (!this.expired(n, now)) return n;
      const unknown = structuredClone(n);
      for (const c of unknown.status?.conditions ?? [])
        if (c.type === 'Ready') c.status = 'Unknown';
      return unknown;
    });
    const policy = noExecutePolicy(node, nodes, {
      unhealthyZoneThreshold: this.opts.unhealthyZoneThreshold ?? 0.55,
      largeClusterSizeThreshold: this.opts.largeClusterSizeThreshold ?? 50,
    });
    const taints = reconcileTaints(node, rfc3339(now), policy);
    if (deepEqual(taints, node.spec?.taints ?? [])) return;
    try {
      await this.opts.client.resource(nodeKind).patch(node.metadata.name ?? '', 'merge', {
        metadata: { resourceVersion: node.metadata.resourceVersion },
        spec: { taints: taints.length ? taints : null },
      });
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }
}

function nodeRef(node: Node) {
  // Upstream records node events against the node's name as uid.
  return {
    apiVersion: 'v1',
    kind: 'Node',
    name: node.metadata.name ?? '',
    uid: node.metadata.name ?? '',
  };
}
