/**
 * The namespace controller (kubernetes pkg/controller/namespace and its deletion package): a
 * namespace deleted by a user is Terminating (the api-server set deletionTimestamp and the
 * phase); this controller deletes everything in it — every served namespaced resource, as
 * discovery lists them, not a fixed list — and once nothing is left removes the `kubernetes`
 * finalizer through `namespaces/<name>/finalize`, after which the api-server removes the
 * namespace.
 *
 * sync(name) is one deletion pass: deletecollection of each resource in the namespace
 * (propagationPolicy Background, as upstream), then a list of what is left: objects still
 * terminating (pods in their grace period, objects with finalizers). The pass writes the five
 * deletion conditions (./conditions.ts) and, while content remains, comes back after the
 * longest remaining pod grace period (upstream's estimate) or a short poll: the controller does
 * not watch every resource, as upstream's does not.
 */
import type { Clock, KindInfo, KubeObject, Namespace, Pod } from '@kubeling/api';
import {
  deepEqual,
  hasReason,
  namespaceFinalizerKubernetes,
  namespaceKind,
  realClock,
  rfc3339,
} from '@kubeling/api';
import type { Client, ReconcileResult, SharedInformerFactory } from '@kubeling/client';
import { Controller, enqueueObject } from '@kubeling/client';
import type { ResourceDiscovery } from '../../discovery';
import type { Problem } from './conditions';
import {
  contentDeletionFailed,
  discoveryFailed,
  finalizersRemain,
  resourcesRemain,
  updateConditions,
} from './conditions';

/** How soon a namespace with content left (and no pod grace period to wait for) is looked at again. */
export const RemainingContentPollMs = 1000;

export interface NamespaceControllerOptions {
  client: Client;
  factory: SharedInformerFactory;
  discovery: ResourceDiscovery;
  workers?: number;
  /** --namespace-sync-period: every namespace is synced again this often. */
  resyncPeriodMs?: number;
  clock?: Clock;
  onError?: (key: string, err: unknown) => void;
}

export class NamespaceController {
  private readonly opts: NamespaceControllerOptions;
  private readonly clock: Clock;
  private readonly controller: Controller;
  private readonly namespaces;

  constructor(opts: NamespaceControllerOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.namespaces = opts.factory.informerFor<Namespace>(namespaceKind);
    this.controller = new Controller({
      name: 'namespace',
      workers: opts.workers ?? 10,
      clock: this.clock,
      reconcile: (key) => this.sync(key),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
    const enqueue = enqueueObject<Namespace>(this.controller.enqueueKey);
    this.controller.watch(this.namespaces, {
      onAdd: enqueue.onAdd!,
      onUpdate: enqueue.onUpdate!,
    });
    if (opts.resyncPeriodMs)
      this.namespaces.addEventHandler(
        { onUpdate: (_o, n) => this.controller.enqueueKey(n.metadata.name ?? '') },
        { resyncPeriodMs: opts.resyncPeriodMs },
      );
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }

  async sync(name: string): Promise<ReconcileResult | void> {
    const ns = this.namespaces.store.get(name);
    if (!ns?.metadata.deletionTimestamp) return;
    // Finalized already: the api-server removes it once its metadata finalizers are gone too.
    if (!(ns.spec?.finalizers ?? []).includes(namespaceFinalizerKubernetes)) return;

    const problems: Problem[] = [];
    let resources: readonly KindInfo[] = [];
    try {
      resources = (await this.opts.discovery()).filter((r) => r.namespaced);
    } catch (e) {
      problems.push(discoveryFailed([String((e as Error).message ?? e)]));
    }
    const failures: string[] = [];
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    let graceSeconds = 0;
    for (const info of resources) {
      const gr = `${info.resource}.${info.group}`;
      const client = this.opts.client.resource(info).namespace(name);
      try {
        await client.deleteCollection({}, { propagationPolicy: 'Background' });
        const left = (await client.list()).items as KubeObject[];
        if (left.length) remaining.set(gr, left.length);
        for (const o of left) {
          for (const f of o.metadata.finalizers ?? [])
            finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
          if (info.kind === 'Pod') {
            const g =
              o.metadata.deletionGracePeriodSeconds ??
              (o as Pod).spec?.terminationGracePeriodSeconds ??
              0;
            graceSeconds = Math.max(graceSeconds, g);
          }
        }
      } catch (e) {
        if (hasReason(e, 'NotFound') || hasReason(e, 'MethodNotAllowed')) continue;
        failures.push(`${gr}: ${(e as Error).message}`);
      }
    }
    if (failures.length) problems.push(contentDeletionFailed(failures));
    if (remaining.size) problems.push(resourcesRemain(remaining));
    if (finalizers.size) problems.push(finalizersRemain(finalizers));
    const written = await this.writeConditions(ns, problems);

    if (problems.length) {
      // Content left or a failure: look again once pods may have finished terminating.
      if (failures.length || problems[0]?.type === 'NamespaceDeletionDiscoveryFailure')
        return { requeue: true };
      return { requeueAfter: graceSeconds > 0 ? graceSeconds * 1000 : RemainingContentPollMs };
    }
    // The status write moved its resourceVersion: finalize the namespace as written.
    const next = structuredClone(written);
    next.spec = {
      ...next.spec,
      finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== namespaceFinalizerKubernetes),
    };
    try {
      await this.opts.client.finalizeNamespace(next);
    } catch (e) {
      if (!hasReason(e, 'NotFound')) throw e;
    }
  }

  /** The namespace as it is after the write (a 409 means a newer one is on its way: retry). */
  private async writeConditions(ns: Namespace, problems: Problem[]): Promise<Namespace> {
    const current = ns.status?.conditions ?? [];
    const conditions = updateConditions(current, problems, rfc3339(this.clock.now()));
    if (deepEqual(current, conditions) && ns.status?.phase === 'Terminating') return ns;
    const next = structuredClone(ns);
    next.status = { ...next.status, phase: 'Terminating', conditions };
    return this.opts.client.resource(namespaceKind).updateStatus(next);
  }
}
