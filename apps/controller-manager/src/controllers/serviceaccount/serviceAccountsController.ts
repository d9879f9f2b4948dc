/**
 * The serviceaccounts controller (kubernetes pkg/controller/serviceaccount/serviceaccounts_controller.go):
 * every active namespace has the ServiceAccounts it should — `default` — and gets it back when
 * it is deleted. Keys are namespace names: a namespace added or updated, or one of its
 * `default` accounts deleted, enqueues the namespace; sync creates what is missing, unless the
 * namespace is terminating (its content is being removed).
 */
import type { Clock, Namespace, ServiceAccount } from '@kubeling/api';
import {
  defaultServiceAccountName,
  hasReason,
  namespaceKind,
  realClock,
  serviceAccountKind,
} from '@kubeling/api';
import type { Client, SharedInformerFactory } from '@kubeling/client';
import { Controller, lastKnownState } from '@kubeling/client';

export interface ServiceAccountsControllerOptions {
  client: Client;
  factory: SharedInformerFactory;
  /** The accounts every namespace gets (upstream's ServiceAccounts option): `default`. */
  accounts?: readonly string[];
  clock?: Clock;
  onError?: (key: string, err: unknown) => void;
}

export class ServiceAccountsController {
  private readonly controller: Controller;
  private readonly namespaces;
  private readonly accounts;
  private readonly wanted: readonly string[];

  constructor(private readonly opts: ServiceAccountsControllerOptions) {
    this.wanted = opts.accounts ?? [defaultServiceAccountName];
    this.namespaces = opts.factory.informerFor<Namespace>(namespaceKind);
    this.accounts = opts.factory.informerFor<ServiceAccount>(serviceAccountKind);
    this.controller = new Controller({
      name: 'serviceaccount',
      // Upstream runs this controller with one worker.
      workers: 1,
      clock: opts.clock ?? realClock,
      reconcile: (ns) => this.sync(ns),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
    const enqueueNs = (ns: Namespace) => this.controller.enqueueKey(ns.metadata.name ?? '');
    this.controller.watch(this.namespaces, {
      onAdd: enqueueNs,
      onUpdate: (_old, ns) => enqueueNs(ns),
    });
    this.controller.watch(this.accounts, {
      onDelete: (obj) => {
        const sa = lastKnownState(obj);
        if (this.wanted.includes(sa.metadata.name ?? ''))
          this.controller.enqueueKey(sa.metadata.namespace ?? '');
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }

  /** syncNamespace: creates the wanted accounts the namespace lacks. */
  async sync(ns: string): Promise<void> {
    const namespace = this.namespaces.store.get(ns);
    if (!namespace || namespace.metadata.deletionTimestamp) return;
    if (namespace.status?.phase === 'Terminating') return;
    for (const name of this.wanted) {
      if (this.accounts.store.get(`${ns}/${name}`)) continue;
      try {
        await this.opts.client
          .resource<ServiceAccount>('serviceaccounts')
          .namespace(ns)
          .create({ metadata: { name, namespace: ns } } as ServiceAccount);
      } catch (e) {
        // Created meanwhile (the cache lags), or the namespace began terminating: both fine.
        if (hasReason(e, 'AlreadyExists')) continue;
        if (hasReason(e, 'Forbidden') || hasReason(e, 'NotFound')) return;
        throw e;
      }
    }
  }
}
