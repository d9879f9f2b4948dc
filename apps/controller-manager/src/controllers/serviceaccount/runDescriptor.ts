/**
 * For this folder's specs: runs a ControllerDescriptor as the controller-manager's main.ts would
 * (one informer factory, one event broadcaster, a signal), on any Client — FakeApiServer, or
 * HTTP/NATS to a real api-server. The controller-manager's shared test runner, once it lands,
 * supersedes it.
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '@kubeling/api';
import { realClock } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import { dropManagedFields, EventBroadcaster, SharedInformerFactory } from '@kubeling/client';
import { createRegistry, silentLogger } from '@kubeling/runtime';
import type { ControllerDescriptor } from '../../controllerContext';

export async function runDescriptor(
  descriptor: ControllerDescriptor,
  client: Client,
  clock: Clock = realClock,
): Promise<{ stop(): Promise<void> }> {
  const informers = new SharedInformerFactory({ client, clock, transform: dropManagedFields });
  const broadcaster = new EventBroadcaster({ client, clock });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const running = descriptor.run({
    client,
    informers,
    clock,
    log: silentLogger,
    registry: createRegistry({ defaultMetrics: false }),
    recorder: (component) => broadcaster.newRecorder({ component }),
    flags: {},
    signal: abort.signal,
  });
  informers.start();
  return {
    async stop() {
      abort.abort();
      await running;
      await broadcaster.shutdown();
      await informers.shutdown();
    },
  };
}
