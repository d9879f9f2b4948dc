/**
 * Node heartbeats (pkg/kubelet/nodelease + component-helpers' lease controller): every node
 * keeps a Lease `kube-node-lease/<node>` owned by its Node, holder the node's name, renewed
 * every `renewIntervalMs` (upstream: 0.25 × the 40 s lease duration = 10 s).
 *
 * One NodeLeases serves every node of the process: a hollow-node process with 1,000 nodes has
 * one timer and a bounded number of renewals in flight, not 1,000 loops. Renewals are spread
 * over the interval (each node keeps its phase), so the api-server sees a steady 100/s rather
 * than a burst of 1,000 every 10 s. Per node it keeps only the last Lease it wrote.
 */
import type { Clock, Lease } from '@kubeling/api';
import { hasReason, leaseKind, nodeLeaseNamespace, realClock, rfc3339Micro } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import type { Logger } from '@kubeling/runtime';

export interface NodeLeasesOptions {
  client: Client;
  log: Logger;
  clock?: Clock;
  leaseDurationSeconds?: number;
  renewIntervalMs?: number;
  /** Renewals in flight at once. */
  concurrency?: number;
}

interface Entry {
  node: string;
  uid: string;
  lease?: Lease;
  /** Next renewal due (ms). */
  due: number;
  busy: boolean;
}

export class NodeLeases {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly durationS: number;
  private readonly intervalMs: number;
  private readonly concurrency: number;
  private cancelTimer: (() => void) | undefined;
  private inFlight = 0;
  private stopped = false;

  constructor(private readonly opts: NodeLeasesOptions) {
    this.clock = opts.clock ?? realClock;
    this.durationS = opts.leaseDurationSeconds ?? 40;
    this.intervalMs = opts.renewIntervalMs ?? Math.round(this.durationS * 250);
    this.concurrency = opts.concurrency ?? 16;
  }

  /** Starts heartbeating for a registered node (its uid owns the Lease). */
  add(node: string, uid: string): void {
    // The first renewal now, the later ones at the node's own phase of the interval.
    this.entries.set(node, { node, uid, due: this.clock.now(), busy: false });
    this.pump();
  }

  remove(node: string): void {
    this.entries.delete(node);
  }

  /** The last Lease written for a node (tests, the bench). */
  leaseOf(node: string): Lease | undefined {
    return this.entries.get(node)?.lease;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
  }

  private pump(): void {
    if (this.stopped) return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const now = this.clock.now();
    let next = Infinity;
    for (const e of this.entries.values()) {
      if (e.busy) continue;
      if (e.due <= now) {
        if (this.inFlight >= this.concurrency) {
          next = now; // wait for a slot; finishing renewals pump again
          continue;
        }
        e.busy = true;
        this.inFlight++;
        void this.renew(e).finally(() => {
          e.busy = false;
          this.inFlight--;
          this.pump();
        });
      } else next = Math.min(next, e.due);
    }
    if (next !== Infinity && next > now)
      this.cancelTimer = this.clock.setTimer(() => this.pump(), next - now, { unref: true });
  }

  private async renew(e: Entry): Promise<void> {
    const leases = this.opts.client.resource(leaseKind).namespace(nodeLeaseNamespace);
    const now = this.clock.now();
    const spec = {
      holderIdentity: e.node,
      leaseDurationSeconds: this.durationS,
      renewTime: rfc3339Micro(now),
    };
    try {
      if (!e.lease) {
        try {
          e.lease = await leases.get(e.node);
        } catch (err) {
          if (!hasReason(err, 'NotFound')) throw err;
          e.lease = await leases.create({
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: {
              name: e.node,
              namespace: nodeLeaseNamespace,
              ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: e.node, uid: e.uid }],
            },
            spec,
          });
          e.due = now + this.intervalMs;
          return;
        }
      }
      e.lease = await leases.update({ ...e.lease, spec: { ...e.lease.spec, ...spec } });
      e.due = now + this.intervalMs;
    } catch (err) {
      // A conflict or a lost Lease: re-read next time. Retry sooner than a full interval
      // (upstream backs off 200 ms doubling to 7 s).
      e.lease = undefined;
      e.due = now + Math.min(7000, this.intervalMs);
      this.opts.log.V(2).info('failed to renew node lease', { node: e.node, err: String(err) });
    }
  }
}
