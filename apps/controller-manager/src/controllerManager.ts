/**
 * Runs the enabled controllers of one kube-controller-manager replica once it leads
 * (kube-controller-manager's StartControllers): every controller gets the same client, informer
 * factory, event broadcaster and clock through its ControllerContext, and runs until the
 * leading signal aborts. A controller that fails stops the others and the process: its
 * replica gives up the Lease and a standby (or a restart) takes over with fresh caches.
 */
import type { Clock } from '@kubeling/api';
import type { Client, SharedInformerFactory } from '@kubeling/client';
import { EventBroadcaster } from '@kubeling/client';
import type { Logger, Registry } from '@kubeling/runtime';
import type { ControllerContext, ControllerDescriptor } from './controllerContext';
import { isControllerEnabled } from './controllersFlag';

export interface RunControllersOptions {
  descriptors: readonly ControllerDescriptor[];
  /** The parsed `--controllers` entries. */
  enabled: readonly string[];
  client: Client;
  informers: SharedInformerFactory;
  clock: Clock;
  log: Logger;
  registry: Registry;
  flags: Readonly<Record<string, unknown>>;
  signal: AbortSignal;
}

export function enabledControllers(
  descriptors: readonly ControllerDescriptor[],
  enabled: readonly string[],
): ControllerDescriptor[] {
  return descriptors.filter((d) => isControllerEnabled(d, enabled));
}

export async function runControllers(opts: RunControllersOptions): Promise<void> {
  const broadcaster = new EventBroadcaster({
    client: opts.client,
    clock: opts.clock,
    logger: opts.log,
  });
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (opts.signal.aborted) stop.abort();
  else opts.signal.addEventListener('abort', onAbort, { once: true });
  const toRun = enabledControllers(opts.descriptors, opts.enabled);
  opts.log.info('starting controllers', { controllers: toRun.map((d) => d.name).join(',') });
  try {
    const runs = toRun.map(async (d) => {
      const log = opts.log.named(d.name);
      const ctx: ControllerContext = {
        client: opts.client,
        informers: opts.informers,
        clock: opts.clock,
        log,
        registry: opts.registry,
        recorder: (component) => broadcaster.newRecorder({ component }),
        flags: opts.flags,
        signal: stop.signal,
      };
      log.info('started controller');
      try {
        await d.run(ctx);
      } catch (e) {
        log.error('controller failed', { err: e instanceof Error ? e.message : String(e) });
        stop.abort();
        throw e;
      }
    });
    await Promise.all(runs);
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    await broadcaster.shutdown();
  }
}
