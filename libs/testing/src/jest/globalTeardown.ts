/** jest globalTeardown: stops the containers globalSetup started, if it started any. */
import { CONTAINERS_KEY } from './shared';
import type { ContainersHolder } from './shared';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as ContainersHolder;
  const started = holder[CONTAINERS_KEY];
  if (!started) return;
  delete holder[CONTAINERS_KEY];
  delete process.env['REDIS_URL'];
  delete process.env['NATS_URL'];
  await started.stop();
}
