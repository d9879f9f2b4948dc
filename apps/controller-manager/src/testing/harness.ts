/**
 * Running a controller against FakeApiServer on a FakeClock in unit tests: no cluster, no
 * sleeps. `until` only lets pending promises run; time moves only with `clock.advance(ms)`.
 */
import type { Event, KubeObject } from '@kubeling/api';
import type { EventRecorder, Transport } from '@kubeling/client';
import { Client, EventBroadcaster, SharedInformerFactory } from '@kubeling/client';
import type { FakeApiServer, FakeClock } from '@kubeling/client/testing';
import { settle } from '@kubeling/client/testing';

/** Lets promises and I/O callbacks run until `cond` holds. */
export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await settle(2);
  }
  throw new Error(`never reached: ${what}`);
}

export interface Started {
  client: Client;
  stop(): Promise<void>;
}

/** Builds a controller with `make` and runs it until stop(). */
export function startController(
  server: FakeApiServer,
  clock: FakeClock,
  make: (deps: {
    client: Client;
    factory: SharedInformerFactory;
    recorder: (component: string) => EventRecorder;
  }) => { run(signal: AbortSignal): Promise<void> },
  transport: Transport = server,
): Started {
  const client = new Client({ transport, qps: -1 });
  const factory = new SharedInformerFactory({ client, clock });
  const events = new EventBroadcaster({ client, clock });
  const controller = make({
    client,
    factory,
    recorder: (component) => events.newRecorder({ component }),
  });
  factory.start();
  const stop = new AbortController();
  const running = controller.run(stop.signal);
  return {
    client,
    async stop() {
      stop.abort();
      await running;
      await events.shutdown();
      await factory.shutdown();
    },
  };
}

/** [reason, message] of the events stored so far, oldest first. */
export function eventsOf(server: FakeApiServer): Array<[string | undefined, string | undefined]> {
  return server
    .stored<Event>('events')
    .map((e) => [e.reason, e.message] as [string | undefined, string | undefined]);
}

export const named = <T extends KubeObject>(objs: T[], name: string): T | undefined =>
  objs.find((o) => o.metadata.name === name);
