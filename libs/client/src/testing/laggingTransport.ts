/**
 * A transport wrapper for tests that makes watches of chosen resources lag: their events are
 * held back until released, as a slow watch delivers them after the writes that caused them.
 * This is the race expectations exist for (a controller that syncs again before its informer
 * has seen its own create), made reproducible:
 *
 *   const transport = new LaggingTransport(new FakeApiServer());
 *   transport.hold('configmaps');     // from now on, ConfigMap watch events wait
 *   ...                                // the controller creates, syncs again, must not re-create
 *   transport.release('configmaps');  // delivered, in order
 */
import type {
  ApiRequest,
  ApiResponse,
  Transport,
  WatchRequest,
  WatchStream,
} from '../transport/types';

export class LaggingTransport implements Transport {
  private readonly held = new Set<string>();
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly inner: Transport) {}

  /** Holds back the events of every watch of `resource` (plural name, e.g. `configmaps`). */
  hold(resource: string): void {
    this.held.add(resource);
  }

  /** Delivers what was held for `resource`, and what comes later, as it comes. */
  release(resource: string): void {
    this.held.delete(resource);
    for (const w of this.waiters.splice(0)) w();
  }

  request(req: ApiRequest): Promise<ApiResponse> {
    return this.inner.request(req);
  }

  async watch(req: WatchRequest): Promise<WatchStream> {
    const stream = await this.inner.watch(req);
    const held = this.held;
    const waiters = this.waiters;
    let stopped = false;
    return {
      stop: () => {
        // A stopped watch ends even while its events are held.
        stopped = true;
        stream.stop();
        for (const w of waiters.splice(0)) w();
      },
      async *[Symbol.asyncIterator]() {
        for await (const ev of stream) {
          while (held.has(req.resource) && !stopped)
            await new Promise<void>((r) => waiters.push(r));
          if (stopped) return;
          yield ev;
        }
      },
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
