/**
 * @kubeling/client/testing — fakes for fast unit tests of components, kept out of the main
 * entry so production code cannot reach them by accident (client-go's fake clientset and
 * testingclock, in one place).
 *
 *   import { FakeApiServer, FakeClock, settle } from '@kubeling/client/testing';
 *   const clock = new FakeClock();
 *   const server = new FakeApiServer({ now: () => clock.now() });
 *   const client = new Client({ transport: server });
 *   server.put('pods', pod);          // as another client would
 *   await clock.advance(5_000);        // timers due by then fire; nothing sleeps
 */
export { FakeClock, settle } from '@kubeling/api/testing';
export { FakeApiServer, mergePatch } from './fakeApiServer';
export type { FakeApiServerOptions } from './fakeApiServer';
export { LaggingTransport } from './laggingTransport';
