/**
 * The taint-eviction controller (kubernetes pkg/controller/tainteviction, formerly the node
 * lifecycle controller's NoExecuteTaintManager): a pod on a node with NoExecute taints is
 * deleted at once when some taint is not tolerated, and after the smallest tolerationSeconds of
 * the tolerations it uses when all are (a toleration without tolerationSeconds tolerates
 * forever; a negative one counts as 0). Event TaintManagerEviction "Marking for deletion Pod
 * <ns>/<name>" on each eviction, "Cancelling deletion of Pod <ns>/<name>" when a scheduled
 * one is called off (the taint went, or became tolerated).
 *
 * Keys are pods. The eviction clock of a pod starts when this controller first found it
 * tolerating its node's NoExecute taints for a limited time, as upstream's scheduled
 * evictions do; `requeueAfter` brings it back when that time is up.
 */
import type { Clock, Node, Pod, Taint, Toleration } from '@kubeling/api';
import { hasReason, nodeKind, podKind, realClock, toleratesTaint } from '@kubeling/api';
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
  NodeNameIndex,
  podKey,
  splitKey,
} from '@kubeling/client';

export interface TaintEvictionOptions {
  client: Client;
  factory: SharedInformerFactory;
  recorder: EventRecorder;
  workers?: number;
  clock?: Clock;
  onError?: (key: string, err: unknown) => void;
}

/**
 * How long the pod may stay: 0 for now, Infinity for ever; undefined when no NoExecute taint
 * concerns it (getMinTolerationTime over the tolerations that match the taints).
 */
export function tolerationTimeMs(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): number | undefined {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (!noExecute.length) return undefined;
  let min = Infinity;
  for (const taint of noExecute) {
    const used = tolerations.filter((t) => toleratesTaint(t, taint));
    if (!used.length) return 0;
    for (const t of used)
      if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null)
        min = Math.min(min, Math.max(0, t.tolerationSeconds) * 1000);
  }
  return min;
}

export class TaintEvictionController {
  private readonly opts: TaintEvictionOptions;
  private readonly clock: Clock;
  private readonly controller: Controller;
  private readonly nodes;
  private readonly pods;
  /** Pods with an eviction scheduled: when its clock started. */
  private readonly scheduled = new Map<string, number>();

  constructor(opts: TaintEvictionOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.nodes = opts.factory.informerFor<Node>(nodeKind);
    this.pods = opts.factory.informerFor<Pod>(podKind, {
      indexers: { [NodeNameIndex]: indexByNodeName },
    });
    this.controller = new Controller({
      name: 'taint-eviction-controller',
      workers: opts.workers ?? 8,
      clock: this.clock,
      reconcile: (key) => this.sync(key),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
    const enqueue = this.controller.enqueueKey;
    this.controller.watch(this.pods, enqueueObject(enqueue));
    // A node's taints changed: each of its pods is looked at again.
    const enqueuePodsOf = (n: Node) => {
      for (const p of this.pods.store.byIndex(NodeNameIndex, n.metadata.name ?? ''))
        enqueue(podKey(p));
    };
    this.controller.watch(this.nodes, {
      onAdd: enqueuePodsOf,
      onUpdate: (old, n) => {
        if (JSON.stringify(old.spec?.taints ?? []) !== JSON.stringify(n.spec?.taints ?? []))
          enqueuePodsOf(n);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }

  async sync(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.store.getObject(namespace, name);
    const node = pod?.spec.nodeName ? this.nodes.store.get(pod.spec.nodeName) : undefined;
    const allowedMs =
      pod && node && !pod.metadata.deletionTimestamp
        ? tolerationTimeMs(node.spec?.taints ?? [], pod.spec.tolerations ?? [])
        : undefined;
    if (allowedMs === undefined || allowedMs === Infinity) {
      if (this.scheduled.delete(key) && pod && !pod.metadata.deletionTimestamp)
        this.opts.recorder.eventf(
          pod,
          'Normal',
          'TaintManagerEviction',
          'Cancelling deletion of Pod %s',
          key,
        );
      return;
    }
    const now = this.clock.now();
    const start = this.scheduled.get(key) ?? now;
    this.scheduled.set(key, start);
    const due = start + allowedMs;
    if (now < due) return { requeueAfter: due - now };

    this.opts.recorder.eventf(
      pod!,
      'Normal',
      'TaintManagerEviction',
      'Marking for deletion Pod %s',
      key,
    );
    try {
      await this.opts.client
        .resource(podKind)
        .namespace(namespace ?? '')
        .delete(name, { preconditions: { uid: pod!.metadata.uid ?? '' } });
    } catch (e) {
      if (!hasReason(e, 'NotFound') && !hasReason(e, 'Conflict')) throw e;
    }
    this.scheduled.delete(key);
  }
}
