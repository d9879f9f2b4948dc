/**
 * Node registration and status (pkg/kubelet/kubelet_node_status.go): register the Node (or
 * take over the one that exists: its labels, taints and podCIDR are reconciled), then every
 * `updateFrequencyMs` compute the status and post it when it changed, or at least every
 * `reportFrequencyMs` (upstream: 10 s / 5 min; the Lease is the heartbeat in between).
 * One NodeStatusReporter serves every node of the process.
 */
import type { Clock, ContainerImage, Node } from '@kubeling/api';
import { hasReason, nodeKind, realClock } from '@kubeling/api';
import type { Client, EventRecorder } from '@kubeling/client';
import type { Logger } from '@kubeling/runtime';
import type { NodeConfig } from './config';
import { buildNode, nodeConditions } from './nodeObject';

export interface NodeStatusReporterOptions {
  client: Client;
  log: Logger;
  recorder?: EventRecorder;
  clock?: Clock;
  runtimeVersion: string;
  /** The images present on a node (status.images). */
  images(node: string): ContainerImage[];
  updateFrequencyMs?: number;
  reportFrequencyMs?: number;
}

interface Entry {
  cfg: NodeConfig;
  node: Node;
  lastPosted: number;
  /** The posted status without heartbeat times, to tell a change. */
  lastKey: string;
}

export class NodeStatusReporter {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private cancelTimer: (() => void) | undefined;
  private stopped = false;
  private running = false;

  constructor(private readonly opts: NodeStatusReporterOptions) {
    this.clock = opts.clock ?? realClock;
  }

  /** Registers the node (retrying until it succeeds or `signal` aborts); returns it as stored. */
  async register(cfg: NodeConfig, signal?: AbortSignal): Promise<Node> {
    const nodes = this.opts.client.resource(nodeKind);
    let delay = 100;
    for (;;) {
      try {
        const want = buildNode(
          cfg,
          this.opts.runtimeVersion,
          this.opts.images(cfg.name),
          this.clock.now(),
        );
        let node: Node;
        try {
          node = await nodes.create(want);
          this.opts.log.info('Successfully registered node', { node: cfg.name });
        } catch (e) {
          if (!hasReason(e, 'AlreadyExists')) throw e;
          // tryRegisterWithAPIServer: the node exists (a restarted kubelet); bring labels,
          // taints and podCIDR in line, then its status.
          const old = await nodes.get(cfg.name);
          node = await nodes.update({
            ...old,
            metadata: {
              ...old.metadata,
              labels: { ...old.metadata.labels, ...want.metadata.labels },
            },
            spec: {
              ...old.spec,
              podCIDR: want.spec.podCIDR,
              podCIDRs: want.spec.podCIDRs,
              ...(old.spec.taints ? {} : { taints: want.spec.taints }),
            },
          });
          node = await nodes.updateStatus({
            ...node,
            status: {
              ...want.status,
              conditions: nodeConditions(this.clock.now(), node.status.conditions),
            },
          });
          this.opts.log.info('Node was previously registered', { node: cfg.name });
        }
        const e: Entry = { cfg, node, lastPosted: this.clock.now(), lastKey: keyOf(node) };
        this.entries.set(cfg.name, e);
        this.recordStartup(node);
        this.schedule();
        return node;
      } catch (e) {
        if (signal?.aborted) throw e;
        this.opts.log.error('Unable to register node with API server', {
          node: cfg.name,
          err: String(e),
        });
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 7000);
      }
    }
  }

  nodeOf(name: string): Node | undefined {
    return this.entries.get(name)?.node;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
  }

  private recordStartup(node: Node): void {
    const r = this.opts.recorder;
    if (!r) return;
    // What `kubectl describe node` shows under Events on a real cluster after a kubelet start.
    const ref = {
      kind: 'Node',
      name: node.metadata.name ?? '',
      uid: node.metadata.name ?? '',
      apiVersion: 'v1',
    };
    r.event(ref, 'Normal', 'Starting', 'Starting kubelet.');
    r.event(ref, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    for (const s of [
      'NodeHasSufficientMemory',
      'NodeHasNoDiskPressure',
      'NodeHasSufficientPID',
      'NodeReady',
    ])
      r.eventf(ref, 'Normal', s, 'Node %s status is now: %s', node.metadata.name ?? '', s);
  }

  private schedule(): void {
    if (this.stopped || this.cancelTimer) return;
    this.cancelTimer = this.clock.setTimer(
      () => {
        this.cancelTimer = undefined;
        void this.tick().finally(() => this.schedule());
      },
      this.opts.updateFrequencyMs ?? 10_000,
      { unref: true },
    );
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const now = this.clock.now();
      const report = this.opts.reportFrequencyMs ?? 300_000;
      const nodes = this.opts.client.resource(nodeKind);
      for (const e of this.entries.values()) {
        if (this.stopped) return;
        const status = {
          ...e.node.status,
          conditions: nodeConditions(now, e.node.status.conditions),
          images: this.opts.images(e.cfg.name),
        };
        const key = keyOf({ ...e.node, status });
        if (key === e.lastKey && now - e.lastPosted < report) continue;
        try {
          e.node = await nodes.patchStatus(e.cfg.name, 'merge', {
            status: { conditions: status.conditions, images: status.images },
          });
          e.lastPosted = now;
          e.lastKey = keyOf(e.node);
        } catch (err) {
          this.opts.log.error('Error updating node status, will retry', {
            node: e.cfg.name,
            err: String(err),
          });
        }
      }
    } finally {
      this.running = false;
    }
  }
}

function keyOf(node: Node): string {
  const conditions = (node.status.conditions ?? []).map((c) => `${c.type}=${c.status}`);
  return JSON.stringify([conditions, node.status.images ?? []]);
}
