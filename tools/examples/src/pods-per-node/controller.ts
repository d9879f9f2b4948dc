/**
 * pods-per-node: for every Node, a ConfigMap `pods-on-<node>` (in `--namespace`, default
 * kube-system) listing the active pods bound to it, owned by the Node, and a `PodsCounted`
 * condition on the Node's status saying how many there are. The template to copy for a new
 * controller; docs/client.md walks through it.
 *
 * The shape every kubeling controller has:
 * - Handlers only compute the key of the primary object (here a Node's name) and enqueue it:
 *   a Node event its own name, a pod event its node's name, a ConfigMap event its owner's name.
 * - `reconcile(key)` is level-triggered and idempotent: it reads the caches, computes what
 *   should be, and writes the difference. Missing from the cache (NotFound) means deleted:
 *   clean up. A thrown error (a 409 from a stale cache, the api-server away) requeues the key
 *   with backoff; nothing else needs retry logic.
 * - Expectations keep it from creating a ConfigMap twice: after a create, it waits until its
 *   informer has seen that ConfigMap before acting on the cache again.
 */
import type { ConfigMap, Node, NodeCondition, ObjectReference, Pod } from '@kubeling/api';
import type { Clock } from '@kubeling/api';
import {
  configMapKind,
  deepEqual,
  hasReason,
  nodeKind,
  podKind,
  realClock,
  rfc3339,
} from '@kubeling/api';
import type { Client, EventRecorder, SharedInformerFactory } from '@kubeling/client';
import {
  Controller,
  ControllerExpectations,
  dropManagedFields,
  enqueueObject,
  enqueueOwner,
  filteringHandler,
  getControllerOf,
  indexByNodeName,
  isPodActive,
  lastKnownState,
  newControllerRef,
  NodeNameIndex,
  podKey,
  refersToKind,
} from '@kubeling/client';

export const NAME = 'pods-per-node';
export const CONDITION = 'PodsCounted';
const managedBy = { 'app.kubernetes.io/managed-by': NAME };

export const configMapName = (node: string) => `pods-on-${node}`;

export interface PodsPerNodeOptions {
  client: Client;
  factory: SharedInformerFactory;
  /** Where the ConfigMaps live. */
  namespace: string;
  recorder: EventRecorder;
  clock?: Clock;
  /** Parallel reconciles (different nodes); default 2. */
  workers?: number;
}

export class PodsPerNodeController {
  private readonly opts: PodsPerNodeOptions;
  private readonly clock: Clock;
  private readonly controller: Controller;
  private readonly expectations: ControllerExpectations;
  private readonly nodes;
  private readonly pods;
  private readonly configMaps;

  constructor(opts: PodsPerNodeOptions) {
    this.opts = opts;
    const { factory, namespace } = opts;
    const clock = opts.clock ?? realClock;
    this.clock = clock;
    // Informers come from the shared factory: one cache per resource per process.
    // managedFields are dropped from cached objects: nothing here reads them.
    this.nodes = factory.informerFor<Node>(nodeKind, { transform: dropManagedFields });
    this.pods = factory.informerFor<Pod>(podKind, {
      indexers: { [NodeNameIndex]: indexByNodeName },
      transform: dropManagedFields,
    });
    this.configMaps = factory.informerFor<ConfigMap>(configMapKind, {
      namespace,
      labelSelector: `app.kubernetes.io/managed-by=${NAME}`,
      transform: dropManagedFields,
    });
    this.expectations = new ControllerExpectations({ clock });
    this.controller = new Controller({
      name: NAME,
      workers: opts.workers ?? 2,
      reconcile: (node) => this.reconcile(node),
      clock,
    });
    const enqueue = this.controller.enqueueKey;

    this.controller.watch(this.nodes, enqueueObject(enqueue));
    // Only active pods bound to a node count; a pod that finishes leaves the filter, and the
    // handler sees that as a delete.
    const enqueueNodeOf = (p: Pod) => enqueue(p.spec.nodeName ?? '');
    this.controller.watch(
      this.pods,
      filteringHandler((p: Pod) => !!p.spec.nodeName && isPodActive(p), {
        onAdd: enqueueNodeOf,
        onUpdate: (_old, p) => enqueueNodeOf(p),
        onDelete: (p) => enqueueNodeOf(lastKnownState(p)),
      }),
    );
    // A ConfigMap wakes its owning Node: edited by hand, deleted, or left behind by a Node
    // deleted while this controller was down (seen in the initial list).
    const owner = enqueueOwner<ConfigMap>({ ownerKind: nodeKind, enqueue });
    this.controller.watch(this.configMaps, {
      ...owner,
      onAdd: (cm, initial) => {
        const ref = getControllerOf(cm);
        if (ref && refersToKind(ref, nodeKind)) this.expectations.creationObserved(ref.name);
        return owner.onAdd?.(cm, initial);
      },
    });
  }

  /** Runs until `signal` aborts; the caller starts the informer factory. */
  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }

  /** Brings one node's ConfigMap and condition to what its pods say. */
  async reconcile(nodeName: string): Promise<void> {
    const { client, namespace, recorder } = this.opts;
    const configMaps = client.resource(configMapKind).namespace(namespace);
    const name = configMapName(nodeName);
    const current = this.configMaps.store.getObject(namespace, name);
    const node = this.nodes.store.get(nodeName);

    if (!node) {
      // NotFound: the Node is gone. Its ConfigMap names it as owner, which is how upstream's
      // garbage collector would find and delete it; kubeling has no garbage collector yet,
      // so the controller deletes what it made. The uid precondition keeps it from deleting
      // a ConfigMap created meanwhile for a new Node of the same name.
      this.expectations.deleteExpectations(nodeName);
      if (!current) return;
      try {
        await configMaps.delete(name, { preconditions: { uid: current.metadata.uid ?? '' } });
      } catch (e) {
        if (!hasReason(e, 'NotFound')) throw e;
      }
      recorder.event(
        nodeRef(nodeName, getControllerOf(current)?.uid),
        'Normal',
        'SuccessfulDelete',
        `Deleted ConfigMap ${namespace}/${name}`,
      );
      return;
    }
    // Our last create is not in the cache yet: acting now would create it again. Its add
    // event enqueues this node once it arrives.
    if (!this.expectations.satisfied(nodeName)) return;

    const pods = this.pods.store
      .byIndex(NodeNameIndex, nodeName)
      .filter(isPodActive)
      .map(podKey)
      .sort();
    const data = { node: nodeName, count: String(pods.length), pods: pods.join('\n') };
    const ownerReferences = [newControllerRef(node, nodeKind)];

    if (!current) {
      this.expectations.expectCreations(nodeName, 1);
      try {
        await configMaps.create({
          metadata: { name, namespace, labels: managedBy, ownerReferences },
          data,
        });
      } catch (e) {
        // A create that failed will never be observed.
        this.expectations.creationObserved(nodeName);
        throw e;
      }
      recorder.event(
        nodeRef(nodeName, node.metadata.uid),
        'Normal',
        'SuccessfulCreate',
        `Created ConfigMap ${namespace}/${name}`,
      );
    } else if (
      !deepEqual(current.data ?? {}, data) ||
      !deepEqual(current.metadata.ownerReferences ?? [], ownerReferences)
    ) {
      // Cached objects are shared: clone before changing. The resourceVersion in the copy
      // makes a stale cache answer 409, and the retry sees the newer state.
      const next = structuredClone(current);
      next.data = data;
      next.metadata.ownerReferences = ownerReferences;
      await configMaps.update(next);
    }
    await this.writeCondition(node, pods.length);
  }

  /** The status write: the node's PodsCounted condition, changed only when its message does. */
  private async writeCondition(node: Node, count: number): Promise<void> {
    const message = `${count} active pod${count === 1 ? '' : 's'}`;
    const conditions = node.status?.conditions ?? [];
    const existing = conditions.find((c) => c.type === CONDITION);
    if (existing?.status === 'True' && existing.message === message) return;
    const now = rfc3339(this.clock.now());
    const condition: NodeCondition = {
      type: CONDITION,
      status: 'True',
      reason: 'Counted',
      message,
      lastHeartbeatTime: now,
      // Upstream's rule: the transition time moves only when the status changes.
      lastTransitionTime: existing?.status === 'True' ? (existing.lastTransitionTime ?? now) : now,
    };
    const next = structuredClone(node);
    next.status = {
      ...next.status,
      conditions: [...conditions.filter((c) => c.type !== CONDITION), condition],
    };
    try {
      await this.opts.client.resource(nodeKind).updateStatus(next);
    } catch (e) {
      // Deleted meanwhile: its delete event brings the clean-up.
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }
}

function nodeRef(name: string, uid: string | undefined): ObjectReference {
  return { apiVersion: 'v1', kind: 'Node', name, ...(uid ? { uid } : {}) };
}
