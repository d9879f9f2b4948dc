/**
 * The work-queue metrics kube-controller-manager exports per controller (client-go
 * workqueue's, by queue name): `workqueue_depth{name}` — keys waiting — and
 * `workqueue_work_duration_seconds{name}` — how long each sync took; its `_count` is the number
 * of syncs, so a rate of it is the sync rate. The benchmark (tools/bench controllers) reads both.
 */
import type { Registry } from '@kubeling/runtime';
import { gauge, histogram } from '@kubeling/runtime';

const depthSources = new WeakMap<Registry, Map<string, () => number>>();

/** Wraps `reconcile` so each sync is timed, and reports `depth()` as the queue's depth. */
export function instrumentSync<A extends unknown[], R>(
  registry: Registry | undefined,
  name: string,
  depth: () => number,
  reconcile: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  if (!registry) return reconcile;
  let sources = depthSources.get(registry);
  if (!sources) {
    const map = new Map<string, () => number>();
    sources = map;
    depthSources.set(registry, map);
    gauge(registry, {
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: ['name'] as const,
      collect() {
        for (const [n, fn] of map) this.set({ name: n }, fn());
      },
    });
  }
  sources.set(name, depth);
  const duration = histogram(registry, {
    name: 'workqueue_work_duration_seconds',
    help: 'How long in seconds processing an item from workqueue takes.',
    labelNames: ['name'] as const,
    // client-go's buckets: 10 ns to 10 s, by powers of ten.
    buckets: Array.from({ length: 10 }, (_, i) => 1e-8 * 10 ** i),
  });
  return async (...args: A) => {
    const end = duration.startTimer({ name });
    try {
      return await reconcile(...args);
    } finally {
      end();
    }
  };
}
