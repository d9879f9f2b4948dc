/**
 * SharedInformerFactory (client-go informers.SharedInformerFactory): one informer per resource
 * and selection per process, however many controllers ask for it, so a process holds one cache
 * and one watch per resource instead of one per controller.
 *
 *   const factory = new SharedInformerFactory({ client });
 *   const pods = factory.informerFor(podKind, { indexers: { [NodeNameIndex]: indexByNodeName } });
 *   pods.addEventHandler({ onAdd: (p) => queue.add(objectKey(p)) });
 *   factory.start();
 *   await factory.waitForCacheSync();
 */
import type { Clock, KubeObject } from '@kubeling/api';
import { realClock } from '@kubeling/api';
import type { Client } from '../client';
import type { ResourceName } from '../resources';
import { resourceInfo } from '../resources';
import type { Indexers } from './indexer';
import type { SharedInformerOptions } from './sharedInformer';
import { SharedInformer } from './sharedInformer';

export interface SharedInformerFactoryOptions {
  client: Client;
  /** Default handler resync period of every informer (0: none, the default). */
  defaultResyncMs?: number;
  /** Restrict every informer to one namespace (informers.WithNamespace). */
  namespace?: string;
  clock?: Clock;
  onError?: SharedInformerOptions<KubeObject>['onError'];
  /** Default transform of every informer (informers.WithTransform), e.g. dropManagedFields. */
  transform?: (obj: KubeObject) => KubeObject;
  /** Handed to every informer (where failures are logged). */
  logger?: SharedInformerOptions<KubeObject>['logger'];
}

export interface InformerSelection<T extends KubeObject> {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resyncPeriodMs?: number;
  /** Added to the shared informer (names already present must come with the same function). */
  indexers?: Indexers<T>;
  /**
   * The informer's transform, instead of the factory's. The informer is shared: the first
   * caller's transform is the one it keeps (client-go refuses SetTransform once started).
   */
  transform?: (obj: T) => T;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly opts: SharedInformerFactoryOptions;
  private readonly clock: Clock;
  private started = false;
  private stopped = false;

  constructor(opts: SharedInformerFactoryOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
  }

  /** The one informer for this resource and selection; created on first request. */
  informerFor<T extends KubeObject>(
    resource: ResourceName<T>,
    sel: InformerSelection<T> = {},
  ): SharedInformer<T> {
    const info = resourceInfo(resource as ResourceName, this.opts.client.scheme);
    const namespace = sel.namespace ?? this.opts.namespace ?? '';
    const key = [
      info.group,
      info.resource,
      namespace,
      sel.labelSelector ?? '',
      sel.fieldSelector ?? '',
    ].join('|');
    let informer = this.informers.get(key) as SharedInformer<T> | undefined;
    if (!informer) {
      const o: SharedInformerOptions<T> = {
        client: this.opts.client,
        resource,
        clock: this.clock,
        resyncPeriodMs: sel.resyncPeriodMs ?? this.opts.defaultResyncMs ?? 0,
      };
      if (namespace) o.namespace = namespace;
      if (sel.labelSelector) o.labelSelector = sel.labelSelector;
      if (sel.fieldSelector) o.fieldSelector = sel.fieldSelector;
      if (this.opts.onError) o.onError = this.opts.onError;
      const transform = sel.transform ?? (this.opts.transform as ((obj: T) => T) | undefined);
      if (transform) o.transform = transform;
      if (this.opts.logger) o.logger = this.opts.logger;
      informer = new SharedInformer<T>(o);
      this.informers.set(key, informer as unknown as SharedInformer<KubeObject>);
      if (this.started && !this.stopped) informer.start();
    }
    if (sel.indexers) {
      const missing: Indexers<T> = {};
      for (const [name, fn] of Object.entries(sel.indexers)) {
        try {
          informer.store.indexValues(name);
        } catch {
          missing[name] = fn;
        }
      }
      informer.addIndexers(missing);
    }
    return informer;
  }

  /** Starts every informer not yet started (and any requested later). */
  start(): void {
    if (this.stopped) return;
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  /** Resolves true when every informer has synced; false if stopped or aborted first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all(
      [...this.informers.values()].map((i) => i.waitForSync(signal)),
    );
    return results.every(Boolean);
  }

  /** Stops every informer and waits for their loops to exit. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
