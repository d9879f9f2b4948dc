/**
 * @kubeling/testing — the one harness for tests that need real Redis, NATS, kubeling processes
 * or kubectl: where the services are, key isolation on the shared Redis, whole clusters started
 * by the real `kubeling up`, and the real kubectl against them. Everything here closes what it
 * opens, so jest exits.
 *
 *   import { startCluster, kubectl, testServices, uniquePrefix, deleteRedisPrefix } from '@kubeling/testing';
 *
 *   let cluster: TestCluster;
 *   beforeAll(async () => { cluster = await startCluster({ nodes: 0 }); }, 60_000);
 *   afterAll(() => cluster.down(), 30_000);
 *
 *   it('lists namespaces', async () => {
 *     const r = await kubectl(['get', 'ns', '-o', 'name'], { kubeconfig: cluster.kubeconfig });
 *     expect(r.code).toBe(0);
 *   });
 *
 *   // A store test on the shared Redis, isolated by prefix:
 *   const { redisUrl } = testServices();
 *   const prefix = uniquePrefix('store');
 *   afterAll(() => deleteRedisPrefix(redisUrl, prefix));
 *
 * Without REDIS_URL / NATS_URL, and with a Docker engine, jest/globalSetup.ts starts Redis and
 * NATS containers once per run (wire it as globalSetup/globalTeardown in a jest config).
 */
export { testServices, dockerAvailable, DEFAULT_NATS_URL, DEFAULT_REDIS_URL } from './services';
export type { TestServices } from './services';
export { uniqueName, uniquePrefix, deleteRedisPrefix } from './redis';
export { kubectl } from './kubectl';
export type { KubectlOptions } from './kubectl';
export { startCluster, runKubeling } from './cluster';
export type { StartClusterOptions, TestCluster, KubelingRunOptions } from './cluster';
export { runProcess } from './run';
export type { RunResult, RunOptions } from './run';
export { workspaceRoot } from './workspace';
export { processAlive } from './processes';
export { readWatch } from './watch';
export { PodReadinessDriver } from './podReadinessDriver';
export type { PodReadinessDriverOptions } from './podReadinessDriver';
export type { ReadWatchOptions, WatchedEvent } from './watch';
