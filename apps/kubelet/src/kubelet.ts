/**
 * The kubelet of one process: one node, or many hollow nodes sharing one connection, one pod
 * informer and one runtime. It registers each node, keeps their Leases and status fresh, and
 * runs a PodWorker per pod bound to them.
 *
 * What a node sees: with one node, the informer watches `spec.nodeName=<node>` only, so the
 * api-server never sends it another node's pods (upstream's field selector). With many, one
 * informer watches every bound pod and a single handler dispatches on spec.nodeName through a
 * map (the NodeNameIndex of the cache serves per-node lookups) — one watch instead of 1,000.
 *
 * A restarted kubelet adopts what the runtime still runs (its containers keep running and keep
 * their restart counts) and, once the informer synced, stops what no longer has a pod.
 */
import type { Clock, Pod } from '@kubeling/api';
import { hasReason, nodeKind, podKind, realClock } from '@kubeling/api';
import type {
  Client,
  EventRecorder,
  SharedInformer,
  SharedInformerFactory,
} from '@kubeling/client';
import {
  dropManagedFields,
  isTombstone,
  lastKnownState,
  NodeNameIndex,
  indexByNodeName,
} from '@kubeling/client';
import type { Logger } from '@kubeling/runtime';
import type { NodeConfig } from './node/config';
import { NodeLeases } from './node/lease';
import { NodeStatusReporter } from './node/nodeStatus';
import { PodIPAllocator } from './pod/ipam';
import { PodWorker } from './pod/podWorker';
import { StatusManager } from './pod/statusManager';
import type { AdoptedPod, ContainerRuntime } from './runtime/runtime';
import type { StreamingRuntime } from './server/streamingRuntime';

/** A pod the node refuses (admission: resources, node affinity, taints ...), with upstream's reason. */
export interface AdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

export interface KubeletOptions {
  client: Client;
  /** Node status and Leases (default `client`); upstream's unthrottled heartbeat client. */
  heartbeatClient?: Client;
  factory: SharedInformerFactory;
  log: Logger;
  recorder: EventRecorder;
  nodes: NodeConfig[];
  /** One runtime for every node, or one per node (process runtime). */
  runtimeFor(
    node: NodeConfig,
    lookupPod: (namespace: string, name: string) => Pod | undefined,
  ): ContainerRuntime;
  clock?: Clock;
  nodeStatusUpdateFrequencyMs?: number;
  nodeStatusReportFrequencyMs?: number;
  nodeLeaseDurationSeconds?: number;
  /** Node admission, wired by the caller (upstream's lifecycle admit handlers). */
  admitPod?(pod: Pod, node: NodeConfig, activePods: Pod[]): AdmitResult;
}

interface NodeState {
  cfg: NodeConfig;
  runtime: ContainerRuntime;
  ipam: PodIPAllocator;
  workers: Map<string, PodWorker>;
  adopted: Map<string, AdoptedPod>;
  /** Pods refused by admission (uid), so they are not admitted on a later update. */
  rejected: Set<string>;
}

export class Kubelet {
  private readonly clock: Clock;
  private readonly nodes = new Map<string, NodeState>();
  private readonly statusManager: StatusManager;
  private readonly reporter: NodeStatusReporter;
  private readonly leases: NodeLeases;
  private pods!: SharedInformer<Pod>;

  constructor(private readonly opts: KubeletOptions) {
    this.clock = opts.clock ?? realClock;
    this.statusManager = new StatusManager(opts.client, opts.log);
    for (const cfg of opts.nodes) {
      const runtime = opts.runtimeFor(cfg, (ns, name) => this.lookupPod(cfg.name, ns, name));
      this.nodes.set(cfg.name, {
        cfg,
        runtime,
        ipam: new PodIPAllocator(cfg.podCIDR),
        workers: new Map(),
        adopted: new Map(),
        rejected: new Set(),
      });
    }
    this.reporter = new NodeStatusReporter({
      client: opts.heartbeatClient ?? opts.client,
      log: opts.log,
      recorder: opts.recorder,
      clock: this.clock,
      runtimeVersion: [...this.nodes.values()][0]?.runtime.version ?? '',
      images: (node) => this.nodes.get(node)?.runtime.images(node) ?? [],
      ...(opts.nodeStatusUpdateFrequencyMs
        ? { updateFrequencyMs: opts.nodeStatusUpdateFrequencyMs }
        : {}),
      ...(opts.nodeStatusReportFrequencyMs
        ? { reportFrequencyMs: opts.nodeStatusReportFrequencyMs }
        : {}),
    });
    this.leases = new NodeLeases({
      client: opts.heartbeatClient ?? opts.client,
      log: opts.log,
      clock: this.clock,
      ...(opts.nodeLeaseDurationSeconds
        ? { leaseDurationSeconds: opts.nodeLeaseDurationSeconds }
        : {}),
    });
  }

  /** The StreamingRuntime serving a node's pods (the kubelet server's backend). */
  streamingRuntime(node: string): StreamingRuntime | undefined {
    return this.nodes.get(node)?.runtime.streaming;
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  /** Registers the nodes, then runs their pods until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { log } = this.opts;
    // Adopt before any pod event: a pod seen first must find its containers.
    for (const n of this.nodes.values()) {
      for (const a of await n.runtime.adopt(n.cfg.name)) {
        n.adopted.set(a.uid, a);
        n.ipam.reserve(a.podIP);
      }
      if (n.adopted.size)
        log.info('adopting running pods', { node: n.cfg.name, pods: n.adopted.size });
    }
    // Register nodes, a few at a time (1,000 hollow nodes must not be 1,000 requests at once).
    const queue = [...this.nodes.values()];
    await Promise.all(
      Array.from({ length: Math.min(16, queue.length) }, async () => {
        for (let n = queue.shift(); n && !signal.aborted; n = queue.shift()) {
          const node = await this.reporter.register(n.cfg, signal);
          this.leases.add(n.cfg.name, node.metadata.uid ?? '');
        }
      }),
    );
    const single = this.nodes.size === 1 ? [...this.nodes.keys()][0] : undefined;
    this.pods = this.opts.factory.informerFor<Pod>(podKind, {
      fieldSelector: single ? `spec.nodeName=${single}` : 'spec.nodeName!=',
      indexers: { [NodeNameIndex]: indexByNodeName },
      transform: dropManagedFields,
    });
    const reg = this.pods.addEventHandler({
      onAdd: (p) => this.onPod(p),
      onUpdate: (_old, p) => this.onPod(p),
      onDelete: (p) => {
        const pod = isTombstone(p) ? lastKnownState(p) : p;
        if (!pod) return;
        const n = this.nodes.get(pod.spec.nodeName ?? '');
        n?.workers.get(pod.metadata.uid ?? '')?.removed();
        this.statusManager.forget(pod.metadata.uid ?? '');
      },
    });
    this.opts.factory.start();
    await this.pods.waitForSync(signal);
    void reg;
    // Orphans: what a previous kubelet ran for pods that no longer exist.
    for (const n of this.nodes.values()) {
      for (const [uid, a] of n.adopted) {
        if (n.workers.has(uid)) continue;
        log.info('cleaning up orphaned pod', { node: n.cfg.name, uid });
        await Promise.all(a.containers.map((c) => c.running.stop(0)));
        await n.runtime.removeSandbox(uid);
        n.ipam.release(a.podIP);
      }
      n.adopted.clear();
    }
    log.info('kubelet running', { nodes: this.nodes.size });
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    // Pods keep running across a kubelet stop (as upstream's containers do); only heartbeats end.
    this.leases.stop();
    this.reporter.stop();
  }

  /** A pod bound to any node of this process. */
  findPod(namespace: string, name: string): Pod | undefined {
    const p = this.pods?.store.getObject(namespace, name);
    return p && this.nodes.has(p.spec.nodeName ?? '') ? p : undefined;
  }

  private lookupPod(node: string, namespace: string, name: string): Pod | undefined {
    const p = this.pods?.store.getObject(namespace, name);
    return p && p.spec.nodeName === node ? p : undefined;
  }

  private onPod(pod: Pod): void {
    const n = this.nodes.get(pod.spec.nodeName ?? '');
    if (!n) return;
    const uid = pod.metadata.uid ?? '';
    let w = n.workers.get(uid);
    if (!w) {
      if (n.rejected.has(uid)) return;
      const phase = pod.status?.phase;
      const adopted = n.adopted.get(uid);
      if ((phase === 'Succeeded' || phase === 'Failed') && !adopted) {
        // A finished pod: nothing to run; a deleted one only needs its object removed.
        if (pod.metadata.deletionTimestamp) void this.deletePod(pod);
        return;
      }
      if (!adopted && this.opts.admitPod && !pod.metadata.deletionTimestamp) {
        const active = n.workers.size
          ? [...n.workers.keys()]
              .map((u) => this.pods.store.list().find((p) => p.metadata.uid === u))
              .filter((p): p is Pod => !!p)
          : [];
        const r = this.opts.admitPod(pod, n.cfg, active);
        if (!r.admit) {
          n.rejected.add(uid);
          this.opts.recorder.event(
            {
              apiVersion: 'v1',
              kind: 'Pod',
              name: pod.metadata.name ?? '',
              namespace: pod.metadata.namespace ?? '',
              uid,
            },
            'Warning',
            r.reason ?? 'Rejected',
            r.message ?? '',
          );
          void this.statusManager.setStatus(pod, {
            ...(pod.status ?? {}),
            phase: 'Failed',
            reason: r.reason ?? 'Rejected',
            message: r.message ?? '',
          });
          return;
        }
      }
      w = new PodWorker(pod, {
        runtime: n.runtime,
        clock: this.clock,
        log: this.opts.log,
        recorder: this.opts.recorder,
        nodeName: n.cfg.name,
        nodeIP: n.cfg.nodeIP,
        allocateIP: () => n.ipam.allocate(),
        releaseIP: (ip) => n.ipam.release(ip),
        setStatus: (p, s) => this.statusManager.setStatus(p, s),
        deletePod: (p) => this.deletePod(p),
        onFinished: (u) => {
          n.workers.delete(u);
          this.statusManager.forget(u);
        },
      });
      n.workers.set(uid, w);
      if (adopted) {
        w.adopt(adopted.podIP, adopted.containers);
        n.adopted.delete(uid);
      }
    }
    w.update(pod);
  }

  private async deletePod(pod: Pod): Promise<void> {
    try {
      await this.opts.client
        .resource(podKind)
        .namespace(pod.metadata.namespace ?? '')
        .delete(pod.metadata.name ?? '', {
          gracePeriodSeconds: 0,
          ...(pod.metadata.uid ? { preconditions: { uid: pod.metadata.uid } } : {}),
        });
    } catch (e) {
      if (!hasReason(e, 'NotFound') && !hasReason(e, 'Conflict')) throw e;
    }
  }

  /** Deletes this process's Node objects (tests; `kubeling node remove`). */
  async deregister(): Promise<void> {
    for (const name of this.nodes.keys())
      await this.opts.client
        .resource(nodeKind)
        .delete(name)
        .catch(() => undefined);
  }
}
