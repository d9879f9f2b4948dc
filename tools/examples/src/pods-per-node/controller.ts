/**
 * Keeps the ConfigMap `pods-per-node` current with how many pods each node runs. Level-triggered:
 * every pod or ConfigMap change only enqueues the one key; sync() recomputes from the caches.
 */
import type { ConfigMap, Pod } from '@kubeling/api';
import { configMapKind, deepEqual, podKind } from '@kubeling/api';
import type { Client, SharedInformerFactory } from '@kubeling/client';
import { indexByNodeName, NodeNameIndex, runWorkers, WorkQueue } from '@kubeling/client';

export const NAME = 'pods-per-node';

export class PodsPerNodeController {
  private readonly queue = new WorkQueue<string>({ name: NAME });
  private readonly pods;
  private readonly configMaps;

  constructor(
    private readonly client: Client,
    factory: SharedInformerFactory,
    private readonly ns: string,
  ) {
    this.pods = factory.informerFor<Pod>(podKind, {
      indexers: { [NodeNameIndex]: indexByNodeName },
    });
    this.configMaps = factory.informerFor<ConfigMap>(configMapKind, {
      namespace: ns,
      fieldSelector: `metadata.name=${NAME}`,
    });
    const enqueue = () => this.queue.add(NAME);
    for (const informer of [this.pods, this.configMaps])
      informer.addEventHandler({ onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue });
  }

  /** Runs until `signal` aborts; the caller starts the informer factory. */
  async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutDown(), { once: true });
    if (!(await this.pods.waitForSync(signal)) || !(await this.configMaps.waitForSync(signal)))
      return;
    this.queue.add(NAME);
    await runWorkers({ queue: this.queue, sync: () => this.sync() });
  }

  private async sync(): Promise<void> {
    const data: Record<string, string> = {};
    for (const node of this.pods.store.indexValues(NodeNameIndex))
      data[node] = String(this.pods.store.byIndex(NodeNameIndex, node).length);
    const current = this.configMaps.store.getObject(this.ns, NAME);
    const configMaps = this.client.resource(configMapKind).namespace(this.ns);
    // A stale cache makes these fail (AlreadyExists, Conflict): the queue retries with backoff.
    if (!current) await configMaps.create({ metadata: { name: NAME }, data });
    else if (!deepEqual(current.data ?? {}, data))
      await configMaps.update({ ...structuredClone(current), data });
  }
}
