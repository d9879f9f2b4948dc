/**
 * jest globalSetup: when neither REDIS_URL nor NATS_URL is set and Docker is there, start
 * Redis and NATS containers for the whole run and hand their URLs to the workers through the
 * environment (workers are forked after globalSetup and inherit process.env). Otherwise it
 * does nothing and the tests use REDIS_URL / NATS_URL or the local servers.
 *
 *   // jest.config.js
 *   globalSetup: '<rootDir>/../../libs/testing/src/jest/globalSetup.ts',
 *   globalTeardown: '<rootDir>/../../libs/testing/src/jest/globalTeardown.ts',
 */
import { dockerAvailable, startServiceContainers } from '../services';
import { CONTAINERS_KEY } from './shared';
import type { ContainersHolder } from './shared';

export default async function globalSetup(): Promise<void> {
  if (process.env['REDIS_URL'] || process.env['NATS_URL']) return;
  if (!dockerAvailable()) return;
  const started = await startServiceContainers();
  process.env['REDIS_URL'] = started.redisUrl;
  process.env['NATS_URL'] = started.natsUrl;
  // globalSetup and globalTeardown share the parent process's global object, nothing else.
  (globalThis as ContainersHolder)[CONTAINERS_KEY] = started;
}
