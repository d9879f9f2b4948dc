/**
 * For specs: runs controller descriptors as kube-controller-manager's main.ts would, but in the
 * test's process, on any Client (FakeApiServer, or NATS to a real api-server) — one informer
 * factory, one event broadcaster, the descriptors' flag defaults overridden by `argv`.
 *
 *   const running = await runControllers({ client, descriptors: [garbageCollectorDescriptor],
 *     argv: ['--concurrent-gc-syncs=2'], clock });
 *   ...
 *   await running.stop();
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '@kubeling/api';
import { realClock } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import { dropManagedFields, EventBroadcaster, SharedInformerFactory } from '@kubeling/client';
import type { FlagSet } from '@kubeling/runtime';
import { createRegistry, parseFlags, silentLogger } from '@kubeling/runtime';
import type { ControllerContext, ControllerDescriptor } from '../controllerContext';

export interface RunControllersOptions {
  client: Client;
  descriptors: readonly ControllerDescriptor[];
  /** The descriptors' flags as on the command line, e.g. ['--node-monitor-grace-period=2s']. */
  argv?: readonly string[];
  clock?: Clock;
}

export interface RunningControllers {
  ctx: ControllerContext;
  /** Aborts every controller and waits for them, the broadcaster and the informers. */
  stop(): Promise<void>;
}

export async function runControllers(opts: RunControllersOptions): Promise<RunningControllers> {
  const clock = opts.clock ?? realClock;
  const flags: FlagSet = Object.assign({}, ...opts.descriptors.map((d) => d.flags ?? {}));
  const parsed = parseFlags(flags, opts.argv ?? []);
  if (parsed.help) throw new Error('--help is not for tests');
  const informers = new SharedInformerFactory({
    client: opts.client,
    clock,
    transform: dropManagedFields,
  });
  const broadcaster = new EventBroadcaster({ client: opts.client, clock });
  const abort = new AbortController();
  // Every informer and worker of every controller listens on this one signal.
  setMaxListeners(0, abort.signal);
  const ctx: ControllerContext = {
    client: opts.client,
    informers,
    clock,
    log: silentLogger,
    registry: createRegistry({ defaultMetrics: false }),
    recorder: (component) => broadcaster.newRecorder({ component }),
    flags: parsed.values as Record<string, unknown>,
    signal: abort.signal,
  };
  // Descriptors ask the factory for their informers first; then it starts them all.
  const running = opts.descriptors.map((d) => d.run(ctx));
  informers.start();
  return {
    ctx,
    async stop() {
      abort.abort();
      await Promise.allSettled(running);
      await broadcaster.shutdown();
      await informers.shutdown();
    },
  };
}
